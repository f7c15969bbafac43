// Depth: a store of many messages (1,000,000 in 10,000 conversations by default, 100,000 of them
// in one deep chat of a user who has 1,000 chats), generated straight into the SQLite file; then
// the server opens it and autocannon measures a history page near the newest and near the oldest
// message (tRPC and seed 004's last_id) and that user's chat list (tRPC and seeds 000, 001, 002).
//   npx tsx bench/depth.ts [--messages 1000000] [--conversations 10000] [--heavy 1000] [--seconds 5] [--runs 3] [--warmup 5]
// Needs `npm run build` first.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../e2e/server-process';
import { generateStore, type GeneratedStore } from './lib/generate-store';
import { formatSpread, spread, type Spread } from './lib/histogram';
import { loadQuery, type HttpQuery, type HttpResult } from './lib/http-load';
import { machineLine, pinClient, serverNodeArgs, serverPrefix } from './lib/machine';
import { spawnListening } from './lib/process';
import type { RecordedAnswer } from './replay-server';
import { isMain } from './lib/target';

/** `warmup`: seconds each query is loaded, not counted, before its timed runs (the first seconds run code not yet optimised). */
export type DepthOptions = { messages: number; conversations: number; heavy: number; seconds: number; runs: number; warmup: number };

export type DepthQueryResult = {
  name: string;
  path: string;
  runs: HttpResult[];
  p50: Spread;
  p99: Spread;
  /** The handler's own time (Server-Timing): what is left of a latency beyond it is the network, event-loop waits and the client. */
  serverP50: Spread;
  serverP99: Spread;
  /** The same answer replayed by a server that does nothing else (bench/replay-server.ts): the floor for its size. */
  replayP50: Spread;
  replayP99: Spread;
  requestsPerSecond: Spread;
  failures: number;
};
export type DepthResult = { store: Omit<GeneratedStore, 'heavy' | 'deep'> & { deepMessages: number }; warmupSeconds: number; queries: DepthQueryResult[] };

/** Loads the query `runs` times for `seconds` each, after `warmup` seconds that are not counted. */
async function timedRuns(baseUrl: string, query: HttpQuery, options: DepthOptions): Promise<HttpResult[]> {
  if (options.warmup > 0) await loadQuery(baseUrl, query, { seconds: options.warmup });
  const runs: HttpResult[] = [];
  for (let i = 0; i < options.runs; i++) runs.push(await loadQuery(baseUrl, query, { seconds: options.seconds }));
  return runs;
}

const trpc = (procedure: string, input: unknown) => `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

function queries(store: GeneratedStore): HttpQuery[] {
  const auth = { authorization: `Bearer ${store.heavy.token}` };
  const { deep } = store;
  const seed004 = (lastId: bigint, direction: 'up' | 'down') =>
    `/api/platform?s=Platform.ChatMessage.GetMessageList&access_token=${store.heavy.token}&chat_message_to_uuid=${deep.peerUuid}&last_id=${lastId}&direction=${direction}&perpage=20`;
  return [
    // The floor: an answer that reads almost nothing, so the rest can be read as the query's own cost.
    { name: 'floor: /api/health (one trivial query)', path: '/api/health' },
    { name: 'history, newest page (tRPC)', path: trpc('conversations.history', { conversationId: deep.conversationId, limit: 50 }), headers: auth },
    { name: 'history, oldest page (tRPC)', path: trpc('conversations.history', { conversationId: deep.conversationId, beforeSeq: 52, limit: 50 }), headers: auth },
    { name: 'history, newest page (seed 004 last_id)', path: seed004(deep.newestIds.at(-1)!, 'up') },
    { name: 'history, oldest page (seed 004 last_id)', path: seed004(deep.oldestIds[0], 'down') },
    { name: 'chat list, first 200 (tRPC)', path: trpc('conversations.list', { limit: 200 }), headers: auth },
    { name: 'chat list, page of 20 (seed 000)', path: '/api/chat?type=all&page=1&pageSize=20', headers: auth },
    { name: 'chat list, page of 20 (seed 001)', path: '/api/dialog?include=sender,recipient,dialogMessage&page[limit]=20', headers: auth },
    {
      name: 'chat list, all (seed 002)',
      method: 'POST',
      path: '/im/user/chat/list',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: store.heavy.userId }),
    },
  ];
}

/**
 * The query's answer, recorded from the real server, served by bench/replay-server.ts on the
 * server's core and loaded as the query was: the latency of an answer of that size with no work.
 */
async function replayFloor(serverUrl: string, query: HttpQuery, file: string, options: DepthOptions): Promise<HttpResult[]> {
  const answer = await fetch(serverUrl + query.path, { method: query.method ?? 'GET', headers: query.headers, body: query.body });
  const recorded: RecordedAnswer = { status: answer.status, headers: [...answer.headers], body: Buffer.from(await answer.arrayBuffer()).toString('base64') };
  writeFileSync(file, JSON.stringify(recorded));
  const replay = await spawnListening([...serverPrefix(), process.execPath, '--import', 'tsx', 'bench/replay-server.ts', file]);
  try {
    return await timedRuns(`http://127.0.0.1:${replay.port}`, query, options);
  } finally {
    await replay.stop();
  }
}

export async function depth(options: DepthOptions): Promise<DepthResult> {
  pinClient();
  console.log(machineLine());
  const dir = mkdtempSync(join(tmpdir(), 'bench-depth-'));
  try {
    const store = generateStore(join(dir, 'chat.db'), {
      messages: options.messages,
      conversations: options.conversations,
      heavyConversations: options.heavy,
      deepShare: 0.1,
    });
    console.log(
      `depth store: ${store.messages} messages in ${store.conversations} conversations (deepest ${store.deep.messages}; one user has ${options.heavy}), generated in ${store.seconds.toFixed(1)} s`,
    );
    const server = await startServer({ CHAT_DEMO: '0', CHAT_SERVER_TIMING: '1' }, serverNodeArgs(), { dir, prefix: serverPrefix() });
    const results: DepthQueryResult[] = [];
    try {
      for (const query of queries(store)) {
        const runs = await timedRuns(server.url, query, options);
        const replayed = await replayFloor(server.url, query, join(dir, 'answer.json'), options);
        const result: DepthQueryResult = {
          name: query.name,
          path: query.path,
          runs,
          p50: spread(runs.map((r) => r.latency.p50)),
          p99: spread(runs.map((r) => r.latency.p99)),
          serverP50: spread(runs.map((r) => r.serverLatency?.p50 ?? NaN)),
          serverP99: spread(runs.map((r) => r.serverLatency?.p99 ?? NaN)),
          replayP50: spread(replayed.map((r) => r.latency.p50)),
          replayP99: spread(replayed.map((r) => r.latency.p99)),
          requestsPerSecond: spread(runs.map((r) => r.requestsPerSecond)),
          failures: runs.reduce((n, r) => n + r.failures, 0),
        };
        results.push(result);
        console.log(
          `${query.name}: p50 ${formatSpread(result.p50, 2)} ms, p99 ${formatSpread(result.p99, 2)} ms (in the handler p50 ${formatSpread(result.serverP50, 2)}, p99 ${formatSpread(result.serverP99, 2)}; the answer replayed: p50 ${formatSpread(result.replayP50, 2)}, p99 ${formatSpread(result.replayP99, 2)}), ${formatSpread(result.requestsPerSecond, 0)} req/s on 1 connection` +
            (result.failures ? `; ${result.failures} FAILED` : ''),
        );
      }
    } finally {
      await server.stop('SIGTERM');
    }
    const { heavy: _heavy, deep, ...rest } = store;
    return { store: { ...rest, deepMessages: deep.messages }, warmupSeconds: options.warmup, queries: results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '1000000' },
      conversations: { type: 'string', default: '10000' },
      heavy: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '5' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '5' },
    },
  });
  const result = await depth({
    messages: Number(values.messages),
    conversations: Number(values.conversations),
    heavy: Number(values.heavy),
    seconds: Number(values.seconds),
    runs: Number(values.runs),
    warmup: Number(values.warmup),
  });
  if (result.queries.some((q) => q.failures > 0)) process.exitCode = 1;
}
