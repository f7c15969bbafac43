// Fills a fresh store with many messages fast: straight into the SQLite file the server will
// open, in batched transactions, with every column the server keeps (seq, delivered and read
// state), after the real migrations have made the schema. Ids follow the server's snowflake
// layout, so they increase with time as the server's do.
import { createHash } from 'node:crypto';
import { openStore } from '../../server/db/client';

const EPOCH_MS = 1288834974657n;
const BATCH = 50_000;

export type GeneratedStore = {
  /** The user with `heavyConversations` chats, and their session token. */
  heavy: { userId: number; uuid: string; token: string };
  /** The heavy user's deepest chat: its peer, its id and its length. */
  deep: { conversationId: number; peerId: number; peerUuid: string; messages: number; oldestIds: bigint[]; newestIds: bigint[] };
  messages: number;
  conversations: number;
  seconds: number;
};

export type GenerateOptions = {
  messages: number;
  conversations: number;
  /** How many of the conversations are the heavy user's (each with a different peer). */
  heavyConversations: number;
  /** The share of all messages that go to the heavy user's first chat (the deep one). */
  deepShare: number;
  /** Messages left undelivered, all to the heavy user in the deep chat, newest last (for the drain). */
  undelivered?: number;
};

const uuidOf = (n: number) => `bench${String(n).padStart(27, '0')}`;

export function generateStore(path: string, options: GenerateOptions): GeneratedStore {
  const started = performance.now();
  const { sqlite } = openStore(path);
  sqlite.pragma('synchronous = OFF');
  // Conversations are written last, once their lengths are known; the check at the end proves every reference holds.
  sqlite.pragma('foreign_keys = OFF');
  const now = Date.now();
  const token = 'bench-depth-token';
  // Users: 1 is heavy; 2 … heavy+1 are the peers of its chats; the other chats pair fresh users.
  const others = options.conversations - options.heavyConversations;
  const userCount = 1 + options.heavyConversations + 2 * others;
  const insertUser = sqlite.prepare(
    `INSERT INTO users (id, uuid, username, nickname, role, company, app, third_user_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'member', 'bench', 'depth', ?, ?, ?)`,
  );
  const insertConversation = sqlite.prepare(
    'INSERT INTO conversations (id, pair_key, from_id, to_id, last_seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMember = sqlite.prepare('INSERT INTO conversation_members (conversation_id, user_id, read_seq, read_at) VALUES (?, ?, ?, ?)');
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, recipient_id, type, content, created_at, delivered_at)
     VALUES (?, ?, ?, ?, ?, 'text', ?, ?, ?)`,
  );
  const members = (c: number): [number, number] =>
    c <= options.heavyConversations ? [1, 1 + c] : [2 + options.heavyConversations + 2 * (c - options.heavyConversations - 1), 3 + options.heavyConversations + 2 * (c - options.heavyConversations - 1)];

  // Message g goes to the deep chat (1) for a deepShare of g, else round the other chats; one
  // millisecond apart, ending now.
  const deepEvery = Math.max(1, Math.round(1 / options.deepShare));
  const conversationOf = (g: number) => (g % deepEvery === 0 ? 1 : 2 + (g % (options.conversations - 1)));
  const lastSeq = new Int32Array(options.conversations + 1);
  const lastAt = new Float64Array(options.conversations + 1);
  const start = now - options.messages;
  const undeliveredFrom = options.messages - (options.undelivered ?? 0);
  const oldestIds: bigint[] = [];
  const newestIds: bigint[] = [];

  sqlite.transaction(() => {
    for (let u = 1; u <= userCount; u++) insertUser.run(u, uuidOf(u), `bench-${u}`, `Bench ${u}`, `depth-${u}`, now, now);
    sqlite
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, 1, ?, ?)')
      .run(createHash('sha256').update(token).digest('hex'), now, now + 30 * 24 * 3600 * 1000);
  })();
  for (let from = 0; from < options.messages; from += BATCH) {
    sqlite.transaction(() => {
      for (let g = from; g < Math.min(options.messages, from + BATCH); g++) {
        const c = conversationOf(g);
        const seq = ++lastSeq[c];
        const at = start + g;
        lastAt[c] = at;
        const [a, b] = members(c);
        const [sender, recipient] = seq % 2 ? [b, a] : [a, b];
        const id = ((BigInt(at) - EPOCH_MS) << 22n) + BigInt(g % 1024);
        const delivered = g < undeliveredFrom ? at + 5 : null;
        // The drain's backlog is the heavy user's: sent to them by the deep chat's peer.
        const [s, r] = delivered === null && c === 1 ? [b, a] : [sender, recipient];
        insertMessage.run(id, c, seq, s, r, `message ${g} of the depth store`, at, delivered);
        if (c === 1 && oldestIds.length < 100) oldestIds.push(id);
        if (c === 1) {
          newestIds.push(id);
          if (newestIds.length > 100) newestIds.shift();
        }
      }
    })();
  }
  sqlite.transaction(() => {
    for (let c = 1; c <= options.conversations; c++) {
      const [a, b] = members(c);
      const updated = lastAt[c] || now;
      insertConversation.run(c, `u:${Math.min(a, b)}:${Math.max(a, b)}`, a, b, lastSeq[c], start, updated);
      // Each side has read all but the last few (a few unread per chat, as in life).
      insertMember.run(c, a, Math.max(0, lastSeq[c] - (c % 3)), updated);
      insertMember.run(c, b, lastSeq[c], updated);
    }
  })();
  const broken = sqlite.pragma('foreign_key_check') as unknown[];
  if (broken.length) throw new Error(`generated store breaks ${broken.length} foreign keys`);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  return {
    heavy: { userId: 1, uuid: uuidOf(1), token },
    deep: { conversationId: 1, peerId: 2, peerUuid: uuidOf(2), messages: lastSeq[1], oldestIds, newestIds },
    messages: options.messages,
    conversations: options.conversations,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A store of `count` users with one session each (token `bench-user-<n>`), for the connection benchmark. */
export function generateUsers(path: string, count: number): { userId: number; token: string }[] {
  const { sqlite } = openStore(path);
  sqlite.pragma('synchronous = OFF');
  const now = Date.now();
  const insertUser = sqlite.prepare(
    `INSERT INTO users (id, uuid, username, nickname, role, company, app, third_user_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'member', 'bench', 'connections', ?, ?, ?)`,
  );
  const insertSession = sqlite.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const accounts: { userId: number; token: string }[] = [];
  sqlite.transaction(() => {
    for (let u = 1; u <= count; u++) {
      const token = `bench-user-${u}`;
      insertUser.run(u, uuidOf(u), `bench-${u}`, `Bench ${u}`, `connections-${u}`, now, now);
      insertSession.run(createHash('sha256').update(token).digest('hex'), u, now, now + 30 * 24 * 3600 * 1000);
      accounts.push({ userId: u, token });
    }
  })();
  sqlite.close();
  return accounts;
}
