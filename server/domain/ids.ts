// Message ids: 64-bit, unique, increasing with time (snowflake layout: milliseconds since the
// epoch below, shifted left 22 bits, plus a counter). With this epoch they look like the seeds'
// ids (1268242042090295296 is mid-2020).
import { sql } from 'drizzle-orm';
import { db } from '../db/client';

const EPOCH_MS = 1288834974657n;
const COUNTER_BITS = 22n;
export const MAX_MESSAGE_ID = 2n ** 63n - 1n;

const holder = globalThis as unknown as { __chatLastMessageId?: bigint };

function idAt(ms: number): bigint {
  return (BigInt(ms) - EPOCH_MS) << COUNTER_BITS;
}

/** A fresh message id, larger than every id this process handed out or found in the store. */
export function nextMessageId(): bigint {
  if (holder.__chatLastMessageId === undefined) {
    // Resume after the newest stored id, so a restart with a clock set back cannot reuse one.
    // Ids a client chose far in the future are ignored: they would push every new id past them.
    const ceiling = idAt(Date.now() + 86_400_000);
    const row = db().get<{ max: bigint | null }>(sql`SELECT max(id) AS max FROM messages WHERE id < ${ceiling}`);
    holder.__chatLastMessageId = row?.max ?? 0n;
  }
  const now = idAt(Date.now());
  const last = holder.__chatLastMessageId;
  holder.__chatLastMessageId = now > last ? now : last + 1n;
  return holder.__chatLastMessageId;
}

/** Forgets the generator's state (tests that swap the store). */
export function resetMessageIds(): void {
  holder.__chatLastMessageId = undefined;
}

/** The message id in a client's value, or null when it is not a positive 64-bit integer. */
export function parseMessageId(value: unknown): bigint | null {
  let id: bigint;
  if (typeof value === 'bigint') id = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) id = BigInt(value);
  else if (typeof value === 'string' && /^\d{1,19}$/.test(value)) id = BigInt(value);
  else return null;
  return id >= 1n && id <= MAX_MESSAGE_ID ? id : null;
}
