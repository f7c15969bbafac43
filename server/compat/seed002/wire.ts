// Seed 002's shapes: its message and chat objects, and its error body. Shared by the HTTP routes
// here and, later, the WebSocket gateway, which speaks the same protocol.
import { ERROR_TABLE, toDomainError } from '../../domain/errors';
import type { ConversationHead } from '../../domain/conversations';
import { typeToDialect } from '../../domain/message-types';
import type { Message } from '../../domain/messages';
import { jsonResponse } from '../../rest/http';
import { localDateTime } from '../time';

/** A message as seed 002 lists it. The always-null fields are kept: its clients read them. */
export function messageBody(message: Message & { read?: boolean }) {
  return {
    msgType: typeToDialect('seed002', message.type),
    fromUserId: message.senderId,
    isRead: message.read ?? false,
    eventType: null,
    toUserId: message.recipientId,
    content: message.content,
    // "Client" once the recipient's client Acked it, "Server" while only the server has it.
    stateEnum: message.deliveredAt === null ? 'Server' : 'Client',
    teamId: null,
    name: null,
    serverSendTime: null,
    id: message.id,
    chatType: 'Single',
    timestamp: message.createdAt,
  };
}

export function chatBody(chat: ConversationHead) {
  return {
    top: chat.pinned,
    lastMsgId: chat.lastMessage && {
      msgType: typeToDialect('seed002', chat.lastMessage.type),
      id: chat.lastMessage.id,
      content: chat.lastMessage.content,
      timestamp: chat.lastMessage.createdAt,
    },
    createTime: localDateTime(chat.createdAt),
    fromUserId: chat.fromId,
    teamId: null,
    updateTime: localDateTime(chat.updatedAt),
    id: chat.id,
    unReadCount: chat.unread,
    toUserId: chat.toId,
    chatType: 'Single',
  };
}

/** Seed 002's error: HTTP 500 with `{msg, code}`, where `code` tells the case (400, 401, 403, 404, 500). */
export function errorResponse(error: unknown): Response {
  const domainError = toDomainError(error);
  return jsonResponse({ msg: domainError.message, code: ERROR_TABLE[domainError.code].seed002 }, 500);
}

export async function seed002Route(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return errorResponse(error);
  }
}

/** The routes that answer nothing ("返回值 无"): 200 with an empty body. */
export function emptyResponse(): Response {
  return new Response(null, { status: 200 });
}
