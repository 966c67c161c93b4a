import { AccountState, AccountType, type Principal } from '@keyward/domain';
import { CredentialCache } from './credential-cache';

const principal = (username: string, accountName: string): Principal => ({
  username,
  accountId: '00000000-0000-4000-8000-000000000001',
  accountName,
  accountType: AccountType.User,
  accountState: AccountState.Enabled,
});

describe(CredentialCache.name, () => {
  let sut: CredentialCache;

  beforeEach(() => {
    sut = new CredentialCache(100, 60_000);
  });

  it('answers only for the exact password that was verified', () => {
    sut.set('alice', 'correct horse', principal('alice', 'acme'));
    expect(sut.get('alice', 'correct horse')?.username).toBe('alice');
    expect(sut.get('alice', 'correct hors')).toBeUndefined();
    expect(sut.get('bob', 'correct horse')).toBeUndefined();
  });

  it('evicts users by name and every user of an account', () => {
    sut.set('alice', 'pw-alice', principal('alice', 'acme'));
    sut.set('bob', 'pw-bob', principal('bob', 'acme'));
    sut.set('carol', 'pw-carol', principal('carol', 'other'));
    sut.evictUsers(['alice']);
    expect(sut.get('alice', 'pw-alice')).toBeUndefined();
    sut.evictAccount('acme');
    expect(sut.get('bob', 'pw-bob')).toBeUndefined();
    expect(sut.get('carol', 'pw-carol')?.username).toBe('carol');
  });

  it('keeps a token’s principal no longer than the token lives', async () => {
    const soon = new Date(Date.now() + 50).toISOString();
    sut.set('token:a', 'secret-a', { ...principal('alice', 'acme'), tokenExpiresAt: soon });
    expect(sut.get('token:a', 'secret-a')?.username).toBe('alice');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(sut.get('token:a', 'secret-a')).toBeUndefined();
    sut.set('token:b', 'secret-b', { ...principal('bob', 'acme'), tokenExpiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(sut.get('token:b', 'secret-b')).toBeUndefined();
  });

  it('never keeps the password itself', () => {
    sut.set('alice', 'sup3r-secret-value', principal('alice', 'acme'));
    expect(JSON.stringify([...Object.values(sut)])).not.toContain('sup3r-secret-value');
  });
});
