// The message path over /ws (seed 002's frames) against the real server process: N sender →
// recipient pairs at a fixed offered rate. Prints messages Acked and delivered per second and the
// latency from each message's *intended* send time (so a stalled server cannot hide its stall) to
// its Ack and to its delivery, then checks the store for loss and duplicates.
//   npx tsx bench/message-path.ts [--pairs 100] [--rate 2000] [--seconds 10] [--warmup 2]
// Needs `npm run build` first (the server runs the built app).
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { startServer } from '../e2e/server-process';
import { parseJson, stringifyJson } from '../server/lib/json';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '100' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
  },
});
const pairs = Number(values.pairs);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);

type Account = { userId: number; token: string };
type Frame = Record<string, any>;

// BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
const server = await startServer({ CHAT_DEMO: '0' }, process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean));
try {
  const register = async (i: number): Promise<Account> => {
    const response = await fetch(`${server.url}/im/user/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: 'bench', app: 'message-path', thirdUserId: `user-${i}` }),
    });
    return (await response.json()) as Account;
  };
  const connect = (account: Account, onFrame: (frame: Frame) => void) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
      ws.on('error', reject);
      ws.on('open', () => ws.send(stringifyJson({ msgType: 'Auth', fromUserId: account.userId, content: account.token })));
      ws.on('message', (data) => {
        const frame = parseJson(data.toString()) as Frame;
        if (frame.msgType === 'Auth') resolve(ws);
        else onFrame(frame);
      });
    });

  const intended = new Map<bigint, number>();
  const ackLatency: number[] = [];
  const deliveryLatency: number[] = [];
  let measureFrom = Infinity;
  let acked = 0;
  let delivered = 0;
  let errors = 0;

  const senders: { ws: WebSocket; from: number; to: number }[] = [];
  for (let i = 0; i < pairs; i++) {
    const [sender, recipient] = [await register(2 * i), await register(2 * i + 1)];
    const recipientSocket = await connect(recipient, (frame) => {
      if (frame.msgType !== 'Text') return;
      const id = BigInt(frame.id);
      recipientSocket.send(`{"msgType":"Ack","content":"{\\"srcId\\":${id}}"}`);
      delivered += 1;
      const at = intended.get(id)!;
      if (at >= measureFrom) deliveryLatency.push(performance.now() - at);
    });
    const senderSocket = await connect(sender, (frame) => {
      if (frame.msgType === 'Error') errors += 1;
      if (frame.msgType !== 'Ack') return;
      const id = BigInt((parseJson(frame.content) as { srcId: bigint | number }).srcId);
      acked += 1;
      const at = intended.get(id)!;
      if (at >= measureFrom) ackLatency.push(performance.now() - at);
    });
    senders.push({ ws: senderSocket, from: sender.userId, to: recipient.userId });
  }

  // Open loop: message k is due at start + k / rate, whatever happened to the ones before it.
  const total = Math.round(rate * (warmup + seconds));
  const firstId = 7_000_000_000_000_000_001n;
  const start = performance.now() + 50;
  measureFrom = start + warmup * 1000;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / rate <= now) {
        const pair = senders[next % pairs];
        const id = firstId + BigInt(next);
        intended.set(id, start + (next * 1000) / rate);
        pair.ws.send(`{"id":${id},"fromUserId":${pair.from},"toUserId":${pair.to},"chatType":"Single","msgType":"Text","content":"bench message ${next}"}`);
        next += 1;
      }
      if (next < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const sendEnd = performance.now();
  const deadline = Date.now() + 30_000;
  while ((acked < total || delivered < total) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const drained = performance.now();

  for (const { ws } of senders) ws.terminate();
  const db = new Database(server.dbPath, { readonly: true });
  const stored = (db.prepare('SELECT count(*) AS n, count(DISTINCT id) AS d FROM messages').get() as { n: number; d: number });
  db.close();

  const pct = (list: number[], p: number) => {
    const sorted = [...list].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
  };
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; store synchronous=NORMAL (WAL)`);
  console.log(`load: ${pairs} pairs, offered ${rate} msg/s for ${seconds} s after ${warmup} s warm-up; server and client on one machine`);
  console.log(`sent ${total}, Acked ${acked}, delivered ${delivered}, errors ${errors}; stored ${stored.n} (distinct ${stored.d})`);
  console.log(`throughput: ${(acked / ((drained - start) / 1000)).toFixed(0)} msg/s Acked over the run (last send at ${((sendEnd - start) / 1000).toFixed(2)} s, all done at ${((drained - start) / 1000).toFixed(2)} s)`);
  console.log(`Ack latency:      p50 ${ms(pct(ackLatency, 50))}  p99 ${ms(pct(ackLatency, 99))}  max ${ms(Math.max(...ackLatency))}`);
  console.log(`delivery latency: p50 ${ms(pct(deliveryLatency, 50))}  p99 ${ms(pct(deliveryLatency, 99))}  max ${ms(Math.max(...deliveryLatency))}`);
  if (stored.n !== total || stored.d !== total || acked !== total) {
    console.log('LOSS OR DUPLICATES: the store does not hold each sent message exactly once');
    process.exitCode = 1;
  }
} finally {
  await server.stop('SIGTERM');
}
