import { DomainError, ErrorCode } from '@keyward/domain';
import { DEFAULT_TOKEN_DAYS, tokenFields } from './token-fields';

function refusal(body: Parameters<typeof tokenFields>[0]): string {
  try {
    tokenFields(body);
  } catch (error: unknown) {
    if (error instanceof DomainError && error.code === ErrorCode.ValidationFailed) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe(tokenFields.name, () => {
  it('takes defaults: 90 days, read-write', () => {
    expect(tokenFields({ name: ' ci ' })).toEqual({ name: 'ci', expiresInDays: DEFAULT_TOKEN_DAYS, readOnly: false });
    expect(tokenFields({ name: 'ro', expiresInDays: 1, readOnly: true })).toEqual({ name: 'ro', expiresInDays: 1, readOnly: true });
  });

  it('names the field it refuses', () => {
    expect(refusal({})).toMatch(/name is required/);
    expect(refusal({ name: 'x'.repeat(65) })).toMatch(/name must be 1 to 64/);
    expect(refusal({ name: 'tab\there' })).toMatch(/control characters/);
    expect(refusal({ name: 'a', expiresInDays: 0 })).toMatch(/expiresInDays/);
    expect(refusal({ name: 'a', expiresInDays: 366 })).toMatch(/expiresInDays/);
    expect(refusal({ name: 'a', expiresInDays: '30' })).toMatch(/expiresInDays/);
    expect(refusal({ name: 'a', readOnly: 'yes' })).toMatch(/readOnly/);
  });
});
