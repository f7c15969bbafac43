// The custom server's own routing of app/'s route files: which path runs which function, methods
// as Next answers them, and bodies both ways over a real socket.
import assert from 'node:assert/strict';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { useSettings } from '../env';
import { readBodyText } from '../rest/http';
import { download } from '../rest/uploads';
import { handleTrpcRequest } from '../trpc/http';
import { answerRoute, loadRoutes, RouteTable, routeSegments, type Route } from './routes';

test('the table is app/ itself: each route file’s path runs the functions that file exports', async () => {
  const routes = await loadRoutes(fileURLToPath(new URL('../../app', import.meta.url)));
  assert.equal(routes.match('/api/trpc/conversations.list,shops.list')?.handlers.POST, handleTrpcRequest);
  assert.equal(routes.match('/im/file/down/abc.png')?.handlers.GET, download);
  assert.equal(routes.match('/api/health')?.file, 'api/health/route.ts');
  for (const path of ['/api/trpc', '/api/trpc/', '/api/health/', '/file/down/a/b', '/chats', '/']) assert.equal(routes.match(path), undefined, path);
});

test('folder names: groups add nothing, [name] is one segment, catch-alls and private folders are left to Next', () => {
  assert.deepEqual(routeSegments('(shop)/api/items/[id]/route.ts'), ['api', 'items', null]);
  assert.equal(routeSegments('docs/[...slug]/route.ts'), undefined);
  assert.equal(routeSegments('docs/[[...slug]]/route.ts'), undefined);
  assert.equal(routeSegments('_lib/route.ts'), undefined);
  const route = (file: string): Route => ({ file, segments: routeSegments(file)!, handlers: {} });
  const table = new RouteTable([route('a/[x]/c/route.ts'), route('a/b/[y]/route.ts'), route('a/b/route.ts')]);
  assert.equal(table.match('/a/b/c')?.file, 'a/b/[y]/route.ts', 'a named segment wins where they first differ');
  assert.equal(table.match('/a/z/c')?.file, 'a/[x]/c/route.ts');
  assert.equal(table.match('/a/b')?.file, 'a/b/route.ts');
});

// A server that answers every path with one route: GET streams three chunks, POST reads its body
// under a 1 MiB limit and sets two cookies.
let url: string;
const server = createServer((req, res) => {
  const route: Route = {
    file: 'test/route.ts',
    segments: ['test'],
    handlers: {
      GET: () => {
        const parts = ['one,', 'two,', 'three'].map((part) => new TextEncoder().encode(part));
        const body = new ReadableStream({ pull: (controller) => (parts.length ? controller.enqueue(parts.shift()) : controller.close()) });
        return new Response(body, { headers: { 'content-type': 'text/plain' } });
      },
      POST: async (request) => {
        try {
          const headers = new Headers([['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
          return new Response(`${(await readBodyText(request)).length} bytes from ${new URL(request.url).host}`, { headers });
        } catch {
          return new Response('too large', { status: 413 });
        }
      },
    },
  };
  answerRoute(route, req, res).catch(() => res.destroy());
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/test`;
});
after(() => server.close());

test('methods as Next answers them: HEAD runs GET without its body, OPTIONS lists them, others get 405 with Allow', async () => {
  const head = await fetch(url, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-type'), 'text/plain');
  const options = await fetch(url, { method: 'OPTIONS' });
  assert.deepEqual([options.status, options.headers.get('allow')], [204, 'GET, HEAD, OPTIONS, POST']);
  const put = await fetch(url, { method: 'PUT', body: 'x' });
  assert.deepEqual([put.status, put.headers.get('allow'), await put.text()], [405, 'GET, HEAD, OPTIONS, POST', '']);
});

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string; socket: unknown };

/** A request over node:http (fetch cannot set Host), its body written in `chunks` of 256 KiB. */
function send(headers: Record<string, string>, chunks: number, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, socket: req.socket }));
    });
    req.on('error', reject);
    for (let i = 0; i < chunks; i++) req.write(Buffer.alloc(256 * 1024, 120));
    req.end();
  });
}

test('bodies: a streamed answer arrives whole, cookies stay apart, the URL keeps the Host', async () => {
  assert.equal(await (await fetch(url)).text(), 'one,two,three');
  const posted = await send({ host: 'chat.test:8080', 'content-length': String(256 * 1024) }, 1);
  assert.equal(posted.text, '262144 bytes from chat.test:8080');
  assert.deepEqual(posted.headers['set-cookie'], ['a=1', 'b=2']);
});

test('a chunked body over the limit is refused mid-way and the same connection answers the next request', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const refused = await send({ 'transfer-encoding': 'chunked' }, 8, agent);
  assert.deepEqual([refused.status, refused.text], [413, 'too large']);
  const next = await send({ 'transfer-encoding': 'chunked' }, 1, agent);
  assert.deepEqual([next.status, next.text], [200, `262144 bytes from ${new URL(url).host}`]);
  assert.equal(next.socket, refused.socket, 'kept alive');
  agent.destroy();
});

test('Server-Timing tells the handler\'s time only where CHAT_SERVER_TIMING=1 asks for it', async () => {
  useSettings({ NODE_ENV: 'test' });
  assert.equal((await fetch(url)).headers.get('server-timing'), null, 'off by default: timings are for benchmarks');
  useSettings({ NODE_ENV: 'test', CHAT_SERVER_TIMING: '1' });
  try {
    const timing = (await fetch(url)).headers.get('server-timing');
    assert.match(timing ?? '', /^app;dur=\d+\.\d{3}$/);
    assert.ok(Number(timing!.split('=')[1]) < 10_000);
  } finally {
    useSettings({ NODE_ENV: 'test' });
  }
});
