/**
 * The fields an audit record may keep of a resource or a request: names, types, states, scopes,
 * roles and references, never a value that authenticates (passwords, tokens, credential values,
 * exported content) nor free text (a description may hold anything a user pasted into it).
 * Listed, not filtered out: a field added later stays out of the audit log until it is added here.
 */
export const AUDITED_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'name',
  'type',
  'state',
  'scope',
  'project',
  'source',
  'existingSecret',
  'keyId',
  'namespace',
  'username',
  'account',
  'email',
  'staff',
  'superuser',
  'readOnly',
  'expiresInDays',
  'expires_at',
  'format',
  'keys',
  'labels',
  'usedBy',
  'createdBy',
  'kind',
]);

const MAX_STRING = 256;
const MAX_ITEMS = 50;

function auditValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) {
    return value
      .slice(0, MAX_ITEMS)
      .map((item) => (typeof item === 'object' && item !== null ? undefined : auditValue(item, depth)))
      .filter((item) => item !== undefined);
  }
  // A map of labels: its keys are names, its values short strings.
  if (typeof value === 'object' && depth === 0) {
    const entries = Object.entries(value as Record<string, unknown>)
      .slice(0, MAX_ITEMS)
      .filter(([, item]) => typeof item === 'string')
      .map(([key, item]) => [key.slice(0, MAX_STRING), auditValue(item, 1)]);
    return Object.fromEntries(entries);
  }
  return undefined;
}

/** The audited fields of an object (a request body, a reply), or undefined when it has none. */
export function auditFields(source: unknown): Record<string, unknown> | undefined {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (!AUDITED_FIELDS.has(key)) continue;
    const audited = auditValue(value, key === 'labels' ? 0 : 1);
    if (audited !== undefined) kept[key] = audited;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}
