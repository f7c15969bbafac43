// What every figure is measured on: the machine, the Node version and the store's durability
// setting, printed with each benchmark's output and kept in the report.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export type Machine = { cores: number; cpu: string; memoryGiB: number; node: string; synchronous: string; pinned: boolean };

/** Both the server and the bare relay run SQLite in WAL mode with synchronous=NORMAL. */
export const SYNCHRONOUS = 'NORMAL (WAL)';

let pinnedSelf = false;

/** Cores for the server and for the load client: different ones when the machine has two or more. */
export function cores(): { server: string; client: string } | null {
  const n = cpus().length;
  if (n < 2 || !hasTaskset()) return null;
  return { server: String(n - 1), client: n > 2 ? `0-${n - 2}` : '0' };
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Pins this process (the load client) away from the server's core; a no-op where taskset is missing. */
export function pinClient(): void {
  const plan = cores();
  if (!plan || pinnedSelf) return;
  execFileSync('taskset', ['-a', '-p', '-c', plan.client, String(process.pid)], { stdio: 'ignore' });
  pinnedSelf = true;
}

/** Node flags for the server under test, from BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
export function serverNodeArgs(): string[] {
  return process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
}

/** The command prefix that pins a server process to its own core. */
export function serverPrefix(): string[] {
  const plan = cores();
  return plan ? ['taskset', '-c', plan.server] : [];
}

export function machine(): Machine {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    synchronous: SYNCHRONOUS,
    pinned: cores() !== null,
  };
}

export function machineLine(m: Machine = machine()): string {
  const pinning = m.pinned ? `server pinned to core ${cores()!.server}, load client to ${cores()!.client}` : 'no pinning (taskset missing or one core)';
  return `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}; SQLite synchronous=${m.synchronous}; ${pinning}`;
}

// Up to the hard limit: raising that needs privileges a sandbox may not have.
const RAISE_OPEN_FILES = 'ulimit -Sn hard && exec "$@"';

/** The soft limit on open files of this process. */
function openFileLimit(): number {
  const match = readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+|unlimited)/m);
  return !match || match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/**
 * Re-runs this process under `ulimit -n` when it may open fewer than `needed` files (the
 * connection benchmark holds 10,000 sockets); returns only in a process that has the room.
 */
export function ensureOpenFiles(needed: number): void {
  if (openFileLimit() >= needed) return;
  if (process.env.BENCH_RAISED_ULIMIT) throw new Error(`needs ${needed} open files, the hard limit allows ${openFileLimit()}`);
  const result = spawnSync('bash', ['-c', RAISE_OPEN_FILES, 'bench', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RAISED_ULIMIT: '1' },
  });
  process.exit(result.status ?? 1);
}

/** A prefix that raises a server's open-file limit before it starts (exec keeps its pid). */
export function openFilesPrefix(): string[] {
  return ['bash', '-c', RAISE_OPEN_FILES, 'bench'];
}
