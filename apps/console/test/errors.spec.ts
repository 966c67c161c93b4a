import { ApiError, describeError } from '../src/api/errors';

function refusal(status: number, code: string, message: string): ApiError {
  return new ApiError(status, message, [code]);
}

describe(ApiError.name, () => {
  it.each([
    ['Invalid field values.password: is required for docker-registry: a non-empty string', 'VALIDATION_FAILED', 'values.password'],
    ['Invalid field existingSecret: must be <namespace>/<name>', 'VALIDATION_FAILED', 'existingSecret'],
    ['Validation failed: name is required: a label for the token, 1 to 64 characters', 'VALIDATION_FAILED', 'name'],
    ['Validation failed: expiresInDays must be a whole number of days from 1 to 365 (default 90)', 'VALIDATION_FAILED', 'expiresInDays'],
    ['Namespace keyward-a already belongs to another project', 'PROJECT_ALREADY_EXISTS', 'namespace'],
    ['Project a already exists', 'PROJECT_ALREADY_EXISTS', 'name'],
    ['Secret keyward/x is not available to all projects: only cluster-wide secrets are', 'SECRET_NOT_AVAILABLE', 'existingSecret'],
    ['Project a still has 2 credential(s): delete them first', 'PROJECT_IN_USE', undefined],
  ])('finds the field of "%s" (%s)', (message, code, field) => {
    const sut = refusal(400, code, message);
    expect(sut.field).toBe(field);
  });

  it('is a network error when the API could not be reached', () => {
    const sut = new ApiError(0, 'Network error', []);
    expect(sut.code).toBe('NETWORK');
    expect(describeError(sut)).toBe('Keyward cannot be reached. Check your connection and try again.');
  });
});

describe('describeError', () => {
  it.each([
    [
      refusal(400, 'INVALID_STATE_CHANGE', 'Invalid account state change requested. Cannot go from state enabled to state deleting'),
      'Disable the account before deleting it.',
    ],
    [refusal(409, 'PROJECT_IN_USE', 'Project a still has 1 credential(s): delete them first'), 'This project still has credentials. Delete them first.'],
    [refusal(403, 'ACCOUNT_NOT_ENABLED', 'Not authorized. Account a not enabled.'), 'Your account is disabled. Ask an administrator to enable it.'],
    [refusal(401, 'REVOKED_TOKEN', 'Revoked API token'), 'Your session has ended — sign in again.'],
    [refusal(400, 'VALIDATION_FAILED', 'Invalid field name: must be a Kubernetes name'), 'Name must be a Kubernetes name.'],
    [
      refusal(400, 'VALIDATION_FAILED', 'Invalid field values.secretAccessKey: must be at most 4096 characters'),
      'Secret access key must be at most 4096 characters.',
    ],
    [
      refusal(400, 'VALIDATION_FAILED', 'Validation failed: name is required: a label for the token, 1 to 64 characters'),
      'Name is required: a label for the token, 1 to 64 characters.',
    ],
    [refusal(503, 'SERVICE_UNAVAILABLE', 'identity did not answer'), 'Keyward is not answering right now. Try again in a moment.'],
    [new ApiError(429, 'Too many', ['TOO_MANY_LOGIN_ATTEMPTS'], 42), 'Too many failed sign-ins. Wait 42 seconds, then try again.'],
  ])('says %p in words', (error, words) => {
    expect(describeError(error)).toBe(words);
  });

  it('takes the wording a page gives for a code', () => {
    const error = refusal(409, 'SECRET_IN_USE', 'Secret a/b is used by a credential');
    expect(describeError(error, { SECRET_IN_USE: 'A credential uses this secret. Delete that credential first.' })).toBe(
      'A credential uses this secret. Delete that credential first.',
    );
  });

  it('falls back on the server message, as a sentence, for a code it does not know', () => {
    expect(describeError(refusal(400, 'SOMETHING_NEW', 'the thing is wrong'))).toBe('The thing is wrong.');
  });
});
