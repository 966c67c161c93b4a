/** RFC 3339 in UTC to the second, as Anchore Engine writes timestamps: 2018-11-05T23:23:55Z. */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
