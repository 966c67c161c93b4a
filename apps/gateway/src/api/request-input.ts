import { MAX_PAGE_SIZE } from '@keyward/contracts';
import { DomainError, ErrorCode } from '@keyward/domain';

/**
 * The JSON body as an object, whatever the client sent; identity validates each field. No body at
 * all (an empty one) is an object without fields, so the answer names the first missing field.
 */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined) {
    return {};
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError(ErrorCode.BadRequest, 'Request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

function nonNegativeInteger(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined || raw === '') {
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new DomainError(ErrorCode.BadRequest, `Query parameter ${name} must be a whole number from 0 to ${max}`);
  }
  return value;
}

/**
 * `?limit=&offset=` on lists (limit at most MAX_PAGE_SIZE). Without a limit, Anchore's lists (accounts,
 * users) return every row (`readEveryPage`), as Anchore clients expect; other lists return 100.
 */
export function pageQuery(limit: string | undefined, offset: string | undefined, after?: string): { limit?: number; offset?: number; after?: string } {
  const parsedLimit = nonNegativeInteger('limit', limit, MAX_PAGE_SIZE);
  if (parsedLimit === 0) {
    throw new DomainError(ErrorCode.BadRequest, `Query parameter limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return { limit: parsedLimit, offset: nonNegativeInteger('offset', offset, Number.MAX_SAFE_INTEGER), ...(after ? { after } : {}) };
}

export const TOTAL_COUNT_HEADER = 'X-Total-Count';

/**
 * The headers of a page: its total (X-Total-Count, with X-Total-Count-Estimated when it is the
 * planner's estimate) and, for lists with keyset pagination, the cursor of the next page
 * (X-Next-Cursor, absent on the last page).
 */
export function pageHeaders(reply: { header: (name: string, value: string) => unknown }, page: { total: number; totalEstimated?: boolean; next?: string | null }): void {
  reply.header(TOTAL_COUNT_HEADER, String(page.total));
  if (page.totalEstimated) reply.header('X-Total-Count-Estimated', 'true');
  if (page.next) reply.header('X-Next-Cursor', page.next);
}
