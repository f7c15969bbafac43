// Child processes of the benchmarks: the bare relay (the server has e2e/server-process.ts) and
// the memory and CPU figures read from /proc.
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

/** CPU time (user + system, all threads) a process has used so far, in seconds, from /proc; null where there is none. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every Linux that exposes /proc/<pid>/stat to user space. */
const CLOCK_TICKS_PER_SECOND = 100;
