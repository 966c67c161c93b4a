import { AccountState, AccountType, DomainError, ErrorCode } from '@keyward/domain';
import { type UserLogin, type UserRepository } from '../users/user.repository';
import { AuthService } from './auth.service';
import { type LoginThrottle, UNKNOWN_ADDRESS } from './login-throttle';
import { type PasswordHasher } from './password-hasher';

const login = {
  passwordHash: 'hash-of:s3cret:with:colons',
  user: { username: 'alice', superuser: false, staff: true, account: { id: 'a1', name: 'acme', type: AccountType.User, state: AccountState.Enabled } },
} as unknown as UserLogin;

/** The service over one stored user (alice) and a throttle that records what it was told. */
function serviceOver(options: { lockedOut?: boolean } = {}) {
  const throttle = {
    assertAllowed: jest.fn(() =>
      options.lockedOut ? Promise.reject(new DomainError(ErrorCode.TooManyLoginAttempts, 'Too many failed sign-ins: try again later')) : Promise.resolve(),
    ),
    recordFailure: jest.fn((_username: string, _address: string) => Promise.resolve()),
    recordSuccess: jest.fn((_username: string, _address: string) => Promise.resolve()),
  };
  const findLogin = jest.fn((username: string) => Promise.resolve(username === 'alice' ? login : null));
  // The same work for every answer: a missing user is checked against a decoy (null hash).
  const verify = jest.fn((hash: string | null, password: string) => Promise.resolve(hash !== null && hash === `hash-of:${password}`));
  const service = new AuthService({ findLogin } as unknown as UserRepository, { verify } as unknown as PasswordHasher, throttle as unknown as LoginThrottle);
  return { service, throttle, findLogin, verify };
}

describe('AuthService.verify', () => {
  it('answers the principal of a right password, roles and account state included, and clears the failures', async () => {
    const { service, throttle } = serviceOver();
    expect(await service.verify({ username: 'alice', password: 's3cret:with:colons', address: '10.0.0.7' })).toEqual({
      username: 'alice',
      accountId: 'a1',
      accountName: 'acme',
      accountType: AccountType.User,
      accountState: AccountState.Enabled,
      superuser: false,
      staff: true,
    });
    expect(throttle.recordSuccess).toHaveBeenCalledWith('alice', '10.0.0.7');
    expect(throttle.recordFailure).not.toHaveBeenCalled();
  });

  it('answers a wrong password and an unknown user alike, after the same hash check, counting both', async () => {
    const { service, throttle, verify } = serviceOver();
    const wrong = service.verify({ username: 'alice', password: 'guess', address: '10.0.0.7' });
    const unknown = service.verify({ username: 'mallory', password: 'guess', address: '10.0.0.7' });
    await expect(wrong).rejects.toMatchObject({ code: ErrorCode.Unauthorized, message: 'Unauthorized' });
    await expect(unknown).rejects.toMatchObject({ code: ErrorCode.Unauthorized, message: 'Unauthorized' });
    expect(verify).toHaveBeenCalledTimes(2);
    expect(throttle.recordFailure.mock.calls).toEqual([
      ['alice', '10.0.0.7'],
      ['mallory', '10.0.0.7'],
    ]);
  });

  it('never looks up a username with control characters, and still does the work of a check', async () => {
    const { service, findLogin, verify } = serviceOver();
    await expect(service.verify({ username: 'alice\u0000', password: 's3cret:with:colons' })).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    expect(findLogin).not.toHaveBeenCalled();
    expect(verify).toHaveBeenCalledWith(null, 's3cret:with:colons');
  });

  it('refuses while the user or address is locked out, before any password is checked', async () => {
    const { service, verify } = serviceOver({ lockedOut: true });
    await expect(service.verify({ username: 'alice', password: 's3cret:with:colons' })).rejects.toMatchObject({ code: ErrorCode.TooManyLoginAttempts });
    expect(verify).not.toHaveBeenCalled();
  });

  it('counts a request without an address under the unknown address', async () => {
    const { service, throttle } = serviceOver();
    await expect(service.verify({ username: 'alice', password: 'guess' })).rejects.toBeInstanceOf(DomainError);
    expect(throttle.recordFailure).toHaveBeenCalledWith('alice', UNKNOWN_ADDRESS);
  });
});
