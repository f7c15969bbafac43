// The message path over /ws (seed 002's frames): N sender → recipient pairs at fixed offered
// rates, against the real server, the bare relay (the limit) and the bare echo, through the same
// load client. Per point: messages persisted, Acked, delivered and recipient-Acked per second and
// the latency from each message's intended send time to its Ack and to its delivery; then the
// store is counted for loss and duplicates. Each point runs `--runs` times (median and spread).
// With --saturate the rate steps up past the list until the target stops keeping up.
//   npx tsx bench/message-path.ts [--targets chat,relay,echo] [--pairs 500] [--rates 1000,2000,5000]
//     [--runs 3] [--seconds 5] [--warmup 2] [--saturate] [--max-p99 100]
// Needs `npm run build` first (the server runs the built app).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startServer } from '../e2e/server-process';
import { formatSpread, spread, type Spread } from './lib/histogram';
import { machineLine, pinClient, serverPrefix } from './lib/machine';
import { spawnListening } from './lib/process';
import { LoadClient, type Account, type PointResult } from './lib/seed002-load';
import { isMain, registerSeed002Users } from './lib/target';

export type Target = 'chat' | 'relay' | 'echo';
export const TARGET_NAMES: Record<Target, string> = { chat: 'our server', relay: 'bare relay', echo: 'bare echo' };

export type MessagePathOptions = {
  targets: Target[];
  pairs: number;
  rates: number[];
  runs: number;
  seconds: number;
  warmup: number;
  saturate: boolean;
  /** A point is sustained while Acks and deliveries follow the offered rate (95 %) with p99 delivery at most this. */
  maxP99Ms: number;
  saturateStep: number;
};

/** One run of one point, with what the store holds of it (null for the echo, which stores nothing). */
export type RunResult = PointResult & {
  store: { rows: number; distinct: number; persistedPerSecond: number; recipientAckedPerSecond: number } | null;
  lossFree: boolean;
};

export type RatePoint = {
  rate: number;
  runs: RunResult[];
  ackedPerSecond: Spread;
  deliveredPerSecond: Spread;
  persistedPerSecond: Spread;
  recipientAckedPerSecond: Spread;
  ackP50: Spread;
  ackP99: Spread;
  deliveryP50: Spread;
  deliveryP99: Spread;
  deliveryMax: Spread;
  sustained: boolean;
};

export type TargetResult = { target: Target; pairs: number; points: RatePoint[]; saturation: number | null };

type Running = { wsUrl: string; accounts: Account[]; dbPath: string | null; stop: () => Promise<unknown> };

async function startTarget(target: Target, pairs: number): Promise<Running> {
  if (target === 'chat') {
    const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean);
    const server = await startServer({ CHAT_DEMO: '0' }, nodeArgs, { prefix: serverPrefix() });
    try {
      const accounts = await registerSeed002Users(server.url, 2 * pairs, 'message-path');
      return { wsUrl: `ws://127.0.0.1:${server.port}/ws`, accounts, dbPath: server.dbPath, stop: () => server.stop('SIGTERM') };
    } catch (error) {
      await server.stop('SIGKILL');
      throw error;
    }
  }
  const dbPath = target === 'relay' ? join(mkdtempSync(join(tmpdir(), 'bare-relay-')), 'relay.db') : null;
  const relay = await spawnListening([
    ...serverPrefix(),
    process.execPath,
    '--import',
    'tsx',
    'bench/bare-relay.ts',
    ...(dbPath ? ['--db', dbPath] : ['--echo']),
  ]);
  const accounts = Array.from({ length: 2 * pairs }, (_, i) => ({ userId: i + 1, token: 'bare' }));
  return { wsUrl: `ws://127.0.0.1:${relay.port}/`, accounts, dbPath, stop: relay.stop };
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

function summarize(rate: number, runs: RunResult[], maxP99Ms: number): RatePoint {
  const of = (pick: (run: RunResult) => number) => spread(runs.map(pick));
  const point: Omit<RatePoint, 'sustained'> = {
    rate,
    runs,
    ackedPerSecond: of((r) => r.ackedPerSecond),
    deliveredPerSecond: of((r) => r.deliveredPerSecond),
    persistedPerSecond: of((r) => r.store?.persistedPerSecond ?? NaN),
    recipientAckedPerSecond: of((r) => r.store?.recipientAckedPerSecond ?? NaN),
    ackP50: of((r) => r.ack.p50),
    ackP99: of((r) => r.ack.p99),
    deliveryP50: of((r) => r.delivery.p50),
    deliveryP99: of((r) => r.delivery.p99),
    deliveryMax: of((r) => r.delivery.max),
  };
  const sustained =
    point.ackedPerSecond.median >= 0.95 * rate &&
    point.deliveredPerSecond.median >= 0.95 * rate &&
    point.deliveryP99.median <= maxP99Ms &&
    runs.every((r) => r.lossFree);
  return { ...point, sustained };
}

export function pointLine(target: Target, point: RatePoint): string {
  const ms = (s: Spread) => formatSpread(s, 2);
  const per = (s: Spread) => formatSpread(s, 0);
  const loss = point.runs.every((r) => r.lossFree) ? 'no loss, no duplicates' : 'LOSS OR DUPLICATES';
  const clientCores = Math.max(...point.runs.map((r) => r.clientCores)).toFixed(2);
  return (
    `${TARGET_NAMES[target]} @ ${point.rate}/s (${point.runs.length} runs): Acked ${per(point.ackedPerSecond)}/s, delivered ${per(point.deliveredPerSecond)}/s, ` +
    `persisted ${per(point.persistedPerSecond)}/s, recipient-Acked ${per(point.recipientAckedPerSecond)}/s; ` +
    `Ack p50 ${ms(point.ackP50)} p99 ${ms(point.ackP99)} ms; delivery p50 ${ms(point.deliveryP50)} p99 ${ms(point.deliveryP99)} max ${ms(point.deliveryMax)} ms; ` +
    `${loss}; client used ≤ ${clientCores} cores${point.sustained ? '' : '; NOT SUSTAINED'}`
  );
}

async function measureTarget(target: Target, options: MessagePathOptions): Promise<TargetResult> {
  const running = await startTarget(target, options.pairs);
  const client = await LoadClient.connect(running.wsUrl, running.accounts);
  const points: RatePoint[] = [];
  try {
    const runPoint = async (rate: number, runs: number) => {
      const results: RunResult[] = [];
      for (let i = 0; i < runs; i++) {
        const result = await client.run({ rate, seconds: options.seconds, warmup: options.warmup });
        const store = running.dbPath ? countStore(running.dbPath, result) : null;
        const storeExact = !store || (store.rows === result.sent && store.distinct === result.sent);
        const lossFree = storeExact && result.acked === result.sent && result.delivered === result.sent && result.duplicateAcks === 0 && result.errors === 0;
        results.push({ ...result, store, lossFree });
      }
      const point = summarize(rate, results, options.maxP99Ms);
      points.push(point);
      console.log(pointLine(target, point));
      return point;
    };
    let failed = false;
    for (const rate of options.rates) {
      // Past the first rate it could not keep up with, one run per point is enough to show it.
      const point = await runPoint(rate, failed ? 1 : options.runs);
      failed ||= !point.sustained;
    }
    if (options.saturate && !failed) {
      for (let rate = Math.max(...options.rates) + options.saturateStep; ; rate += options.saturateStep) {
        if (!(await runPoint(rate, options.runs)).sustained) break;
      }
    }
  } finally {
    client.close();
    await running.stop();
  }
  const sustained = points.filter((p) => p.sustained).map((p) => p.rate);
  const saturation = sustained.length ? Math.max(...sustained) : null;
  console.log(`${TARGET_NAMES[target]}: highest sustained rate ${saturation ?? 'none'} msg/s (Acked and delivered ≥ 95 % of offered, p99 delivery ≤ ${options.maxP99Ms} ms, no loss)`);
  return { target, pairs: options.pairs, points, saturation };
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
    maxP99Ms: Number(values['max-p99']),
    saturateStep: Number(values.step),
  });
  const r = ratios(results);
  if (r.relay !== null) console.log(`our highest sustained rate is ${(100 * r.relay).toFixed(0)} % of the bare relay's`);
  if (results.some((t) => t.points.some((p) => p.runs.some((run) => !run.lossFree)))) process.exitCode = 1;
}
