import { ErrorCode } from '@keyward/domain';
import { httpStatusOf } from './http-status';

describe(httpStatusOf.name, () => {
  it('maps every error code to a 4xx or 5xx status', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = httpStatusOf(code);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it.each([
    [ErrorCode.AccountAlreadyExists, 400],
    [ErrorCode.InvalidStateChange, 400],
    [ErrorCode.Unauthorized, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.AccountNotEnabled, 403],
    [ErrorCode.AccountNotFound, 404],
    [ErrorCode.TooManyLoginAttempts, 429],
    [ErrorCode.Internal, 500],
    [ErrorCode.ServiceUnavailable, 503],
  ])('%s is %d', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });
});
