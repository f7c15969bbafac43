// Child processes of the benchmarks: the bare relay (the server has e2e/server-process.ts) and
// the memory figures read from /proc.
import { spawnListening as spawnListeningProcess } from '../../e2e/server-process';
import { readFileSync } from 'node:fs';

/** The bare relay: a process that prints "listening on http://host:port" (see e2e/server-process.ts). */
export async function spawnListening(command: string[], env: Record<string, string> = {}) {
  const { child, port, exited } = await spawnListeningProcess(command, env, 30_000);
  return {
    port,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A field of /proc/<pid>/status in KiB (VmRSS: resident now, VmHWM: the peak). */
export function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  if (!match) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]);
}

