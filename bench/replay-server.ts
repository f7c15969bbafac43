// The floor of one query: a bare node:http server that answers every request with the bytes the
// real server answered it (status, headers, body, read from a JSON file), doing no other work. The
// same load client against it shows what the network, the event loop and the client cost for an
// answer of that size; what the real server adds beyond it is its own.
//   npx tsx bench/replay-server.ts <answer.json>    (written by bench/depth.ts)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedAnswer = { status: number; headers: [string, string][]; body: string };

const file = process.argv[2];
if (!file) throw new Error('usage: replay-server.ts <answer.json>');
const answer = JSON.parse(readFileSync(file, 'utf8')) as RecordedAnswer;
const body = Buffer.from(answer.body, 'base64');
const head = answer.headers
  .filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'server-timing'].includes(name))
  .flat();
head.push('content-length', String(body.byteLength));

const server = createServer((req, res) => {
  // Read the request body (seed 002 posts one) before answering, as the real server does.
  req.resume();
  req.on('end', () => res.writeHead(answer.status, head).end(body));
});
server.listen(0, '127.0.0.1', () => {
  console.log(`replay server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
