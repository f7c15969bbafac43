// The query of GET /api/chat: `type` (required), `page`, `pageSize`.
import { badRequest } from '../../domain/errors';
import { integerParam, MAX_PAGE_NUMBER } from '../paging';
import type { Params } from '../params';

export type ChatWindowsQuery = { type: 'all' | 'unread'; page: number; pageSize: number };

export const MAX_PAGE_SIZE = 100;

export function parseChatWindowsQuery(params: Params): ChatWindowsQuery {
  const type = params.type;
  // The seed marks `type` required and names only these two values; anything else is refused, not read as "all".
  if (type !== 'all' && type !== 'unread') throw badRequest('type must be "all" or "unread"');
  return {
    type,
    page: integerParam(params, 'page', { min: 1, max: MAX_PAGE_NUMBER, fallback: 1 }),
    pageSize: integerParam(params, 'pageSize', { min: 1, max: MAX_PAGE_SIZE, fallback: 10 }),
  };
}
