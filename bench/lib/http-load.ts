// One HTTP query under load with autocannon: latency percentiles from each response's own time
// (autocannon's summary rounds to whole milliseconds, too coarse for a 2 ms goal) and requests/s.
import autocannon from 'autocannon';
import { Histogram, type LatencySummary } from './histogram';

export type HttpQuery = { name: string; method?: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
export type HttpResult = { name: string; path: string; latency: LatencySummary; requestsPerSecond: number; requests: number; failures: number };

/** Checks the query answers 2xx with a body, then loads it with `connections` for `seconds`. */
export async function loadQuery(baseUrl: string, query: HttpQuery, { seconds, connections = 1 }: { seconds: number; connections?: number }): Promise<HttpResult> {
  const probe = await fetch(baseUrl + query.path, { method: query.method ?? 'GET', headers: query.headers, body: query.body });
  const text = await probe.text();
  if (!probe.ok || text.length === 0) throw new Error(`${query.name}: ${probe.status} ${text.slice(0, 300)}`);
  const histogram = new Histogram();
  let failures = 0;
  let instance!: autocannon.Instance;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      { url: baseUrl + query.path, method: query.method ?? 'GET', headers: query.headers, body: query.body, connections, duration: seconds },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) histogram.record(responseTime);
      else failures += 1;
    });
  });
  return {
    name: query.name,
    path: query.path,
    latency: histogram.summary(),
    requestsPerSecond: result.requests.average,
    requests: histogram.count,
    failures: failures + result.errors + result.timeouts,
  };
}
