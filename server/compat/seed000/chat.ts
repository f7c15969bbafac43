// GET /api/chat (seed 000): the caller's chat windows, most recent activity first, each with its latest messages.
import { countConversations, listConversations } from '../../domain/conversations';
import { conversationHistory } from '../../domain/messages';
import { jsonResponse, requestUser } from '../../rest/http';
import { readParams } from '../params';
import { seed000Route } from './errors';
import { toChatWindow } from './mappers';
import { parseChatWindowsQuery } from './query';

/** How many of each window's newest messages the list embeds (SPEC.md, seed 000). */
export const MESSAGES_PER_WINDOW = 20;

export function chatWindows(req: Request): Promise<Response> {
  return seed000Route(async () => {
    const caller = requestUser(req);
    const { type, page, pageSize } = parseChatWindowsQuery(await readParams(req));
    const unreadOnly = type === 'unread';
    const total = countConversations(caller.id, { unreadOnly });
    const windows = listConversations(caller.id, {
      unreadOnly,
      order: 'recent',
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    const list = windows.map((window) =>
      toChatWindow(window, conversationHistory(caller.id, window.id, { limit: MESSAGES_PER_WINDOW }).messages, req.url),
    );
    // "sucess" is the seed's spelling; its clients may compare the string.
    return jsonResponse({ code: 0, msg: 'sucess', data: { page, pageSize, total, list } });
  });
}
