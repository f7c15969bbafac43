// Runs every *.test.ts under server/ and e2e/ with Node's test runner (Node 20 cannot glob).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['server', 'e2e'];
const files = roots
  .flatMap((root) => readdirSync(root, { recursive: true }).map((entry) => join(root, String(entry))))
  .filter((file) => file.endsWith('.test.ts'))
  .sort();

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
