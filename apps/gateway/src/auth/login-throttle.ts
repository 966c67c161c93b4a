import { DomainError, ErrorCode } from '@keyward/domain';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginThrottleOptions {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/**
 * Slows password guessing: too many failed logins for one username from one address, or from one
 * address in all, within the window, and further attempts are refused with 429 until it passes.
 * Counting is per gateway replica.
 */
export class LoginThrottle {
  private readonly perUser: RateLimiterMemory;
  private readonly perAddress: RateLimiterMemory;

  constructor(options: LoginThrottleOptions) {
    this.perUser = new RateLimiterMemory({ points: options.maxFailuresPerUser, duration: options.windowSeconds });
    this.perAddress = new RateLimiterMemory({ points: options.maxFailuresPerAddress, duration: options.windowSeconds });
  }

  private static userKey(username: string, address: string): string {
    return `${address}\u0000${username}`;
  }

  /** Throws 429 while either counter is spent. */
  async assertAllowed(username: string, address: string): Promise<void> {
    const [user, all] = await Promise.all([
      this.perUser.get(LoginThrottle.userKey(username, address)),
      this.perAddress.get(address),
    ]);
    const blocked = [user, all].filter((res): res is RateLimiterRes => res !== null && res.remainingPoints <= 0);
    if (blocked.length > 0) {
      const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...blocked.map((res) => res.msBeforeNext)) / 1000));
      throw new DomainError(
        ErrorCode.TooManyLoginAttempts,
        `Too many failed login attempts. Try again in ${retryAfterSeconds} seconds.`,
        { retryAfterSeconds },
      );
    }
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await Promise.all([
      this.perUser.penalty(LoginThrottle.userKey(username, address), 1),
      this.perAddress.penalty(address, 1),
    ]);
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    await this.perUser.delete(LoginThrottle.userKey(username, address));
  }
}
