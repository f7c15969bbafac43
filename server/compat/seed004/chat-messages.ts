// Platform.ChatMessage.GetMessageList: the caller's messages with one user (one-to-one and through
// shops), paged by a message id cursor (`last_id`) in either direction.
import { authenticate } from '../../domain/accounts';
import { badRequest } from '../../domain/errors';
import { parseMessageId } from '../../domain/ids';
import { messagesBetween } from '../../domain/messages';
import { findUserByUuid } from '../../domain/users';
import { requestToken } from '../../rest/http';
import { integerParam } from '../paging';
import type { Params } from '../params';
import { messageItem } from './mappers';

export const DEFAULT_PERPAGE = 20;
export const MAX_PERPAGE = 100;

const isAbsent = (value: unknown) => value === undefined || value === null || value === '';

function peerUuidParam(params: Params): string {
  const raw = params.chat_message_to_uuid;
  if (isAbsent(raw)) throw badRequest('chat_message_to_uuid require, but miss');
  if (typeof raw !== 'string' || !/^[A-Za-z0-9]{32}$/.test(raw)) {
    throw badRequest('chat_message_to_uuid should be 32 letters or digits');
  }
  return raw;
}

/**
 * `last_id`: 0 or a message id. Ids pass 2^53, so they are read exactly (parseMessageId), never
 * through a float; a JSON body's big numbers arrive as bigint from parseJson.
 */
function lastIdParam(params: Params): bigint {
  const raw = params.last_id;
  if (isAbsent(raw)) return 0n;
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (text === 0 || text === 0n || (typeof text === 'string' && /^0+$/.test(text))) return 0n;
  const id = parseMessageId(text);
  if (id === null) throw badRequest('last_id should be an integer >= 0');
  return id;
}

/** `direction`: `up` (older, newest first) or `down` (newer, oldest first); `up` when absent, so a first call shows the latest. */
function directionParam(params: Params): 'up' | 'down' {
  const raw = params.direction;
  if (isAbsent(raw)) return 'up';
  if (raw !== 'up' && raw !== 'down') throw badRequest(`direction should be in up/down, but now direction = ${String(raw).slice(0, 40)}`);
  return raw;
}

/** The caller: `access_token` as the seed passes it, else the Bearer header or the session cookie. */
function caller(req: Request, params: Params) {
  const token = params.access_token;
  if (isAbsent(token)) return authenticate(requestToken(req));
  return authenticate(typeof token === 'string' ? token : '');
}

export function getMessageList(req: Request, params: Params) {
  // PhalApi checks the parameters before the token (Api::init: createMemberValue, then filterCheck).
  const peerUuid = peerUuidParam(params);
  const lastId = lastIdParam(params);
  const direction = directionParam(params);
  const perpage = integerParam(params, 'perpage', { min: 1, max: MAX_PERPAGE, fallback: DEFAULT_PERPAGE });
  const user = caller(req, params);

  const peer = findUserByUuid(peerUuid);
  if (!peer) {
    // No such user is answered like a user one has never talked to: nothing to list.
    if (lastId !== 0n) throw badRequest('last_id is not a message of this conversation');
    return { items: [] };
  }
  const messages = messagesBetween(user.id, peer.id, { lastId, direction, limit: perpage });
  return { items: messages.map((message) => messageItem(message, user.id, peer.uuid)) };
}
