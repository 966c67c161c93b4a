import { DomainError, ErrorCode } from '@keyward/domain';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import { createHash } from 'node:crypto';
import { type DataSource } from 'typeorm';
import { type Metrics } from '@keyward/nest-common';
import { type Counter } from 'prom-client';

export interface LoginThrottleOptions {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/** Where the counters live: in PostgreSQL, shared by every replica; in memory, for unit tests. */
export type ThrottleStore = { kind: 'memory' } | { kind: 'postgres'; dataSource: DataSource };

/** When the gateway could not tell the client's address (it always can over TCP). */
export const UNKNOWN_ADDRESS = 'unknown';

/** The table the counters live in (created by identity's migrations). */
export const LOGIN_FAILURES_TABLE = 'login_failures';

/**
 * Slows guessing of passwords and tokens: too many failures for one username (or token) from
 * one address, or from one address in all, within the window, and further attempts are refused
 * with 429 until it passes. The counters are in identity's PostgreSQL, so every gateway and
 * identity replica counts the same guesses: N replicas do not give N times the attempts.
 */
export class LoginThrottle {
  private readonly perUser: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  private readonly failures?: Counter;
  private readonly throttled?: Counter;

  /** With `metrics`: keyward_login_failures_total and keyward_login_throttled_total (no label: never a username or address). */
  constructor(options: LoginThrottleOptions, store: ThrottleStore = { kind: 'memory' }, metrics?: Metrics) {
    this.failures = metrics?.counter('keyward_login_failures_total', 'Failed logins: wrong password, unknown user, refused token or signature');
    this.throttled = metrics?.counter('keyward_login_throttled_total', 'Logins refused unchecked because too many failed before (429)');
    const limiter = (keyPrefix: string, points: number): RateLimiterAbstract =>
      store.kind === 'memory'
        ? new RateLimiterMemory({ keyPrefix, points, duration: options.windowSeconds })
        : new RateLimiterPostgres({
            storeClient: store.dataSource,
            storeType: 'typeorm',
            schemaName: 'identity',
            tableName: LOGIN_FAILURES_TABLE,
            tableCreated: true,
            keyPrefix,
            points,
            duration: options.windowSeconds,
          });
    this.dataSource = store.kind === 'postgres' ? store.dataSource : undefined;
    this.perUser = limiter('user', options.maxFailuresPerUser);
    this.perAddress = limiter('address', options.maxFailuresPerAddress);
  }

  private readonly dataSource?: DataSource;

  /** A username is any string the client sent: hashed, so the key is short and holds no control character. */
  private static userKey(username: string, address: string): string {
    return `${address}/${createHash('sha256').update(username).digest('hex')}`;
  }

  /** Forgets counters whose window has passed. */
  async prune(): Promise<void> {
    await this.dataSource?.query(`DELETE FROM identity.${LOGIN_FAILURES_TABLE} WHERE expire < $1`, [Date.now()]);
  }

  /** Throws 429 while either counter is spent. */
  async assertAllowed(username: string, address: string): Promise<void> {
    const [user, all] = await Promise.all([this.perUser.get(LoginThrottle.userKey(username, address)), this.perAddress.get(address)]);
    const blocked = [user, all].filter((res): res is RateLimiterRes => res !== null && res.remainingPoints <= 0);
    if (blocked.length > 0) {
      throw this.tooManyAttempts(blocked);
    }
  }

  /**
   * Counts a failed attempt. With `refuseOver`, throws 429 when this failure went past either
   * limit (the check that failed came first: see `TokenVerifier`); else the caller refuses as it will.
   */
  async recordFailure(username: string, address: string, options: { refuseOver?: boolean } = {}): Promise<void> {
    this.failures?.inc();
    const counted = await Promise.all([this.perUser.penalty(LoginThrottle.userKey(username, address), 1), this.perAddress.penalty(address, 1)]);
    const over = [
      { res: counted[0], limit: this.perUser.points },
      { res: counted[1], limit: this.perAddress.points },
    ]
      .filter(({ res, limit }) => res.consumedPoints > limit)
      .map(({ res }) => res);
    if (options.refuseOver && over.length > 0) {
      throw this.tooManyAttempts(over);
    }
  }

  private tooManyAttempts(spent: RateLimiterRes[]): DomainError {
    this.throttled?.inc();
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...spent.map((res) => res.msBeforeNext)) / 1000));
    return new DomainError(ErrorCode.TooManyLoginAttempts, `Too many failed login attempts. Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    await this.perUser.delete(LoginThrottle.userKey(username, address));
  }
}
