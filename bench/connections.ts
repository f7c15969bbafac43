// Connections: many idle authenticated sockets on /ws (10,000 by default). Prints the server's
// resident memory per socket (VmRSS before and after, read from /proc) and the time to connect
// and authenticate them all. Raises the open-file limit of both processes, and spreads the
// client's source addresses over 127.0.0.2-9 so ephemeral ports never run out.
//   npx tsx bench/connections.ts [--sockets 10000] [--concurrency 200] [--runs 3]
// Needs `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startServer } from '../e2e/server-process';
import { generateUsers } from './lib/generate-store';
import { formatSpread, spread, type Spread } from './lib/histogram';
import { ensureOpenFiles, machineLine, openFilesPrefix, pinClient, serverNodeArgs, serverPrefix } from './lib/machine';
import { procStatusKiB } from './lib/process';
import { isMain } from './lib/target';

export type ConnectionsOptions = { sockets: number; concurrency: number; runs: number };
export type ConnectionsRun = { sockets: number; connectSeconds: number; rssBeforeKiB: number; rssAfterKiB: number; bytesPerSocket: number };
export type ConnectionsResult = { runs: ConnectionsRun[]; bytesPerSocket: Spread; connectSeconds: Spread };

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function connect(port: number, account: { userId: number; token: string }, localAddress: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { perMessageDeflate: false, localAddress });
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`socket closed with ${code} before Auth`)));
    ws.on('open', () => ws.send(JSON.stringify({ msgType: 'Auth', fromUserId: account.userId, content: account.token })));
    ws.once('message', (data: Buffer) => {
      if (data.toString().includes('"content":"ok"')) resolve(ws);
      else reject(new Error(`Auth refused: ${data}`));
    });
  });
}

async function once(options: ConnectionsOptions): Promise<ConnectionsRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-connections-'));
  const accounts = generateUsers(join(dir, 'chat.db'), options.sockets);
  const server = await startServer({ CHAT_DEMO: '0' }, serverNodeArgs(), { dir, prefix: [...openFilesPrefix(), ...serverPrefix()] });
  const sockets: WebSocket[] = [];
  try {
    // One socket first, so the figure leaves out what the first connection loads once.
    sockets.push(await connect(server.port, accounts[0], '127.0.0.2'));
    await settle(1000);
    const rssBeforeKiB = procStatusKiB(server.process.pid!, 'VmRSS');
    const started = performance.now();
    let next = 1;
    const worker = async () => {
      while (next < options.sockets) {
        const i = next++;
        sockets.push(await connect(server.port, accounts[i], `127.0.0.${2 + (i % 8)}`));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const connectSeconds = (performance.now() - started) / 1000;
    await settle(2000);
    const rssAfterKiB = procStatusKiB(server.process.pid!, 'VmRSS');
    const bytesPerSocket = ((rssAfterKiB - rssBeforeKiB) * 1024) / (options.sockets - 1);
    console.log(
      `${options.sockets} idle sockets: connected and authenticated in ${connectSeconds.toFixed(2)} s; server RSS ${(rssBeforeKiB / 1024).toFixed(0)} → ${(rssAfterKiB / 1024).toFixed(0)} MiB, ${(bytesPerSocket / 1024).toFixed(1)} KiB per socket`,
    );
    return { sockets: options.sockets, connectSeconds, rssBeforeKiB, rssAfterKiB, bytesPerSocket };
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function connections(options: ConnectionsOptions): Promise<ConnectionsResult> {
  ensureOpenFiles(options.sockets + 1000);
  pinClient();
  console.log(machineLine());
  const runs: ConnectionsRun[] = [];
  for (let i = 0; i < options.runs; i++) runs.push(await once(options));
  const result = { runs, bytesPerSocket: spread(runs.map((r) => r.bytesPerSocket)), connectSeconds: spread(runs.map((r) => r.connectSeconds)) };
  console.log(
    `connections: ${formatSpread(spread(runs.map((r) => r.bytesPerSocket / 1024)), 1)} KiB per idle socket, ${formatSpread(result.connectSeconds, 2)} s to connect ${options.sockets}`,
  );
  return result;
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sockets: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '200' },
      runs: { type: 'string', default: '3' },
    },
  });
  await connections({ sockets: Number(values.sockets), concurrency: Number(values.concurrency), runs: Number(values.runs) });
}
