// Seed 003's parameters, and who the caller is in a member's chat with a shop.
import { badRequest, forbidden } from '../../domain/errors';
import { parseMessageId } from '../../domain/ids';
import { typeFromDialect, type MessageType } from '../../domain/message-types';
import { findShop, type Shop } from '../../domain/shops';
import type { PublicUser } from '../../domain/users';
import type { Params } from '../params';
import { parseLocalDateTime } from '../time';
import { NOT_ALLOWED } from './errors';

const isAbsent = (value: unknown) => value === undefined || value === null || value === '';

/** `memberId` and the like: a positive integer, as a JSON number or a string of digits. */
export function requiredUserId(params: Params, name: string): number {
  const raw = params[name];
  if (isAbsent(raw)) throw badRequest(`${name} is required`);
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : '';
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && Number.isSafeInteger(value))) throw badRequest(`${name} must be a positive integer`);
  return value;
}

/** `sellerId`: the shop's id (`"s1001"`); digits sent as a JSON number are taken as its text. */
export function requiredShopId(params: Params): string {
  const raw = params.sellerId;
  if (isAbsent(raw)) throw badRequest('sellerId is required');
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  if (typeof raw !== 'string') throw badRequest('sellerId must be a string');
  return raw;
}

/** A record's `id` (the message id), exact beyond 2^53 when given as digits. */
export function requiredRecordId(params: Params): bigint {
  if (isAbsent(params.id)) throw badRequest('id is required');
  return recordId(params.id);
}

export function optionalRecordId(params: Params): bigint | undefined {
  return isAbsent(params.id) ? undefined : recordId(params.id);
}

function recordId(raw: unknown): bigint {
  const id = parseMessageId(typeof raw === 'string' ? raw.trim() : raw);
  if (id === null) throw badRequest('id must be a positive integer');
  return id;
}

/** `messageType`: one of RongCloud's names (`RC:TxtMsg`, …); anything else is a bad request. */
export function messageTypeParam(params: Params, options: { required: boolean }): MessageType | undefined {
  const raw = params.messageType;
  if (isAbsent(raw)) {
    if (options.required) throw badRequest('messageType is required');
    return undefined;
  }
  const type = typeFromDialect('seed003', raw);
  if (!type) throw badRequest(`unknown messageType: ${String(raw).slice(0, 40)}`);
  return type;
}

/** `cnt`: the content, required and not empty (digits sent as a JSON number are taken as text). */
export function contentParam(params: Params): string {
  const raw = params.cnt;
  if (isAbsent(raw)) throw badRequest('cnt is required');
  if (typeof raw === 'number' || typeof raw === 'bigint') return String(raw);
  if (typeof raw !== 'string') throw badRequest('cnt must be a string');
  return raw;
}

/**
 * `startTime` / `endTime`: `YYYY-MM-DD HH:mm:ss` local time or epoch seconds, as epoch ms.
 * `endTime` names a whole second, so it reaches that second's last millisecond.
 */
export function timeParam(params: Params, name: 'startTime' | 'endTime'): number | undefined {
  const raw = params[name];
  if (isAbsent(raw)) return undefined;
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
  const ms = parseLocalDateTime(text);
  if (ms === null) throw badRequest(`${name} must be "YYYY-MM-DD HH:mm:ss" or epoch seconds`);
  return name === 'endTime' ? ms + 999 : ms;
}

/**
 * The caller's side of the chat between member `memberId` and shop `sellerId`: the shop's seller
 * (answering that member), or the member themselves. Anyone else is refused with the same words
 * whether or not the shop or the member exist.
 */
export type Party = { as: 'seller'; shop: Shop } | { as: 'member'; shop: Shop | undefined };

export function callerParty(caller: PublicUser, memberId: number, shopId: string): Party {
  const shop = findShop(shopId);
  if (shop && shop.sellerId === caller.id) return { as: 'seller', shop };
  if (memberId === caller.id) return { as: 'member', shop };
  throw forbidden(NOT_ALLOWED);
}

/** The `memberId` of delete and chat-list must be the caller's own (list and create let a seller name the member they answer). */
export function requireOwnMemberId(caller: PublicUser, memberId: number): void {
  if (memberId !== caller.id) throw forbidden(NOT_ALLOWED);
}
