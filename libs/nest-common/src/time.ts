/** RFC 3339 in UTC to the second, as Anchore Engine writes timestamps: 2018-11-05T23:23:55Z. */
export function toRfc3339(date: Date): string {
  const iso = date.toISOString();
  // YYYY-MM-DDTHH:mm:ss.sssZ: drop the milliseconds. Years outside 0-9999 have a longer form.
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
}
