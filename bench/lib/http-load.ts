// One HTTP query under load with autocannon: latency percentiles from each response's own time
// (autocannon's summary rounds to whole milliseconds, too coarse for a 2 ms goal) and requests/s;
// where the server sends Server-Timing (CHAT_SERVER_TIMING=1), also the handler's own time, so a
// latency can be split into the server's work and the rest (network, event-loop waits, the client).
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { Histogram, type LatencySummary } from './histogram';

export type HttpQuery = { name: string; method?: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
export type HttpResult = {
  name: string;
  path: string;
  latency: LatencySummary;
  /** The handler's time as the server's Server-Timing header told it; null where it sent none. */
  serverLatency: LatencySummary | null;
  requestsPerSecond: number;
  requests: number;
  failures: number;
};

/** `app;dur=1.234` from a Server-Timing value. */
const SERVER_TIMING = /(?:^|,)\s*app;dur=([\d.]+)/;

/** Checks the query answers 2xx with a body, then loads it with `connections` for `seconds`. */
export async function loadQuery(baseUrl: string, query: HttpQuery, { seconds, connections = 1 }: { seconds: number; connections?: number }): Promise<HttpResult> {
  const probe = await fetch(baseUrl + query.path, { method: query.method ?? 'GET', headers: query.headers, body: query.body });
  const text = await probe.text();
  if (!probe.ok || text.length === 0) throw new Error(`${query.name}: ${probe.status} ${text.slice(0, 300)}`);
  const histogram = new Histogram();
  const serverHistogram = new Histogram();
  let failures = 0;
  let instance!: autocannon.Instance;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: baseUrl + query.path,
        method: query.method ?? 'GET',
        headers: query.headers,
        body: query.body,
        connections,
        duration: seconds,
        // autocannon's types say 'headers' gives parsed headers; it emits http-parser-js's info, whose headers are raw.
        setupClient: (client) =>
          (client as unknown as EventEmitter).on('headers', ({ headers }: { headers: string[] }) => {
            // Raw headers: name, value, name, value, ...
            for (let i = 0; i < headers.length; i += 2) {
              if (headers[i].toLowerCase() !== 'server-timing') continue;
              const match = SERVER_TIMING.exec(headers[i + 1]);
              if (match) serverHistogram.record(Number(match[1]));
            }
          }),
      },
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
    serverLatency: serverHistogram.count > 0 ? serverHistogram.summary() : null,
    requestsPerSecond: result.requests.average,
    requests: histogram.count,
    failures: failures + result.errors + result.timeouts,
  };
}
