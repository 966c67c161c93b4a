import { DomainError, ErrorCode } from '@keyward/domain';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
export const MAX_TOKEN_NAME = 64;

export interface TokenFields {
  name: string;
  expiresInDays: number;
  readOnly: boolean;
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, `Validation failed: ${message}`);
}

/** The body of `POST /v1/user/tokens`, checked field by field; every refusal names its field. */
export function tokenFields(body: { name?: unknown; expiresInDays?: unknown; readOnly?: unknown }): TokenFields {
  const { name, expiresInDays = DEFAULT_TOKEN_DAYS, readOnly = false } = body;
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalid('name is required: a label for the token, 1 to 64 characters');
  }
  // eslint-disable-next-line no-control-regex
  if (name.length > MAX_TOKEN_NAME || /[\u0000-\u001f\u007f]/.test(name)) {
    throw invalid(`name must be 1 to ${MAX_TOKEN_NAME} characters without control characters`);
  }
  if (typeof expiresInDays !== 'number' || !Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_TOKEN_DAYS) {
    throw invalid(`expiresInDays must be a whole number of days from 1 to ${MAX_TOKEN_DAYS} (default ${DEFAULT_TOKEN_DAYS})`);
  }
  if (typeof readOnly !== 'boolean') {
    throw invalid('readOnly must be true or false');
  }
  return { name: name.trim(), expiresInDays, readOnly };
}
