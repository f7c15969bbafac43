// Yii2's REST pagination as seed 003's list answers it: `_links` of absolute URLs that keep the
// client's query and change only `page`, and `_meta` with 1-based page numbers.
import { integerParam, MAX_PAGE_NUMBER } from '../paging';
import type { Params } from '../params';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export type Page = { page: number; pageSize: number; offset: number };

export function pageParams(params: Params): Page {
  const page = integerParam(params, 'page', { min: 1, max: MAX_PAGE_NUMBER, fallback: 1 });
  const pageSize = integerParam(params, 'pageSize', { min: 1, max: MAX_PAGE_SIZE, fallback: DEFAULT_PAGE_SIZE });
  return { page, pageSize, offset: (page - 1) * pageSize };
}

type Link = { href: string };

export function paginationBlocks(requestUrl: string, page: Page, totalCount: number) {
  const pageCount = Math.ceil(totalCount / page.pageSize);
  // With nothing to list there is still one (empty) page to point at.
  const lastPage = Math.max(pageCount, 1);
  const link = (n: number): Link => {
    const url = new URL(requestUrl);
    url.searchParams.set('page', String(n));
    return { href: url.href };
  };
  const links: Record<string, Link> = { self: link(page.page), first: link(1), last: link(lastPage) };
  // Past the end, `prev` leads back to the last page that has records.
  if (page.page > 1) links.prev = link(Math.min(page.page - 1, lastPage));
  if (page.page < pageCount) links.next = link(page.page + 1);
  return {
    _links: links,
    _meta: { totalCount, pageCount, currentPage: page.page, perPage: page.pageSize },
  };
}
