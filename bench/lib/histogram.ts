// A latency histogram with 1 % wide buckets: constant memory however many samples a run takes,
// so the load client can record every message at 20k/s without sorting huge arrays.
const GROWTH = 1.01;
const FLOOR_MS = 0.01;
const BUCKETS = 2000; // 0.01 ms · 1.01^2000 ≈ 4 h: no latency falls past the last bucket.
const LOG_GROWTH = Math.log(GROWTH);

export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  record(ms: number): void {
    const index = ms <= FLOOR_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GROWTH));
    this.counts[index] += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  /** The upper bound of the bucket holding the p-th percentile (within 1 %); NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(this.max, FLOOR_MS * GROWTH ** i);
    }
    return this.max;
  }

  summary(): LatencySummary {
    return { p50: this.percentile(50), p99: this.percentile(99), max: this.count ? this.max : NaN };
  }
}

export type LatencySummary = { p50: number; p99: number; max: number };

/** The median and the spread (min, max) of one figure over repeated runs. */
export type Spread = { median: number; min: number; max: number };

export function spread(values: number[]): Spread {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** "12.3 (11.9–13.0)": the median with its spread, or just the value for a single run. */
export function formatSpread(s: Spread, digits = 1): string {
  // NaN (nothing measured) comes back from a saved JSON report as null.
  if (s.median === null || Number.isNaN(s.median)) return '–';
  const f = (v: number) => v.toFixed(digits);
  return s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}
