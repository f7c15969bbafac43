// Graceful stop: SIGTERM while sockets pipeline messages and HTTP clients hammer the API over
// keep-alive connections. Every socket is closed with 1001, the process exits 0 without cutting
// off a request, and after a restart over the same store every Acked message is there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer } from '../server-process';
import { LONG, messageId, readStore, registerUsers, ResilientClient, until, type Planned } from './harness';

const USERS = LONG ? 30 : 6;
const HTTP_LOOPS = LONG ? 16 : 4;
const ROUNDS = LONG ? 5 : 1;

for (let round = 1; round <= ROUNDS; round++) {
  test(`graceful stop ${round}/${ROUNDS}: SIGTERM under load loses nothing Acked; sockets get 1001`, { timeout: 90_000 }, async () => {
    const server = await startServer({ CHAT_DEMO: '0' });
    const accounts = await registerUsers(server.url, USERS, 'graceful-stop');
    const clients = accounts.map((account, i) => {
      let n = 0;
      const next = (): Planned => {
        n += 1;
        return { id: messageId(i, n), toUserId: accounts[(i + 1) % USERS].userId, content: `u${i} #${n}` };
      };
      return new ResilientClient(account, () => `ws://127.0.0.1:${server.port}/ws`, next, { window: 32, perTick: 4, tickMs: 10 });
    });
    try {
      for (const client of clients) client.start();
      // Keep-alive HTTP clients: each loop reuses its connection for request after request.
      let hammering = true;
      const statuses: number[] = [];
      const failures: string[] = [];
      let stopped = false;
      const loops = Array.from({ length: HTTP_LOOPS }, async () => {
        while (hammering) {
          try {
            const response = await fetch(`${server.url}/api/health`);
            await response.arrayBuffer();
            statuses.push(response.status);
          } catch (error) {
            // The server has gone (after SIGTERM); before it, a failure is a finding.
            if (!stopped) failures.push(String((error as Error).cause ?? error));
            return;
          }
        }
      });
      await until(() => clients.every((client) => client.acked.size > 20) && statuses.length > 20, 30_000, () => 'traffic on every socket and loop');

      stopped = true;
      assert.deepEqual(failures, [], 'HTTP requests before SIGTERM');
      const signalled = Date.now();
      const exit = server.stop('SIGTERM');
      void exit.then(() => console.log(`# graceful stop ${round}: exited ${Date.now() - signalled} ms after SIGTERM (a figure, not asserted)`));
      await until(() => clients.every((client) => client.closeCodes.length > 0), 15_000, () => 'every socket to close');
      for (const client of clients) client.stop();
      assert.equal(await exit, 0, server.output());
      hammering = false;
      await Promise.all(loops);
      assert.deepEqual(
        clients.map((client) => client.closeCodes[0]),
        clients.map(() => 1001),
      );
      assert.doesNotMatch(server.output(), /cut off/, 'no HTTP request was cut off');
      assert.deepEqual([...new Set(statuses)], [200]);
      assert.deepEqual(clients.flatMap((client) => client.problems), []);

      const restarted = await startServer({ CHAT_DEMO: '0' }, [], { dir: server.dir });
      try {
        assert.equal((await fetch(`${restarted.url}/api/health`)).status, 200);
        const { messages, integrity } = readStore(restarted.dbPath);
        assert.equal(integrity, 'ok');
        const stored = new Map(messages.map((message) => [message.id, message]));
        let acked = 0;
        for (const client of clients) {
          for (const [id, planned] of client.acked) {
            acked += 1;
            assert.equal(stored.get(id)?.content, planned.content, `Acked ${id} is stored`);
          }
        }
        console.log(`# graceful stop ${round}: ${acked} Acked messages, all stored; ${statuses.length} HTTP requests answered`);
      } finally {
        await restarted.stop('SIGKILL');
      }
    } finally {
      for (const client of clients) client.stop();
      await server.stop('SIGKILL');
    }
  });
}
