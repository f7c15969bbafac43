// Starts the real server (server/main.ts over the built app) on 127.0.0.1 with a fresh store,
// for tests of the wire. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type RunningServer = {
  url: string;
  port: number;
  dir: string;
  dbPath: string;
  process: ChildProcess;
  output: () => string;
  /** Sends `signal` and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export type StartOptions = {
  /** Reuse this folder's store and uploads (a restart) instead of a fresh temporary one. */
  dir?: string;
  /** A command the server runs under, e.g. `['taskset', '-c', '1']` to pin it to a core. */
  prefix?: string[];
};

/** `nodeArgs` go before the script (e.g. `--cpu-prof` to profile the server under a benchmark). */
export async function startServer(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  options: StartOptions = {},
): Promise<RunningServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'chat-server-'));
  const dbPath = join(dir, 'chat.db');
  const [command, ...args] = [...(options.prefix ?? []), process.execPath, ...nodeArgs, '--import', 'tsx', 'server/main.ts'];
  const child = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      CHAT_DB_PATH: dbPath,
      CHAT_UPLOAD_DIR: join(dir, 'uploads'),
      CHAT_DEMO: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/listening on http:\/\/[^:]+:(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    dbPath,
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
