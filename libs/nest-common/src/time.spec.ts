import { toRfc3339 } from './time';

describe(toRfc3339.name, () => {
  it('writes UTC to the second, dropping milliseconds', () => {
    expect(toRfc3339(new Date('2018-11-05T23:23:55.987Z'))).toBe('2018-11-05T23:23:55Z');
    expect(toRfc3339(new Date('2026-01-01T00:00:00+02:00'))).toBe('2025-12-31T22:00:00Z');
    expect(toRfc3339(new Date('2024-02-29T09:05:01Z'))).toBe('2024-02-29T09:05:01Z');
  });

  it('agrees with toISOString over a spread of instants', () => {
    for (let ms = Date.UTC(1970, 0, 1); ms < Date.UTC(2200, 0, 1); ms += 7_777_777_777) {
      const date = new Date(ms);
      expect(toRfc3339(date)).toBe(date.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    }
  });

  it('keeps toISOString’s form for years outside 1000-9999, and its error for an invalid date', () => {
    expect(toRfc3339(new Date('+010000-01-01T00:00:00.000Z'))).toBe('+010000-01-01T00:00:00Z');
    expect(toRfc3339(new Date('0999-12-31T23:59:59.000Z'))).toBe('0999-12-31T23:59:59Z');
    expect(() => toRfc3339(new Date(Number.NaN))).toThrow(RangeError);
  });
});
