import { toRfc3339 } from './time';

describe(toRfc3339.name, () => {
  it('writes UTC to the second, dropping milliseconds', () => {
    expect(toRfc3339(new Date('2018-11-05T23:23:55.987Z'))).toBe('2018-11-05T23:23:55Z');
    expect(toRfc3339(new Date('2026-01-01T00:00:00+02:00'))).toBe('2025-12-31T22:00:00Z');
  });

  it('keeps the extended form of years past 9999', () => {
    expect(toRfc3339(new Date('+010000-01-01T00:00:00.000Z'))).toBe('+010000-01-01T00:00:00Z');
  });
});
