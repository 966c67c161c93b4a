import { DomainError, ErrorCode } from '@keyward/domain';
import { LoginThrottle } from './login-throttle';

async function refusal(run: () => Promise<void>): Promise<DomainError | undefined> {
  try {
    await run();
    return undefined;
  } catch (error: unknown) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe(LoginThrottle.name, () => {
  let sut: LoginThrottle;

  beforeEach(() => {
    sut = new LoginThrottle({ maxFailuresPerUser: 3, maxFailuresPerAddress: 5, windowSeconds: 60 });
  });

  it('refuses a username from an address after too many failures, with a retry time', async () => {
    for (let i = 0; i < 3; i += 1) {
      await sut.assertAllowed('alice', '10.0.0.1');
      await sut.recordFailure('alice', '10.0.0.1');
    }
    const error = await refusal(() => sut.assertAllowed('alice', '10.0.0.1'));
    expect(error?.code).toBe(ErrorCode.TooManyLoginAttempts);
    expect(error?.details['retryAfterSeconds']).toBeGreaterThan(0);
    expect(await refusal(() => sut.assertAllowed('alice', '10.0.0.2'))).toBeUndefined();
    expect(await refusal(() => sut.assertAllowed('bob', '10.0.0.1'))).toBeUndefined();
  });

  it('refuses an address that tries many usernames', async () => {
    for (let i = 0; i < 5; i += 1) {
      await sut.recordFailure(`user${i}`, '10.0.0.9');
    }
    expect((await refusal(() => sut.assertAllowed('fresh', '10.0.0.9')))?.code).toBe(ErrorCode.TooManyLoginAttempts);
  });

  it('forgets a username’s failures after a success', async () => {
    await sut.recordFailure('alice', '10.0.0.1');
    await sut.recordFailure('alice', '10.0.0.1');
    await sut.recordSuccess('alice', '10.0.0.1');
    await sut.recordFailure('alice', '10.0.0.1');
    expect(await refusal(() => sut.assertAllowed('alice', '10.0.0.1'))).toBeUndefined();
  });

  it('with refuseOver, answers 429 for each failure past a limit, and only then', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect(await refusal(() => sut.recordFailure('token:ab', '10.0.0.1', { refuseOver: true }))).toBeUndefined();
    }
    const over = await refusal(() => sut.recordFailure('token:ab', '10.0.0.1', { refuseOver: true }));
    expect(over?.code).toBe(ErrorCode.TooManyLoginAttempts);
    expect(over?.details['retryAfterSeconds']).toBeGreaterThan(0);
    // The address's own limit (5) counts every key from it: its fifth failure is the last answered as such.
    expect(await refusal(() => sut.recordFailure('token:cd', '10.0.0.1', { refuseOver: true }))).toBeUndefined();
    expect(await refusal(() => sut.recordFailure('token:cd', '10.0.0.1', { refuseOver: true }))).toMatchObject({ code: ErrorCode.TooManyLoginAttempts });
    expect(await refusal(() => sut.recordFailure('token:cd', '10.0.0.2', { refuseOver: true }))).toBeUndefined();
  });
});
