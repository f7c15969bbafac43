// What the message-path benchmarks share: a point's runs summed up (median and spread), whether
// the target kept up with it, and the line that prints it.
import { formatSpread, spread, type Spread } from './histogram';
import { processCpuSeconds } from './process';
import type { PointResult } from './seed002-load';

export type Target = 'chat' | 'relay' | 'echo' | 'prosody';
export const TARGET_NAMES: Record<Target, string> = { chat: 'our server', relay: 'bare relay', echo: 'bare echo', prosody: 'Prosody' };

export type MessagePathOptions = {
  targets: Target[];
  pairs: number;
  rates: number[];
  runs: number;
  seconds: number;
  warmup: number;
  saturate: boolean;
  /**
   * Then halve the gap between the highest sustained rate and the next rate tried until it is
   * within NARROW_WITHIN of the former: on the listed rates alone a target that keeps up with
   * 4,500/s reads as 2,000/s, and the share of the relay's rate is a matter of where the list steps.
   */
  narrow: boolean;
  /** A point is sustained while Acks and deliveries follow the offered rate (95 %) with p99 delivery at most this. */
  maxP99Ms: number;
  saturateStep: number;
};

/** One run of one point, with what the store holds of it (null for the echo, which stores nothing). */
export type RunResult = PointResult & {
  store: { rows: number; distinct: number; persistedPerSecond: number; recipientAckedPerSecond: number } | null;
  /** The store holds each sent message exactly once (counted once the target has settled), no duplicate Ack, no Error frame. */
  lossFree: boolean;
  /** Every message was Acked and delivered within the drain time after the last send. */
  drained: boolean;
  /**
   * The target's CPU time over the whole run (warm-up, measured window, drain) per message sent,
   * in microseconds: what throughput is bought with, and steadier than latency on a shared machine.
   */
  serverCpuUsPerMessage: number | null;
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
  serverCpuUsPerMessage: Spread;
  sustained: boolean;
};

export type TargetResult = { target: Target; pairs: number; points: RatePoint[]; saturation: number | null };

export function summarize(rate: number, runs: RunResult[], maxP99Ms: number): RatePoint {
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
    serverCpuUsPerMessage: of((r) => r.serverCpuUsPerMessage ?? NaN),
  };
  const sustained =
    point.ackedPerSecond.median >= 0.95 * rate &&
    point.deliveredPerSecond.median >= 0.95 * rate &&
    point.deliveryP99.median <= maxP99Ms &&
    runs.every((r) => r.lossFree && r.drained);
  return { ...point, sustained };
}

export function pointLine(target: Target, point: RatePoint): string {
  const ms = (s: Spread) => formatSpread(s, 2);
  const per = (s: Spread) => formatSpread(s, 0);
  const loss =
    (point.runs.every((r) => r.lossFree) ? 'no loss, no duplicates' : 'LOSS OR DUPLICATES') +
    (point.runs.every((r) => r.drained) ? '' : '; not all Acked and delivered within the drain time');
  const clientCores = Math.max(...point.runs.map((r) => r.clientCores)).toFixed(2);
  const serverCpu = Number.isNaN(point.serverCpuUsPerMessage.median) ? '' : `; server CPU ${per(point.serverCpuUsPerMessage)} µs/message`;
  return (
    `${TARGET_NAMES[target]} @ ${point.rate}/s (${point.runs.length} runs): Acked ${per(point.ackedPerSecond)}/s, delivered ${per(point.deliveredPerSecond)}/s, ` +
    `persisted ${per(point.persistedPerSecond)}/s, recipient-Acked ${per(point.recipientAckedPerSecond)}/s; ` +
    `Ack p50 ${ms(point.ackP50)} p99 ${ms(point.ackP99)} ms; delivery p50 ${ms(point.deliveryP50)} p99 ${ms(point.deliveryP99)} max ${ms(point.deliveryMax)} ms; ` +
    `${loss}${serverCpu}; client used ≤ ${clientCores} cores${point.sustained ? '' : '; NOT SUSTAINED'}`
  );
}

/** Every message Acked and delivered (within the drain time). */
export function isDrained(result: PointResult): boolean {
  return result.acked === result.sent && result.delivered === result.sent;
}

/** No message Acked twice, no Error frame. */
export function isClean(result: PointResult): boolean {
  return result.duplicateAcks === 0 && result.errors === 0;
}

/**
 * Counts the store until it holds `sent` rows or stops growing for 3 s (at most 2 min): a target
 * still working through a backlog is let finish, so the count is of loss, not of lag, and the
 * next point starts on an idle target.
 */
export async function settledCount<T extends { rows: number }>(count: () => T, sent: number): Promise<T> {
  let last = count();
  let stableSince = performance.now();
  const until = performance.now() + 120_000;
  while (last.rows < sent && performance.now() < until && performance.now() - stableSince < 3000) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = count();
    if (now.rows !== last.rows) stableSince = performance.now();
    last = now;
  }
  return last;
}

/** Runs `run` and measures the CPU the process `pid` spent meanwhile, per message sent. */
export async function withServerCpu<T extends { sent: number }>(pid: number | undefined, run: () => Promise<T>): Promise<T & { serverCpuUsPerMessage: number | null }> {
  const before = processCpuSeconds(pid);
  const result = await run();
  const after = processCpuSeconds(pid);
  const serverCpuUsPerMessage = before === null || after === null || result.sent === 0 ? null : ((after - before) * 1e6) / result.sent;
  return { ...result, serverCpuUsPerMessage };
}

/** How close `narrow` gets: the highest sustained rate is within this share below the lowest rate not sustained. */
export const NARROW_WITHIN = 0.15;
/** Rates tried while narrowing are multiples of this. */
const RATE_UNIT = 25;

function highestSustained(points: RatePoint[]): number | null {
  const sustained = points.filter((p) => p.sustained).map((p) => p.rate);
  return sustained.length ? Math.max(...sustained) : null;
}

/**
 * Runs the listed rates (`runs` times each), then with `saturate` steps up past them until the
 * target stops keeping up, and with `narrow` closes in on the highest rate it keeps up with; prints
 * each point and the highest sustained rate. Past the first rate the target could not keep up
 * with, one run per listed point is enough to show it, and with `stopAtFirstFailure` (a slow peer)
 * the rest are skipped.
 */
export async function stepRates(
  target: Target,
  options: MessagePathOptions,
  runOnce: (rate: number) => Promise<RunResult>,
  { stopAtFirstFailure = false } = {},
): Promise<TargetResult> {
  const points: RatePoint[] = [];
  const runPoint = async (rate: number, runs: number) => {
    const results: RunResult[] = [];
    for (let i = 0; i < runs; i++) results.push(await runOnce(rate));
    const point = summarize(rate, results, options.maxP99Ms);
    points.push(point);
    console.log(pointLine(target, point));
    return point;
  };
  let failed = false;
  for (const rate of options.rates) {
    if (failed && stopAtFirstFailure) break;
    const point = await runPoint(rate, failed ? 1 : options.runs);
    failed ||= !point.sustained;
  }
  if (options.saturate && !failed) {
    for (let rate = Math.max(...options.rates) + options.saturateStep; ; rate += options.saturateStep) {
      if (!(await runPoint(rate, options.runs)).sustained) break;
    }
  }
  if (options.narrow) {
    let low = highestSustained(points);
    let high = Math.min(...points.filter((p) => !p.sustained && p.rate > (low ?? 0)).map((p) => p.rate));
    while (low !== null && Number.isFinite(high) && high - low > NARROW_WITHIN * low) {
      const rate = Math.round((low + high) / 2 / RATE_UNIT) * RATE_UNIT;
      if (rate <= low || rate >= high) break;
      if ((await runPoint(rate, options.runs)).sustained) low = rate;
      else high = rate;
    }
    points.sort((a, b) => a.rate - b.rate);
  }
  const saturation = highestSustained(points);
  console.log(
    `${TARGET_NAMES[target]}: highest sustained rate ${saturation ?? 'none'} msg/s (Acked and delivered ≥ 95 % of offered, p99 delivery ≤ ${options.maxP99Ms} ms, no loss)`,
  );
  return { target, pairs: options.pairs, points, saturation };
}
