// The message path over /ws (seed 002's frames): N sender → recipient pairs at fixed offered
// rates, against the real server, the bare relay (the limit) and the bare echo, through the same
// load client. Per point: messages persisted, Acked, delivered and recipient-Acked per second and
// the latency from each message's intended send time to its Ack and to its delivery; then the
// store is counted for loss and duplicates. Each point runs `--runs` times (median and spread).
// With --saturate the rate steps up past the list until the target stops keeping up; with --narrow
// the gap between the highest sustained rate and the next one tried is then halved until it is within 15 %.
//   npx tsx bench/message-path.ts [--targets chat,relay,echo] [--pairs 500] [--rates 1000,2000,5000]
//     [--runs 3] [--seconds 5] [--warmup 2] [--saturate] [--narrow] [--max-p99 100]
// Needs `npm run build` first (the server runs the built app).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startServer } from '../e2e/server-process';
import { machineLine, pinClient, serverNodeArgs, serverPrefix } from './lib/machine';
import { spawnListening } from './lib/process';
import { LoadClient, type Account, type PointResult } from './lib/seed002-load';
import { isMain, registerSeed002Users } from './lib/target';
import { isClean, isDrained, settledCount, stepRates, TARGET_NAMES, withServerCpu, type MessagePathOptions, type RunResult, type Target, type TargetResult } from './lib/points';

export { TARGET_NAMES, type MessagePathOptions, type Target, type TargetResult };

type Running = { wsUrl: string; accounts: Account[]; dbPath: string | null; pid: number | undefined; stop: () => Promise<unknown> };

async function startTarget(target: Target, pairs: number): Promise<Running> {
  if (target === 'chat') {
    const server = await startServer({ CHAT_DEMO: '0' }, serverNodeArgs(), { prefix: serverPrefix() });
    try {
      const accounts = await registerSeed002Users(server.url, 2 * pairs, 'message-path');
      const stop = async () => {
        await server.stop('SIGTERM');
        rmSync(server.dir, { recursive: true, force: true });
      };
      return { wsUrl: `ws://127.0.0.1:${server.port}/ws`, accounts, dbPath: server.dbPath, pid: server.process.pid, stop };
    } catch (error) {
      await server.stop('SIGKILL');
      rmSync(server.dir, { recursive: true, force: true });
      throw error;
    }
  }
  const dbPath = target === 'relay' ? join(mkdtempSync(join(tmpdir(), 'bare-relay-')), 'relay.db') : null;
  const relay = await spawnListening([
    ...serverPrefix(),
    process.execPath,
    ...serverNodeArgs(),
    '--import',
    'tsx',
    'bench/bare-relay.ts',
    ...(dbPath ? ['--db', dbPath] : ['--echo']),
  ]);
  const accounts = Array.from({ length: 2 * pairs }, (_, i) => ({ userId: i + 1, token: 'bare' }));
  const stop = async () => {
    await relay.stop();
    if (dbPath) rmSync(dirname(dbPath), { recursive: true, force: true });
  };
  return { wsUrl: `ws://127.0.0.1:${relay.port}/`, accounts, dbPath, pid: relay.process.pid, stop };
}

function countStore(dbPath: string, result: PointResult): NonNullable<RunResult['store']> {
  const db = new Database(dbPath, { readonly: true });
  try {
    db.defaultSafeIntegers(true);
    const row = db
      .prepare(
        `SELECT count(*) AS rows, count(DISTINCT id) AS distinctIds,
           coalesce(sum(created_at >= :from AND created_at < :to), 0) AS persisted,
           coalesce(sum(delivered_at >= :from AND delivered_at < :to), 0) AS recipientAcked
         FROM messages WHERE id BETWEEN :first AND :last`,
      )
      .get({ ...result.windowMs, ...result.ids }) as Record<string, bigint>;
    return {
      rows: Number(row.rows),
      distinct: Number(row.distinctIds),
      persistedPerSecond: Number(row.persisted) / result.seconds,
      recipientAckedPerSecond: Number(row.recipientAcked) / result.seconds,
    };
  } finally {
    db.close();
  }
}

async function measureTarget(target: Target, options: MessagePathOptions): Promise<TargetResult> {
  const running = await startTarget(target, options.pairs);
  const client = await LoadClient.connect(running.wsUrl, running.accounts);
  try {
    return await stepRates(target, options, async (rate) => {
      const result = await withServerCpu(running.pid, () => client.run({ rate, seconds: options.seconds, warmup: options.warmup }));
      const store = running.dbPath ? await settledCount(() => countStore(running.dbPath!, result), result.sent) : null;
      const storeExact = !store || (store.rows === result.sent && store.distinct === result.sent);
      return { ...result, store, lossFree: storeExact && isClean(result), drained: isDrained(result) };
    });
  } finally {
    client.close();
    await running.stop();
  }
}

export async function messagePath(options: MessagePathOptions): Promise<TargetResult[]> {
  pinClient();
  console.log(machineLine());
  console.log(
    `message path: ${options.pairs} pairs (${2 * options.pairs} sockets), ${options.seconds} s measured after ${options.warmup} s warm-up per run, ` +
      `${options.runs} runs per point; latency from the intended send time`,
  );
  const results: TargetResult[] = [];
  for (const target of options.targets) results.push(await measureTarget(target, options));
  return results;
}

export function ratios(results: TargetResult[]): { relay: number | null; echo: number | null } {
  const rate = (t: Target) => results.find((r) => r.target === t)?.saturation ?? null;
  const chat = rate('chat');
  const ratio = (t: Target) => (chat !== null && rate(t) ? chat / rate(t)! : null);
  return { relay: ratio('relay'), echo: ratio('echo') };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string', default: 'chat,relay,echo' },
      pairs: { type: 'string', default: '500' },
      rates: { type: 'string', default: '1000,2000,5000,10000,15000,20000' },
      runs: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '2' },
      saturate: { type: 'boolean', default: false },
      narrow: { type: 'boolean', default: false },
      'max-p99': { type: 'string', default: '100' },
      step: { type: 'string', default: '5000' },
    },
  });
  const results = await messagePath({
    targets: values.targets.split(',') as Target[],
    pairs: Number(values.pairs),
    rates: values.rates.split(',').map(Number),
    runs: Number(values.runs),
    seconds: Number(values.seconds),
    warmup: Number(values.warmup),
    saturate: values.saturate,
    narrow: values.narrow,
    maxP99Ms: Number(values['max-p99']),
    saturateStep: Number(values.step),
  });
  const r = ratios(results);
  if (r.relay !== null) console.log(`our highest sustained rate is ${(100 * r.relay).toFixed(0)} % of the bare relay's`);
  if (results.some((t) => t.points.some((p) => p.runs.some((run) => !run.lossFree)))) process.exitCode = 1;
}
