// Offline drain: a user comes back to a backlog of undelivered messages (100,000 by default,
// generated straight into the store). Prints the time from its Auth until its socket has received
// them all, Acking each as a real client does, and the server's peak resident memory (VmHWM).
// (A server that counts those Acks against the socket's 500 frames/s budget closes the socket with
// 1008 after about 1,500; main leaves owed Acks out of the budget. `--no-ack` measures the push alone.)
//   npx tsx bench/drain.ts [--backlog 100000] [--runs 3] [--no-ack]
// Needs `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startServer } from '../e2e/server-process';
import { generateStore } from './lib/generate-store';
import { formatSpread, spread, type Spread } from './lib/histogram';
import { machineLine, pinClient, serverNodeArgs, serverPrefix } from './lib/machine';
import { procStatusKiB } from './lib/process';
import { isMain } from './lib/target';

export type DrainOptions = { backlog: number; runs: number; ack?: boolean };
export type DrainRun = { backlog: number; acked: boolean; received: number; seconds: number; rssBeforeKiB: number; peakKiB: number };
export type DrainResult = { runs: DrainRun[]; seconds: Spread; peakMiB: Spread; messagesPerSecond: Spread };

const FIRST_ID = /"id":(\d+)/;

async function once(backlog: number, ack: boolean): Promise<DrainRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-drain-'));
  const store = generateStore(join(dir, 'chat.db'), { messages: backlog, conversations: 1, heavyConversations: 1, deepShare: 1, undelivered: backlog });
  const server = await startServer({ CHAT_DEMO: '0' }, serverNodeArgs(), { dir, prefix: serverPrefix() });
  try {
    const rssBeforeKiB = procStatusKiB(server.process.pid!, 'VmRSS');
    const seen = new Set<string>();
    let started = 0;
    const seconds = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { perMessageDeflate: false, skipUTF8Validation: true });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`received ${seen.size} of ${backlog} in 120 s`));
      }, 120_000);
      ws.once('error', reject);
      ws.once('close', (code, reason) => {
        if (seen.size < backlog) {
          clearTimeout(timer);
          reject(new Error(`socket closed with ${code} ${reason} after ${seen.size} of ${backlog}`));
        }
      });
      ws.on('open', () => {
        started = performance.now();
        ws.send(JSON.stringify({ msgType: 'Auth', fromUserId: store.heavy.userId, content: store.heavy.token }));
      });
      ws.on('message', (data: Buffer) => {
        const text = data.toString('latin1');
        if (!text.includes('"msgType":"Text"')) return;
        const id = FIRST_ID.exec(text)![1];
        if (ack) ws.send(`{"msgType":"Ack","content":"{\\"srcId\\":${id}}"}`);
        seen.add(id);
        if (seen.size === backlog) {
          clearTimeout(timer);
          resolve((performance.now() - started) / 1000);
          ws.terminate();
        }
      });
    });
    const peakKiB = procStatusKiB(server.process.pid!, 'VmHWM');
    console.log(
      `drain of ${backlog}${ack ? ', each Acked' : ', not Acked'}: all received in ${seconds.toFixed(2)} s (${(backlog / seconds).toFixed(0)} msg/s); server RSS ${(rssBeforeKiB / 1024).toFixed(0)} MiB before, peak ${(peakKiB / 1024).toFixed(0)} MiB`,
    );
    return { backlog, acked: ack, received: seen.size, seconds, rssBeforeKiB, peakKiB };
  } finally {
    await server.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function drain(options: DrainOptions): Promise<DrainResult> {
  pinClient();
  console.log(machineLine());
  const runs: DrainRun[] = [];
  for (let i = 0; i < options.runs; i++) runs.push(await once(options.backlog, options.ack ?? true));
  return {
    runs,
    seconds: spread(runs.map((r) => r.seconds)),
    peakMiB: spread(runs.map((r) => r.peakKiB / 1024)),
    messagesPerSecond: spread(runs.map((r) => r.backlog / r.seconds)),
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { backlog: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' }, 'no-ack': { type: 'boolean', default: false } },
  });
  const result = await drain({ backlog: Number(values.backlog), runs: Number(values.runs), ack: !values['no-ack'] });
  console.log(`drain: ${formatSpread(result.seconds, 2)} s for ${values.backlog}, peak RSS ${formatSpread(result.peakMiB, 0)} MiB`);
}
