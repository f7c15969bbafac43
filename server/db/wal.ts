// How the WAL is copied back into the database file without stalling the event loop; used by the
// store (client.ts) and by the benchmarks' bare relay, so the limit is measured like for like.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * The commit that crosses SQLite's autocheckpoint threshold would copy the WAL back into the
 * file on the event loop: tens of ms, hundreds when the disk is busy, a stall for every socket.
 * A thread of its own copies the WAL back instead. The WAL starts over only when a commit finds it
 * wholly copied, which the thread's copy, racing the commits, leaves it in any pause of the load.
 * Under load without a pause the WAL grows; past WAL_MAX_BYTES this connection copies the rest
 * (what came during the thread's last pass, about a second of commits) itself, between two
 * commits: a stall of ~10-30 ms on this VM, every WAL_MAX_BYTES of load. The file is never cut back
 * (journal_size_limit): truncating ~500 MB stalled the commit that started the WAL over ~200 ms.
 * Returns the thread (terminate it before closing `sqlite`).
 */
export function checkpointOffTheEventLoop(sqlite: Database.Database, path: string): Worker {
  sqlite.pragma('wal_autocheckpoint = 0');
  const pageBytes = Number(sqlite.pragma('page_size', { simple: true }));
  const checkpointer = startCheckpointer(path);
  // The thread tells how many frames the WAL holds since it last started over (its file stays as large as it grew).
  checkpointer.on('message', (walFrames: number) => {
    if (sqlite.open && walFrames * pageBytes > WAL_MAX_BYTES) sqlite.pragma('wal_checkpoint(PASSIVE)');
  });
  // After the listener, which refs the worker: the checkpointer must not keep the process alive.
  checkpointer.unref();
  return checkpointer;
}

/** How often the checkpointer copies the WAL back (when anything was committed): each pass costs two fsyncs, even with little to copy. */
const CHECKPOINT_EVERY_MS = 1_000;
/** Past this the event loop copies the WAL back itself, so it cannot grow without bound. */
const WAL_MAX_BYTES = 512 * 2 ** 20;

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
     // data_version moves when another connection commits: an idle store is not synced every second.
     // Nothing is known to be copied at the start: commits may have come before this thread started.
     let copied = -1;
     setInterval(() => {
       const version = db.pragma('data_version', { simple: true });
       if (version === copied) return;
       const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
       copied = version;
       parentPort.postMessage(log);
     }, workerData.everyMs);`,
    { eval: true, workerData: { path, everyMs: CHECKPOINT_EVERY_MS } },
  );
  // A failed pass is retried at the next one; the checkpointer must never take the process down.
  worker.on('error', (error) => console.error('checkpointer:', error));
  return worker;
}
