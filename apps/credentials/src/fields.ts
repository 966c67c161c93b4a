import { DomainError, ErrorCode } from '@keyward/domain';

/** A 400 that names the field and says what it must be. */
export function invalidField(field: string, rule: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, `Invalid field ${field}: ${rule}`, { field });
}

export function requireMatch(field: string, value: unknown, pattern: RegExp, rule: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw invalidField(field, rule);
  }
  return value;
}

/** A flat map of strings (labels, secret data), with sizes bounded. */
export function stringMap(
  field: string,
  value: unknown,
  { required, maxEntries = 64, maxLength = 65536 }: { required: boolean; maxEntries?: number; maxLength?: number },
): Record<string, string> {
  if (value === undefined || value === null) {
    if (required) throw invalidField(field, 'is required: an object of string values');
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidField(field, 'must be an object of string values');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (required && entries.length === 0) throw invalidField(field, 'must have at least one entry');
  if (entries.length > maxEntries) throw invalidField(field, `must have at most ${maxEntries} entries`);
  for (const [key, item] of entries) {
    if (!/^[-._a-zA-Z0-9/]{1,253}$/.test(key)) throw invalidField(`${field}.${key}`, 'keys are 1 to 253 letters, digits, -, _, . or /');
    if (typeof item !== 'string') throw invalidField(`${field}.${key}`, 'must be a string');
    if (item.length > maxLength) throw invalidField(`${field}.${key}`, `must be at most ${maxLength} characters`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

export const DEFAULT_PAGE_SIZE = 100;

export function pageOf(page: { limit?: number; offset?: number; after?: string }): { take: number; skip: number; after?: string } {
  return { take: page.limit ?? DEFAULT_PAGE_SIZE, skip: page.after ? 0 : (page.offset ?? 0), after: page.after };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
