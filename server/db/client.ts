// The one SQLite connection of the process. Next may load this module twice (its bundle and
// the custom server), so the open store lives on globalThis and both copies share it.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';
import { checkpointOffTheEventLoop } from './wal';
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
  const checkpointer = checkpointOffTheEventLoop(sqlite, path);
  return { sqlite, db, path, checkpointer };
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

type TransactionRunner = (work: () => unknown) => unknown;
const transactionRunners = new WeakMap<Database.Database, TransactionRunner>();

/**
 * Runs `work` in one transaction on the process's store (a savepoint when one is open already):
 * better-sqlite3's own, since drizzle's wrapper builds an object per transaction, and the message
 * path opens one per batch. The wrapper is built once per connection and given the work each
 * time: `sqlite.transaction()` makes four functions with their properties on every call.
 */
export function inTransaction<T>(work: () => T): T {
  const { sqlite } = store();
  let run = transactionRunners.get(sqlite);
  if (!run) transactionRunners.set(sqlite, (run = sqlite.transaction((inside: () => unknown) => inside())));
  return run(work) as T;
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
