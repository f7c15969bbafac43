// What the benchmarks share about the server under test: accounts through seed 002's register,
// and the check that lets each benchmark file also run alone.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Account } from './seed002-load';

/** True when the module at `url` is the script node was started with (not imported by the runner). */
export function isMain(url: string): boolean {
  return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(url));
}

/** Registers `count` users through seed 002's /im/user/register, a few at a time. */
export async function registerSeed002Users(baseUrl: string, count: number, app: string, concurrency = 16): Promise<Account[]> {
  const accounts: Account[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await fetch(`${baseUrl}/im/user/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ company: 'bench', app, thirdUserId: `user-${i}` }),
      });
      if (!response.ok) throw new Error(`register failed: ${response.status} ${await response.text()}`);
      accounts[i] = (await response.json()) as Account;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return accounts;
}
