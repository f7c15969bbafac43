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
  const { child, port, output, exited } = await spawnListening([command, ...args], {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    CHAT_DB_PATH: dbPath,
    CHAT_UPLOAD_DIR: join(dir, 'uploads'),
    CHAT_DEMO: '1',
    ...env,
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dir,
    dbPath,
    process: child,
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export type Listening = {
  child: ChildProcess;
  port: number;
  /** Everything the process printed so far, stdout and stderr. */
  output: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
};

/**
 * Spawns `command` (with `env` over this process's environment) and waits until it prints
 * "listening on http://host:port"; shared by the real server and the benchmarks' bare relay.
 */
export async function spawnListening(command: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Listening> {
  const [file, ...args] = command;
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
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
      reject(new Error(`${file} exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, port, output: () => output, exited };
}
