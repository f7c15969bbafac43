// Crash loop: clients pipeline messages over many conversations while the server is killed with
// SIGKILL at random (seeded) moments and restarted over the same store; they reconnect, re-Auth
// and resend what was not Acked with the same id. Afterwards: every Acked message is stored once,
// each conversation's seqs are 1..n, each sender's order is kept, every recipient got everything
// (each connection in seq order, nothing twice on one connection), a message whose delivery Ack
// was committed is never pushed again, and the SQLite file passes its integrity check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer, type RunningServer } from '../server-process';
import { LONG, messageId, readStore, registerUsers, ResilientClient, runSeed, seededRandom, seqGaps, sleep, until, type Planned } from './harness';

const USERS = LONG ? 24 : 8;
/** Each user writes to this many others (the ones after it, round the circle), so most chats have two senders. */
const PEERS = 3;
const KILLS = LONG ? 40 : 4;
/** How long the server lives between kills, ms (after it is listening again). */
const UPTIME = LONG ? [300, 2500] : [300, 1500];

test(`crash loop: ${KILLS} SIGKILLs while ${USERS} clients send; nothing Acked is lost or doubled`, { timeout: LONG ? 900_000 : 120_000 }, async () => {
  const random = seededRandom(runSeed('crash loop'));
  let server: RunningServer = await startServer({ CHAT_DEMO: '0' });
  const dir = server.dir;
  const dbPath = server.dbPath;
  let clients: ResilientClient[] = [];
  try {
    const accounts = await registerUsers(server.url, USERS, 'crash-loop');
    let wsUrl = `ws://127.0.0.1:${server.port}/ws`;
    let sending = true;
    clients = accounts.map((account, i) => {
      let n = 0;
      const next = (): Planned | null => {
        if (!sending) return null;
        n += 1;
        const peer = accounts[(i + 1 + (n % PEERS)) % USERS];
        return { id: messageId(i, n), toUserId: peer.userId, content: `u${i} #${n}` };
      };
      return new ResilientClient(account, () => wsUrl, next, { window: 16, perTick: 2, tickMs: 10 });
    });
    for (const client of clients) client.start();

    // After kill k, the store says which deliveries were committed: none may be pushed again later.
    const deliveredBy = new Map<bigint, number>();
    let epoch = 0;
    const connectionEpochs = clients.map(() => [0]);
    const noteEpochs = () => clients.forEach((client, i) => (connectionEpochs[i][client.connection] ??= epoch));
    const epochTicker = setInterval(noteEpochs, 5);
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        await sleep(UPTIME[0] + random() * (UPTIME[1] - UPTIME[0]));
        await server.stop('SIGKILL');
        noteEpochs();
        epoch = kill;
        for (const message of readStore(dbPath).messages) if (message.delivered && !deliveredBy.has(message.id)) deliveredBy.set(message.id, kill - 1);
        server = await startServer({ CHAT_DEMO: '0' }, [], { dir });
        wsUrl = `ws://127.0.0.1:${server.port}/ws`;
      }
      await sleep(UPTIME[0]);
      sending = false;
      await until(() => clients.every((client) => client.unacked.length === 0), 60_000, () => 'every message to be Acked');
      const total = clients.reduce((sum, client) => sum + client.acked.size, 0);
      await until(
        () => clients.reduce((sum, client) => sum + new Set(client.receipts.map((r) => r.id)).size, 0) === total,
        60_000,
        () => 'every message to reach its recipient',
      );
      await until(() => readStore(dbPath).messages.every((message) => message.delivered), 30_000, () => 'every delivery Ack to be committed');
      noteEpochs();
    } finally {
      clearInterval(epochTicker);
    }
    for (const client of clients) client.stop();

    const { messages, integrity } = readStore(dbPath);
    const sent = clients.reduce((sum, client) => sum + client.acked.size, 0);
    console.log(`# crash loop: ${sent} messages Acked over ${new Set(messages.map((m) => m.conversationId)).size} chats, ${KILLS} kills survived, ${clients.reduce((s, c) => s + c.connection, 0)} connections`);
    assert.equal(integrity, 'ok');
    assert.deepEqual(clients.flatMap((client) => client.problems), []);

    // Every Acked message is stored exactly once, as sent; nothing else is stored.
    const byId = new Map(messages.map((message) => [message.id, message]));
    assert.equal(messages.length, sent, 'as many stored messages as Acked ones');
    assert.equal(new Set(messages.map((message) => message.content)).size, messages.length, 'no content stored twice');
    clients.forEach((client) => {
      for (const [id, planned] of client.acked) {
        const stored = byId.get(id);
        assert.ok(stored, `Acked ${id} is stored`);
        assert.equal(stored.content, planned.content);
        assert.equal(stored.senderId, client.account.userId);
        assert.equal(stored.recipientId, planned.toUserId);
      }
    });
    assert.deepEqual(seqGaps(messages), [], 'each chat’s seqs are 1..n');

    // Each sender's own order holds in every chat: its messages' seqs rise with the order it sent them.
    for (const client of clients) {
      const lastSeq = new Map<number, number>();
      for (const id of [...client.acked.keys()].sort((a, b) => (a < b ? -1 : 1))) {
        const { conversationId, seq } = byId.get(id)!;
        assert.ok(seq > (lastSeq.get(conversationId) ?? 0), `sender ${client.account.userId}: ${id} keeps its place in chat ${conversationId}`);
        lastSeq.set(conversationId, seq);
      }
    }

    clients.forEach((client, i) => {
      const userId = client.account.userId;
      const mine = messages.filter((message) => message.recipientId === userId);
      const received = new Map(client.receipts.map((receipt) => [receipt.id, receipt]));
      assert.equal(received.size, mine.length, `user ${userId} received every message to them`);
      for (const message of mine) {
        const receipt = received.get(message.id);
        assert.ok(receipt, `user ${userId} received ${message.id}`);
        assert.equal(receipt.seq, message.seq);
        assert.equal(receipt.conversationId, message.conversationId);
        assert.equal(receipt.content, message.content);
      }
      // On each connection, and in first arrivals overall, each chat arrives in seq order.
      const lastOnConnection = new Map<string, number>();
      const lastFirst = new Map<number, number>();
      const seen = new Set<bigint>();
      for (const receipt of client.receipts) {
        const key = `${receipt.connection}:${receipt.conversationId}`;
        assert.ok(receipt.seq > (lastOnConnection.get(key) ?? 0), `user ${userId}, connection ${receipt.connection}: chat ${receipt.conversationId} in order`);
        lastOnConnection.set(key, receipt.seq);
        if (seen.has(receipt.id)) {
          // A repeat is allowed (at-least-once) only while the delivery Ack was not committed.
          const committedIn = deliveredBy.get(receipt.id);
          const receivedIn = connectionEpochs[i][receipt.connection];
          assert.ok(committedIn === undefined || receivedIn <= committedIn, `user ${userId}: ${receipt.id} pushed again after its Ack was committed`);
          continue;
        }
        seen.add(receipt.id);
        assert.ok(receipt.seq > (lastFirst.get(receipt.conversationId) ?? 0), `user ${userId}: chat ${receipt.conversationId} first arrives in order`);
        lastFirst.set(receipt.conversationId, receipt.seq);
      }
    });
  } finally {
    for (const client of clients) client.stop();
    await server.stop('SIGKILL');
  }
});
