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

export const TOTAL_COUNT_HEADER = 'X-Total-Count';

/**
 * The headers of a page: its total (X-Total-Count, with X-Total-Count-Estimated when it is the
 * planner's estimate) and, for lists with keyset pagination, the cursor of the next page
 * (X-Next-Cursor, absent on the last page).
 */
export function pageHeaders(
  reply: { header: (name: string, value: string) => unknown },
  page: { total: number; totalEstimated?: boolean; next?: string | null },
): void {
  reply.header(TOTAL_COUNT_HEADER, String(page.total));
  if (page.totalEstimated) reply.header('X-Total-Count-Estimated', 'true');
  if (page.next) reply.header('X-Next-Cursor', page.next);
}
