// Reconnect storm: hundreds of sockets (several devices per user) send while each keeps dropping
// its connection at random (seeded) moments, half abruptly, half with a closing handshake, and
// reconnecting. Nothing is lost or doubled; the server answers every closing handshake; and once
// the storm is over the server's open file handles and resident memory are back near where they
// were after a warm-up round.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer } from '../server-process';
import {
  LONG,
  messageId,
  openHandles,
  readStore,
  registerUsers,
  residentKiB,
  ResilientClient,
  runSeed,
  seededRandom,
  sleep,
  until,
  type Account,
  type Planned,
} from './harness';

const USERS = LONG ? 100 : 40;
const DEVICES = 5;
const STORM_MS = LONG ? 60_000 : 4_000;
/** Each socket lives this long between drops, ms. */
const LIFETIME = [150, 900];
const CLEAN_CLOSE = 4000;

test(`reconnect storm: ${USERS * DEVICES} sockets reconnecting while they send; nothing lost or doubled, handles and memory back`, { timeout: LONG ? 600_000 : 120_000 }, async () => {
  const random = seededRandom(runSeed('reconnect storm'));
  const server = await startServer({ CHAT_DEMO: '0' });
  const pid = server.process.pid!;
  const wsUrl = `ws://127.0.0.1:${server.port}/ws`;
  let all: ResilientClient[] = [];
  try {
    const accounts = await registerUsers(server.url, USERS, 'storm');
    let sending = true;
    let deviceIndex = 0;
    const device = (account: Account, user: number) => {
      const index = deviceIndex++;
      let n = 0;
      const next = (): Planned | null => {
        if (!sending) return null;
        n += 1;
        return { id: messageId(index, n), toUserId: accounts[(user + 1 + (n % 3)) % USERS].userId, content: `d${index} #${n}` };
      };
      return new ResilientClient(account, () => wsUrl, next, { window: 8, perTick: 1, tickMs: 100 });
    };

    /** One round: every device connects, sends and keeps dropping for `ms`, then stops sending and drains. */
    const round = async (ms: number): Promise<{ clients: ResilientClient[]; drops: number; clean: number }> => {
      sending = true;
      const clients = accounts.flatMap((account, user) => Array.from({ length: DEVICES }, () => device(account, user)));
      all = all.concat(clients);
      for (const client of clients) client.start();
      const end = Date.now() + ms;
      let drops = 0;
      let clean = 0;
      const storms = clients.map(async (client) => {
        for (;;) {
          await sleep(LIFETIME[0] + random() * (LIFETIME[1] - LIFETIME[0]));
          if (Date.now() > end) return;
          if (!client.live) continue;
          drops += 1;
          if (random() < 0.5) client.drop();
          else {
            clean += 1;
            client.closeCleanly(CLEAN_CLOSE);
          }
        }
      });
      await Promise.all(storms);
      sending = false;
      await until(() => clients.every((client) => client.unacked.length === 0), 60_000, () => 'every message to be Acked');
      return { clients, drops, clean };
    };

    const idle = openHandles(pid);
    const warmUp = await round(1_500);
    for (const client of warmUp.clients) client.stop();
    await until(() => openHandles(pid) <= idle + 5, 30_000, () => `the warm-up's sockets to close (${openHandles(pid)} handles open, ${idle} before)`);
    await sleep(500);
    const baseline = { handles: openHandles(pid), kib: residentKiB(pid) };

    const storm = await round(STORM_MS);
    const clients = storm.clients;
    // Every message to a user reaches at least one of their devices, each of which Acks it.
    await until(() => readStore(server.dbPath).messages.every((message) => message.delivered), 60_000, () => 'every message to be delivered');
    const connections = clients.reduce((sum, client) => sum + client.connection, 0);
    for (const client of clients) client.stop();
    await until(() => openHandles(pid) <= baseline.handles + 5, 30_000, () => `handles back to ${baseline.handles} (now ${openHandles(pid)})`);
    const after = { handles: openHandles(pid), kib: residentKiB(pid) };
    const sent = [...warmUp.clients, ...clients].reduce((sum, client) => sum + client.acked.size, 0);
    console.log(
      `# reconnect storm: ${clients.length} sockets, ${connections} connections, ${storm.drops} drops (${storm.clean} clean), ${sent} messages; ` +
        `handles ${baseline.handles} -> ${after.handles}, RSS ${Math.round(baseline.kib / 1024)} -> ${Math.round(after.kib / 1024)} MiB`,
    );

    assert.deepEqual(all.flatMap((client) => client.problems), []);
    // Every closing handshake the clients began was answered by the server (not left half-open: 1006).
    const codes = clients.flatMap((client) => client.closeCodes);
    assert.equal(codes.filter((code) => code === CLEAN_CLOSE).length, storm.clean, `close codes: ${[...new Set(codes)].join(',')}`);
    assert.ok(after.kib < baseline.kib + 96 * 1024, `resident memory ${after.kib} KiB after, ${baseline.kib} KiB before`);

    const { messages, integrity } = readStore(server.dbPath);
    assert.equal(integrity, 'ok');
    assert.equal(messages.length, sent, 'every Acked message stored, nothing else');
    assert.equal(new Set(messages.map((message) => message.content)).size, messages.length, 'no message stored twice');
    const byId = new Map(messages.map((message) => [message.id, message]));
    for (const client of [...warmUp.clients, ...clients]) {
      for (const [id, planned] of client.acked) assert.equal(byId.get(id)?.content, planned.content, `Acked ${id} is stored`);
    }
    const receivedBy = new Map<number, Set<bigint>>();
    for (const client of [...warmUp.clients, ...clients]) {
      let mine = receivedBy.get(client.account.userId);
      if (!mine) receivedBy.set(client.account.userId, (mine = new Set()));
      for (const receipt of client.receipts) mine.add(receipt.id);
    }
    const missing = messages.filter((message) => !receivedBy.get(message.recipientId)?.has(message.id));
    assert.deepEqual(missing.map((message) => message.id), [], 'every message reached one of its recipient’s devices');
  } finally {
    for (const client of all) client.stop();
    await server.stop('SIGKILL');
  }
});
