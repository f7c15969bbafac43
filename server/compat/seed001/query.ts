// The query of GET /api/dialog: `include`, `page[number]`, `page[limit]`, `sort`.
import type { ConversationOrder } from '../../domain/conversations';
import { integerParam, MAX_PAGE_NUMBER, ParameterError } from '../paging';
import type { Params } from '../params';

export const INCLUDE_PATHS = ['sender', 'recipient', 'sender.groups', 'recipient.groups', 'dialogMessage'] as const;
export type IncludePath = (typeof INCLUDE_PATHS)[number];

/** The seed's sort keys; "-" for descending. */
const SORTS: Record<string, ConversationOrder> = {
  createdAt: 'createdAsc',
  '-createdAt': 'createdDesc',
  dialogMessageId: 'lastMessageAsc',
  '-dialogMessageId': 'lastMessageDesc',
};
export const DEFAULT_SORT = '-createdAt';

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export type DialogQuery = {
  include: ReadonlySet<IncludePath>;
  pageNumber: number;
  pageLimit: number;
  order: ConversationOrder;
};

function isIncludePath(path: string): path is IncludePath {
  return (INCLUDE_PATHS as readonly string[]).includes(path);
}

function parseInclude(value: unknown): Set<IncludePath> {
  if (value === undefined) return new Set();
  if (typeof value !== 'string') throw new ParameterError('include', 'include must be a comma-separated list');
  const include = new Set<IncludePath>();
  for (const path of value.split(',').map((part) => part.trim())) {
    if (path === '') continue;
    // JSON:API: a server that cannot include a path MUST answer 400, not ignore it.
    if (!isIncludePath(path)) throw new ParameterError('include', `unknown include "${path.slice(0, 40)}"; allowed: ${INCLUDE_PATHS.join(', ')}`);
    include.add(path);
  }
  return include;
}

function parseSort(value: unknown): ConversationOrder {
  if (value === undefined || value === '') return SORTS[DEFAULT_SORT];
  const key = typeof value === 'string' ? value.trim() : '';
  if (!Object.hasOwn(SORTS, key)) {
    throw new ParameterError('sort', `unknown sort "${String(value).slice(0, 40)}"; allowed: ${Object.keys(SORTS).join(', ')}`);
  }
  return SORTS[key];
}

export function parseDialogQuery(params: Params): DialogQuery {
  return {
    include: parseInclude(params.include),
    pageNumber: integerParam(params, 'page[number]', { min: 1, max: MAX_PAGE_NUMBER, fallback: 1 }),
    pageLimit: integerParam(params, 'page[limit]', { min: 1, max: MAX_PAGE_LIMIT, fallback: DEFAULT_PAGE_LIMIT }),
    order: parseSort(params.sort),
  };
}
