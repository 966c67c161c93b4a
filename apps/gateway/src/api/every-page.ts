import { MAX_PAGE_SIZE, type Page } from '@keyward/contracts';

/**
 * Anchore's lists return every row when no `limit` is given, and its clients (anchore-cli's
 * `account list`, `account user list`) send none. Each NATS reply stays one bounded page: the
 * rows are read page by page from `offset` and joined. The total is the one the first page
 * reported; rows added or removed while the pages are read may shift a row between pages, as
 * with any offset paging over a changing list.
 */
export async function readEveryPage<T>(fetchPage: (page: { limit: number; offset: number }) => Promise<Page<T>>, offset = 0): Promise<Page<T>> {
  const first = await fetchPage({ limit: MAX_PAGE_SIZE, offset });
  const items = [...first.items];
  let last = first.items.length;
  while (last === MAX_PAGE_SIZE && offset + items.length < first.total) {
    const next = await fetchPage({ limit: MAX_PAGE_SIZE, offset: offset + items.length });
    items.push(...next.items);
    last = next.items.length;
  }
  return { items, total: first.total };
}

/** A list request's page: the one asked for with `limit`, or every row from `offset` without it. */
export function readPages<T>(
  page: { limit?: number; offset?: number },
  fetchPage: (page: { limit?: number; offset?: number }) => Promise<Page<T>>,
): Promise<Page<T>> {
  return page.limit === undefined ? readEveryPage(fetchPage, page.offset ?? 0) : fetchPage(page);
}
