// The limit to compare with: a bare `ws` relay with seed 002's frame shape that does only what
// the message path cannot skip. It stores each message with the same row and indexes as the
// server's messages table (SQLite, WAL, synchronous=NORMAL, the WAL copied back off the event loop
// as the server does, sends batched per event-loop turn in one transaction), relays it to the recipient, Acks the sender after the commit, and records the
// recipient's Ack. No auth, validation, conversations or domain. `--echo` skips the store too.
//   npx tsx bench/bare-relay.ts [--port 0] [--db /tmp/relay.db] [--echo]
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkpointOffTheEventLoop } from '../server/db/wal';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    db: { type: 'string' },
    echo: { type: 'boolean', default: false },
  },
});

const ID = /"id":(\d+)/;
const SRC_ID = /srcId\\?"\s*:\s*(\d+)/;

type Send = { ws: WebSocket; id: string; from: number; to: number; type: string; content: string };

function openStore(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // The same tuning as the server's store (server/db/client.ts), so the limit is like for like.
  db.pragma('cache_size = -65536');
  db.defaultSafeIntegers(true);
  db.exec(`CREATE TABLE IF NOT EXISTS messages (
    id integer PRIMARY KEY NOT NULL, conversation_id integer NOT NULL, seq integer NOT NULL,
    sender_id integer NOT NULL, recipient_id integer NOT NULL, type text NOT NULL, content text NOT NULL,
    created_at integer NOT NULL, delivered_at integer);
  CREATE UNIQUE INDEX IF NOT EXISTS messages_conversation_seq ON messages (conversation_id, seq);
  CREATE INDEX IF NOT EXISTS messages_conversation_time ON messages (conversation_id, created_at, seq);
  CREATE INDEX IF NOT EXISTS messages_sender ON messages (sender_id, id);
  CREATE INDEX IF NOT EXISTS messages_recipient ON messages (recipient_id, id);
  CREATE INDEX IF NOT EXISTS messages_undelivered ON messages (recipient_id, created_at, conversation_id, seq) WHERE delivered_at IS NULL;`);
  const insert = db.prepare(
    'INSERT OR IGNORE INTO messages (id, conversation_id, seq, sender_id, recipient_id, type, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const deliver = db.prepare('UPDATE messages SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL');
  // A pair's conversation is its lower user id; its seq a counter in memory (one process owns the file).
  const seqs = new Map<number, number>();
  const commit = db.transaction((sends: Send[], acks: string[]) => {
    const now = Date.now();
    for (const send of sends) {
      const conversation = Math.min(send.from, send.to);
      const seq = (seqs.get(conversation) ?? 0) + 1;
      seqs.set(conversation, seq);
      insert.run(BigInt(send.id), conversation, seq, send.from, send.to, send.type, send.content, now);
    }
    for (const id of acks) deliver.run(now, BigInt(id));
  });
  checkpointOffTheEventLoop(db, path);
  return { commit };
}

const store = values.echo ? null : openStore(values.db ?? join(mkdtempSync(join(tmpdir(), 'bare-relay-')), 'relay.db'));
const sockets = new Map<number, WebSocket>();
let sends: Send[] = [];
let acks: string[] = [];
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  const [batch, delivered] = [sends, acks];
  sends = [];
  acks = [];
  store?.commit(batch, delivered);
  const now = Date.now();
  for (const send of batch) {
    send.ws.send(`{"id":${send.id},"chatType":"Single","msgType":"Ack","content":"{\\"srcId\\":${send.id}}"}`);
    sockets
      .get(send.to)
      ?.send(
        `{"id":${send.id},"fromUserId":${send.from},"toUserId":${send.to},"chatType":"Single","msgType":${JSON.stringify(send.type)},"content":${JSON.stringify(send.content)},"timestamp":${now}}`,
      );
  }
}

function schedule(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flush);
}

const http = createServer((_, response) => response.writeHead(404).end());
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
wss.on('connection', (ws) => {
  let userId: number | null = null;
  ws.on('message', (data) => {
    const text = data.toString();
    // JSON.parse would round the 64-bit ids; they are taken from the text instead.
    const frame = JSON.parse(text) as { msgType?: string; fromUserId?: number; toUserId?: number; content?: string };
    if (userId === null) {
      userId = Number(frame.fromUserId);
      sockets.set(userId, ws);
      ws.send('{"msgType":"Auth","content":"ok"}');
      return;
    }
    if (frame.msgType === 'Ack') {
      const match = SRC_ID.exec(text);
      if (match && store) {
        acks.push(match[1]);
        schedule();
      }
      return;
    }
    const match = ID.exec(text);
    if (!match) return;
    sends.push({ ws, id: match[1], from: userId, to: Number(frame.toUserId), type: String(frame.msgType), content: String(frame.content) });
    schedule();
  });
  ws.on('close', () => {
    if (userId !== null && sockets.get(userId) === ws) sockets.delete(userId);
  });
});

http.listen(Number(values.port), '127.0.0.1', () => {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`bare ${values.echo ? 'echo' : 'relay'} listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  http.close(() => process.exit(0));
});
