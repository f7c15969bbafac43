// Seed 002's HTTP routes under /im: all POST with JSON bodies, the caller known by Bearer token.
import { timingSafeEqual } from 'node:crypto';
import { createSession } from '../../domain/accounts';
import {
  hideConversation,
  listConversationHeads,
  markConversationRead,
  setConversationPinned,
} from '../../domain/conversations';
import { badRequest, DomainError, forbidden } from '../../domain/errors';
import { nextMessageId } from '../../domain/ids';
import { markDelivered, undeliveredMessages, userMessages } from '../../domain/messages';
import { registerAppUser, type PublicUser } from '../../domain/users';
import { settings } from '../../env';
import { receiveUpload } from '../../rest/files';
import { jsonResponse, requestUser } from '../../rest/http';
import { integerParam, MAX_PAGE_NUMBER } from '../paging';
import { readParams, type Params } from '../params';
import { chatBody, emptyResponse, messageBody, seed002Route } from './wire';

/** At most this many offline messages per call; the client calls again for the rest. */
export const OFFLINE_BATCH = 1000;

type Body = Params;

function textField(body: Body, name: string): string {
  const raw = body[name];
  const value = typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : raw;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 128) {
    throw badRequest(`${name} is required (text of at most 128 characters)`);
  }
  return value.trim();
}

/** The `userId` a client passes must be its own: anyone else's is refused, never answered. */
function requireOwnUserId(body: Body, caller: PublicUser): void {
  if (integerParam(body, 'userId', { min: 1, max: Number.MAX_SAFE_INTEGER }) !== caller.id) {
    throw forbidden('userId must be your own');
  }
}

const chatId = (body: Body) => integerParam(body, 'id', { min: 1, max: Number.MAX_SAFE_INTEGER });

function secretMatches(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** POST /im/user/register: an app's backend registers its user; the same identity gets the same userId. */
export function registerUser(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const secret = settings().appSecret;
    if (secret) {
      const given = req.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '';
      if (!secretMatches(given, secret)) throw new DomainError('UNAUTHORIZED', 'the app secret is missing or wrong');
    }
    const body = await readParams(req);
    const user = await registerAppUser({
      company: textField(body, 'company'),
      app: textField(body, 'app'),
      thirdUserId: textField(body, 'thirdUserId'),
    });
    // The token is our addition: the seed's clients then authenticate with it (HTTP Bearer, socket Auth).
    return jsonResponse({ userId: user.id, token: createSession(user.id) });
  });
}

/** POST /im/message/user/get/page: the caller's messages, newest first; a short page is the last. */
export function userMessagePage(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const caller = requestUser(req);
    const body = await readParams(req);
    requireOwnUserId(body, caller);
    const pageNum = integerParam(body, 'pageNum', { min: 1, max: MAX_PAGE_NUMBER, fallback: 1 });
    const pageSize = integerParam(body, 'pageSize', { min: 1, max: 100, fallback: 10 });
    const page = userMessages(caller.id, { limit: pageSize, offset: (pageNum - 1) * pageSize });
    return jsonResponse(page.map(messageBody));
  });
}

/** POST /im/message/offline: what no client of the caller has Acked yet, oldest first; answering delivers it. */
export function offlineMessages(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const caller = requestUser(req);
    requireOwnUserId(await readParams(req), caller);
    const pending = undeliveredMessages(caller.id, OFFLINE_BATCH);
    const body = pending.map(messageBody);
    markDelivered(caller.id, pending.map((message) => message.id));
    return jsonResponse(body);
  });
}

/** POST /im/message/get/id: a fresh message id for the client to send with. */
export function freshMessageId(req: Request): Promise<Response> {
  return seed002Route(() => {
    requestUser(req);
    return jsonResponse({ id: nextMessageId() });
  });
}

/** POST /im/user/chat/clear/unread: the caller has read the chat; the peer is told live. */
export function clearUnread(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const caller = requestUser(req);
    markConversationRead(caller.id, chatId(await readParams(req)));
    return emptyResponse();
  });
}

/** POST /im/user/chat/delete: the chat leaves the caller's list only (the seed prints the clear-unread path here by mistake). */
export function deleteChat(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const caller = requestUser(req);
    hideConversation(caller.id, chatId(await readParams(req)));
    return emptyResponse();
  });
}

/** POST /im/user/chat/top: pins or unpins a chat (an addition to the seed). */
export function pinChat(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const caller = requestUser(req);
    const body = await readParams(req);
    if (typeof body.top !== 'boolean') throw badRequest('top must be true or false');
    setConversationPinned(caller.id, chatId(body), body.top);
    return emptyResponse();
  });
}

/** POST /im/user/chat/list: the caller's chats, pinned first, then the latest update first. */
export function chatList(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const caller = requestUser(req);
    requireOwnUserId(await readParams(req), caller);
    return jsonResponse(listConversationHeads(caller.id, { order: 'pinnedThenRecent' }).map(chatBody));
  });
}

/** POST /im/file/upload: one image or audio file (multipart `file`) → {url: "/file/down/<name>"}. */
export function uploadFile(req: Request): Promise<Response> {
  return seed002Route(async () => {
    const file = await receiveUpload(req, requestUser(req));
    return jsonResponse({ url: file.url });
  });
}
