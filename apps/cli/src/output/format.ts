/**
 * Text output in anchore-cli's shapes: `Key: value` blocks and plain-column tables, so scripts
 * written against `anchore-cli account ...` read `keyward account ...` the same way.
 */

/** A field as anchore-cli prints it: null and undefined as `None` (Python's `str(None)`). */
export function field(value: unknown): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** `Key: value` lines followed by a blank line, as anchore-cli prints one record. */
export function keyValues(pairs: ReadonlyArray<readonly [string, unknown]>): string {
  return `${pairs.map(([key, value]) => `${key}: ${field(value)}`).join('\n')}\n\n`;
}

/** Every cell padded to its column's width plus this many spaces (PrettyTable's PLAIN_COLUMNS). */
const COLUMN_GAP = 8;

/**
 * A left-aligned table without borders, rows sorted by one column like PrettyTable's `sortby`
 * (a stable sort, so rows that tie keep the server's order). Ends with a newline, then a blank line.
 */
export function table(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>, sortBy?: string): string {
  const cells = rows.map((row) => header.map((_, index) => field(row[index])));
  const sortIndex = sortBy === undefined ? -1 : header.indexOf(sortBy);
  if (sortIndex >= 0) {
    cells.sort((a, b) => {
      const [left, right] = [a[sortIndex] ?? '', b[sortIndex] ?? ''];
      return left < right ? -1 : left > right ? 1 : 0;
    });
  }
  const widths = header.map((title, index) => Math.max(title.length, ...cells.map((row) => (row[index] ?? '').length)));
  const line = (values: readonly string[]) => values.map((value, index) => value.padEnd((widths[index] ?? 0) + COLUMN_GAP)).join('');
  return `${[line(header), ...cells.map(line)].join('\n')}\n\n`;
}

/** Keys sorted at every level, as anchore-cli's `json.dumps(..., sort_keys=True)`. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortedKeys);
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, nested]) => [key, sortedKeys(nested)]));
  }
  return value;
}

/** `--json` output: the API's JSON, keys sorted, indented by four spaces, then a newline. */
export function json(value: unknown): string {
  return `${JSON.stringify(sortedKeys(value), null, 4)}\n`;
}
