import { MAX_PAGE_SIZE, type Page } from '@keyward/contracts';
import fc from 'fast-check';
import { readEveryPage, readPages } from './every-page';

/** A list of `total` rows served in pages, recording every page asked for. */
function pagedList(total: number) {
  const rows = Array.from({ length: total }, (_, index) => index);
  const asked: { limit?: number; offset?: number }[] = [];
  const fetchPage = (page: { limit?: number; offset?: number }): Promise<Page<number>> => {
    asked.push(page);
    const offset = page.offset ?? 0;
    return Promise.resolve({ items: rows.slice(offset, offset + (page.limit ?? 100)), total });
  };
  return { rows, asked, fetchPage };
}

describe(readEveryPage.name, () => {
  it('returns every row, in order, each page at most MAX_PAGE_SIZE', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 * MAX_PAGE_SIZE + 7 }), fc.integer({ min: 0, max: 50 }), async (total, offset) => {
        const list = pagedList(total);
        const page = await readEveryPage(list.fetchPage, offset);
        expect(page.items).toEqual(list.rows.slice(offset));
        expect(page.total).toBe(total);
        expect(list.asked.every((asked) => asked.limit === MAX_PAGE_SIZE)).toBe(true);
        expect(list.asked.length).toBeLessThanOrEqual(Math.floor(Math.max(total - offset, 0) / MAX_PAGE_SIZE) + 1);
      }),
      { numRuns: 40 },
    );
  });
});

describe(readPages.name, () => {
  it('asks for one page when a limit is given', async () => {
    const list = pagedList(2500);
    const page = await readPages({ limit: 10, offset: 5 }, list.fetchPage);
    expect(page.items).toEqual(list.rows.slice(5, 15));
    expect(list.asked).toEqual([{ limit: 10, offset: 5 }]);
  });

  it('reads every page without a limit', async () => {
    const list = pagedList(2500);
    expect((await readPages({}, list.fetchPage)).items).toHaveLength(2500);
    expect(list.asked).toHaveLength(3);
  });
});
