// What the attack tests share: the real server, signed-in callers on every face, a fingerprint of
// the store (to prove a refused request changed nothing) and a count of the attacks tried.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { parseJson, stringifyJson } from '@/server/lib/json';
import type { RunningServer } from '../server-process';
import { SocketClient, signedInClient } from '../ws/socket-client';

export type Account = { token: string; id: number; uuid: string; username: string };

export const PNG = new Uint8Array(readFileSync('public/demo/tea-field.png'));

/** Counts every attack request sent, printed per file so the README's figure can be checked. */
let attacks = 0;
export function countAttack(n = 1): void {
  attacks += n;
}
/** Printed by each file's `after`, so a run shows how many attacks it tried (summed in the README). */
export function reportAttacks(file: string): void {
  console.log(`attacks tried in ${file}: ${attacks}`);
}

export async function signIn(server: RunningServer, username: string, password = 'demo-pass-1'): Promise<Account> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 200, `sign-in of ${username}`);
  const body = (await response.json()) as { token: string; user: { id: number; uuid: string } };
  return { token: body.token, id: body.user.id, uuid: body.user.uuid, username };
}

export async function registerUser(server: RunningServer, username: string, extra: Record<string, unknown> = {}): Promise<Account> {
  const response = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'password-123', ...extra }),
  });
  assert.equal(response.status, 201, `register ${username}: ${await response.clone().text()}`);
  const body = (await response.json()) as { token: string; user: { id: number; uuid: string } };
  return { token: body.token, id: body.user.id, uuid: body.user.uuid, username };
}

export type Answer = { status: number; headers: Headers; text: string; body: any };

/** One HTTP request with a Bearer token (when given); the answer parsed without losing 64-bit ids. */
export async function call(
  server: RunningServer,
  path: string,
  init: { method?: string; token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = stringifyJson(init.json);
  }
  const response = await fetch(`${server.url}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : parseJson(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** A tRPC query (GET) or mutation (POST) as the web app sends it, with superjson's envelope. */
export async function trpc(server: RunningServer, token: string, path: string, input: unknown, kind: 'query' | 'mutation'): Promise<Answer> {
  const { default: superjson } = await import('superjson');
  const encoded = superjson.serialize(input);
  if (kind === 'query') {
    return call(server, `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(encoded))}`, { token });
  }
  return call(server, `/api/trpc/${path}`, { token, json: encoded });
}

export async function uploadFile(server: RunningServer, token: string, bytes: Uint8Array, filename: string, path = '/api/upload'): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), filename);
  return call(server, path, { token, body: form, method: 'POST' });
}

export const wsUrl = (server: RunningServer) => `ws://127.0.0.1:${server.port}/ws`;

export function liveSocket(server: RunningServer, account: Account): Promise<SocketClient> {
  return signedInClient(wsUrl(server), account.id, account.token);
}

/**
 * A digest of every row of every table but sessions (sign-ins add rows) and the file's own
 * bookkeeping, read through a second connection: equal digests mean nothing was changed.
 */
export function storeFingerprint(server: RunningServer): string {
  const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' AND name <> 'sessions' ORDER BY name")
      .all() as { name: string }[];
    const hash = createHash('sha256');
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all();
      hash.update(`${name}:${rows.length}:${stringifyJson(rows)}\n`);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

export function rowCount(server: RunningServer, table: string): number {
  const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** An answer without what differs between any two calls (request ids, dates), for byte comparison. */
export function comparable(answer: Answer): string {
  return `${answer.status} ${answer.headers.get('content-type') ?? ''} ${answer.text}`;
}

/**
 * Sends `frames` on a socket and returns what came back (Pongs left out) before a second Ping's
 * Pong: the first Ping may be read in the same turn as the frames, before their group commit
 * answers; the second comes back after it.
 */
export async function framesAnswering(socket: SocketClient, frames: (Record<string, unknown> | string)[]): Promise<Record<string, any>[]> {
  const from = socket.frames.length;
  for (const frame of frames) socket.send(frame);
  for (let round = 1; round <= 2; round++) {
    socket.send({ msgType: 'Ping' });
    await socket.waitFor(() => socket.frames.slice(from).filter((frame) => frame.msgType === 'Pong').length >= round, 10_000, 'a Pong');
  }
  const answered = socket.frames.slice(from);
  let pongs = 0;
  const end = answered.findIndex((frame) => frame.msgType === 'Pong' && ++pongs === 2);
  return answered.slice(0, end).filter((frame) => frame.msgType !== 'Pong');
}
