import { type Principal } from '@keyward/domain';
import { type Metrics } from '@keyward/nest-common';
import { LRUCache } from 'lru-cache';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Counter } from 'prom-client';

interface Entry {
  digest: Buffer;
  principal: Principal;
}

/**
 * Passwords this replica has recently seen verified by identity, so Basic auth does not pay an
 * argon2 hash on every request. Only a keyed HMAC of each password is held, under a key that never
 * leaves the process, and it is compared in constant time. Entries go at once when identity reports
 * a change to the user or its account, when the NATS connection drops (events may have been
 * missed), and in any case after the TTL.
 */
export class CredentialCache {
  private readonly key = randomBytes(32);
  private readonly entries: LRUCache<string, Entry>;
  private readonly ttlMs: number;

  private readonly lookups?: Counter<'result'>;
  private readonly evictions?: Counter<'reason'>;

  /** With `metrics`: keyward_auth_cache_lookups_total{result: hit|miss} and keyward_auth_cache_evictions_total{reason}. */
  constructor(maxEntries: number, ttlMs: number, metrics?: Metrics) {
    this.ttlMs = Math.max(1, ttlMs);
    this.lookups = metrics?.counter('keyward_auth_cache_lookups_total', 'Credential cache lookups, by result (hit, miss)', ['result']);
    this.evictions = metrics?.counter(
      'keyward_auth_cache_evictions_total',
      'Credential cache entries gone before use, by reason (invalidated: identity reported a change; expired; full: the least recently used went)',
      ['reason'],
    );
    this.entries = new LRUCache<string, Entry>({
      max: Math.max(1, maxEntries),
      ttl: this.ttlMs,
      dispose: (_value, _key, reason) => {
        const counted = reason === 'delete' ? 'invalidated' : reason === 'expire' ? 'expired' : reason === 'evict' ? 'full' : undefined;
        if (counted) this.evictions?.inc({ reason: counted });
      },
    });
  }

  private digest(password: string): Buffer {
    return createHmac('sha256', this.key).update(password).digest();
  }

  get(username: string, password: string): Principal | undefined {
    const entry = this.entries.get(username);
    const principal = entry && timingSafeEqual(entry.digest, this.digest(password)) ? entry.principal : undefined;
    this.lookups?.inc({ result: principal ? 'hit' : 'miss' });
    return principal;
  }

  /** A principal from a token is kept no longer than the token lives, and not at all past it. */
  set(username: string, password: string, principal: Principal, now = Date.now()): void {
    const expiresAt = principal.tokenExpiresAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(principal.tokenExpiresAt);
    const ttl = Math.min(this.ttlMs, Math.floor(expiresAt - now));
    if (!(ttl > 0)) {
      this.entries.delete(username);
      return;
    }
    this.entries.set(username, { digest: this.digest(password), principal }, { ttl });
  }

  /** Drops the users' password entries and every token entry that acts as one of them. */
  evictUsers(usernames: readonly string[]): void {
    const names = new Set(usernames);
    for (const username of usernames) {
      this.entries.delete(username);
    }
    for (const [key, entry] of this.entries.entries()) {
      if (names.has(entry.principal.username)) {
        this.entries.delete(key);
      }
    }
  }

  /** Drops entries by key (a username, or a token's key). */
  evictKeys(keys: readonly string[]): void {
    for (const key of keys) {
      this.entries.delete(key);
    }
  }

  evictAccount(accountName: string): void {
    for (const [username, entry] of this.entries.entries()) {
      if (entry.principal.accountName === accountName) {
        this.entries.delete(username);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
