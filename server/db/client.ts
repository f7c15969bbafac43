// The one SQLite connection of the process. Next may load this module twice (its bundle and
// the custom server), so the open store lives on globalThis and both copies share it.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';
import { settings } from '../env';

export type Db = BetterSQLite3Database<typeof schema>;
export type Store = { sqlite: Database.Database; db: Db; path: string; checkpointer?: Worker };

const MIGRATIONS_DIR = join(process.cwd(), 'drizzle');
const holder = globalThis as unknown as { __chatStore?: Store };

/** Opens (creating it if needed) and migrates the SQLite file at `path`. */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a process crash; only an OS crash may lose the last ones.
  sqlite.pragma('synchronous = NORMAL');
  // A larger cache keeps the indexes' pages from being read back from the file (the default is 2 MiB).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Every INTEGER comes back as a BigInt so 64-bit ids stay exact; schema.ts converts the rest.
  sqlite.defaultSafeIntegers(true);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  if (path === ':memory:') return { sqlite, db, path };
  // The commit that crosses SQLite's autocheckpoint threshold would copy the WAL back into the
  // file on the event loop: tens of ms, hundreds when the disk is busy, a stall for every socket.
  // A thread of its own copies the WAL back instead. The WAL starts over (and is cut back to
  // WAL_KEEP_BYTES) only when a commit finds it wholly copied, which the thread's copy, racing the
  // commits, leaves it in any pause of the load. Under load without a pause the WAL grows; past
  // WAL_MAX_BYTES this connection copies the rest itself, between two commits: a stall, but a rare one.
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
  const checkpointer = startCheckpointer(path);
  checkpointer.on('message', () => {
    if (sqlite.open && walBytes(path) > WAL_MAX_BYTES) sqlite.pragma('wal_checkpoint(PASSIVE)');
  });
  // After the listener, which refs the worker: the checkpointer must not keep the process alive.
  checkpointer.unref();
  return { sqlite, db, path, checkpointer };
}

/** How often the checkpointer copies the WAL back; each pass costs two fsyncs, even with little to copy. */
const CHECKPOINT_EVERY_MS = 1_000;
/** A WAL that grew under sustained load is cut back to this when it starts over. */
const WAL_KEEP_BYTES = 64 * 2 ** 20;
/** Past this the event loop copies the WAL back itself, so it cannot grow without bound. */
const WAL_MAX_BYTES = 512 * 2 ** 20;

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * A worker thread with its own connection that checkpoints the WAL passively (never waiting for
 * the writer). It runs at the lowest CPU priority it can set: on a busy core (or when the process
 * is pinned to one) the event loop must not wait for the copy. Inline code, so it runs the same
 * from the custom server and from Next's bundle.
 */
function startCheckpointer(path: string): Worker {
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     try {
       // Linux: /proc/thread-self names this thread, and setpriority takes a thread id.
       const threadId = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
       require('node:os').setPriority(threadId, 19);
     } catch {}
     const db = new (require('better-sqlite3'))(workerData.path);
     db.pragma('busy_timeout = 5000');
     setInterval(() => {
       db.pragma('wal_checkpoint(PASSIVE)');
       parentPort.postMessage('copied');
     }, workerData.everyMs);`,
    { eval: true, workerData: { path, everyMs: CHECKPOINT_EVERY_MS } },
  );
  // A failed pass is retried at the next one; the checkpointer must never take the process down.
  worker.on('error', (error) => console.error('checkpointer:', error));
  return worker;
}

/** Stops the store's checkpointer and closes its connection. */
export function closeConnection(s: Store): void {
  void s.checkpointer?.terminate();
  s.sqlite.close();
}

/** The process's store: the one set by useStore, or the one at CHAT_DB_PATH. */
export function store(): Store {
  return (holder.__chatStore ??= openStore(settings().dbPath));
}

export function db(): Db {
  return store().db;
}

/** Makes `s` the process's store (the server at start, tests with a fresh file). */
export function useStore(s: Store): Store {
  holder.__chatStore = s;
  return s;
}

export function closeStore(): void {
  if (holder.__chatStore) closeConnection(holder.__chatStore);
  holder.__chatStore = undefined;
}

/**
 * Statements built once per store and reused: for the hot paths, where building the SQL on every
 * call would cost more than running it. `build` gets the store's drizzle instance and, for the
 * message path, where drizzle's per-row mapping costs more than SQLite's own work, the raw
 * connection.
 */
export function preparedStatements<T>(build: (db: Db, sqlite: Database.Database) => T): () => T {
  const cache = new WeakMap<Db, T>();
  return () => {
    const current = store();
    let statements = cache.get(current.db);
    if (!statements) cache.set(current.db, (statements = build(current.db, current.sqlite)));
    return statements;
  };
}
