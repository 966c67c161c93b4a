import { TokenKind } from '@keyward/contracts';
import { AccountState, AccountType, ErrorCode, parseToken, type Principal } from '@keyward/domain';
import { type KeyRing } from '@keyward/nest-common';
import { QueryFailedError } from 'typeorm';
import { type IdentityConfig } from '../config';
import { type PrincipalEvents } from '../events/principal-events';
import { type UserRepository } from '../users/user.repository';
import { type ApiTokenRepository, type ApiTokenRow } from './api-token.repository';
import { TokensService } from './tokens.service';

const alice: Principal = { username: 'alice', accountId: 'a1', accountName: 'acme', accountType: AccountType.User, accountState: AccountState.Enabled };
const admin: Principal = { username: 'admin', accountId: 'a0', accountName: 'admin', accountType: AccountType.Admin, accountState: AccountState.Enabled };

/** The service over an in-memory token table; `seal` records what it was asked to seal. */
function serviceOver(options: { insertFails?: unknown; revokedOwner?: string | null } = {}) {
  const rows = new Map<string, ApiTokenRow>();
  const sealed: Array<{ plain: string; context: string }> = [];
  const calls = {
    insert: jest.fn((token: { id: string; kind: TokenKind; name: string; secretSealed: string; readOnly: boolean; expiresAt: Date }) => {
      if (options.insertFails) return Promise.reject(options.insertFails);
      rows.set(token.id, {
        id: token.id,
        kind: token.kind,
        name: token.name,
        secret_sealed: token.secretSealed,
        read_only: token.readOnly,
        created_at: new Date(),
        expires_at: token.expiresAt,
        last_used_at: null,
        revoked_at: null,
        username: 'alice',
        superuser: false,
        staff: false,
        account_id: 'a1',
        account_name: 'acme',
      } as ApiTokenRow);
      return Promise.resolve();
    }),
    revoke: jest.fn((_id: string, _owner: string | undefined, _kind: TokenKind | undefined) => Promise.resolve(options.revokedOwner ?? null)),
    changed: jest.fn((_event: unknown) => Promise.resolve()),
  };
  const service = new TokensService(
    { insert: calls.insert, find: (id: string) => Promise.resolve(rows.get(id) ?? null), revoke: calls.revoke } as unknown as ApiTokenRepository,
    { findInAccount: (_accountId: string, username: string) => Promise.resolve({ id: `u-${username}`, username }) } as unknown as UserRepository,
    {
      seal: (plain: string, context: string) => {
        sealed.push({ plain, context });
        return `v1.k1.sealed-${sealed.length}`;
      },
    } as unknown as KeyRing,
    { KEYWARD_SESSION_HOURS: 12 } as IdentityConfig,
    { changed: calls.changed } as unknown as PrincipalEvents,
  );
  return { service, calls, sealed, rows };
}

describe('TokensService.create', () => {
  it('stores only the sealed secret, bound to the token id, and shows the token once', async () => {
    const { service, sealed, rows } = serviceOver();
    const created = await service.create({ principal: alice, kind: TokenKind.Api, name: 'ci', expiresInDays: 30, readOnly: true });
    const parsed = parseToken(created.token);
    expect(parsed?.id).toBe(created.id);
    expect(sealed).toEqual([{ plain: parsed?.secret, context: `api-token:${created.id}` }]);
    const row = rows.get(created.id);
    expect(row?.secret_sealed).toBe('v1.k1.sealed-1');
    expect(JSON.stringify(row)).not.toContain(parsed?.secret ?? 'no secret');
    expect(created).toMatchObject({ name: 'ci', readOnly: true, username: 'alice', account: 'acme' });
    const days = (Date.parse(created.expires_at) - Date.parse(created.created_at)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('gives a session the configured lifetime whatever the request says', async () => {
    const { service } = serviceOver();
    const session = await service.create({ principal: alice, kind: TokenKind.Session, name: 'mine', expiresInDays: 365 });
    expect(session.name).toBe('console');
    expect((Date.parse(session.expires_at) - Date.parse(session.created_at)) / 3_600_000).toBeCloseTo(12, 0);
  });

  it('starts a session from a password only: a token or session cannot mint one', async () => {
    const { service, calls } = serviceOver();
    await expect(service.create({ principal: { ...alice, tokenId: '0123456789abcdef', tokenKind: 'api' }, kind: TokenKind.Session })).rejects.toMatchObject({
      code: ErrorCode.PasswordRequired,
    });
    expect(calls.insert).not.toHaveBeenCalled();
  });

  it('refuses a read-only token, and names the field of a bad request', async () => {
    const { service, calls } = serviceOver();
    await expect(service.create({ principal: { ...alice, readOnly: true }, kind: TokenKind.Api, name: 'x' })).rejects.toMatchObject({
      code: ErrorCode.ReadOnlyToken,
    });
    await expect(service.create({ principal: alice, kind: TokenKind.Api, name: 'x', expiresInDays: 0 })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      message: expect.stringContaining('expiresInDays must be a whole number of days from 1 to') as string,
    });
    expect(calls.insert).not.toHaveBeenCalled();
  });

  it('says what to do when a live token already has the name', async () => {
    const taken = new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'api_tokens_live_name_unique' }));
    const { service } = serviceOver({ insertFails: taken });
    await expect(service.create({ principal: alice, kind: TokenKind.Api, name: 'ci' })).rejects.toMatchObject({
      code: ErrorCode.TokenAlreadyExists,
      message: 'You already have a token named ci: revoke it or choose another name',
    });
  });
});

describe('TokensService.revoke', () => {
  it('revokes one of the caller’s own tokens and drops it from every gateway’s cache', async () => {
    const { service, calls } = serviceOver({ revokedOwner: 'alice' });
    await service.revoke({ principal: alice, id: '0123456789abcdef', any: false });
    expect(calls.revoke).toHaveBeenCalledWith('0123456789abcdef', 'alice', undefined);
    expect(calls.changed).toHaveBeenCalledWith({ tokenIds: ['0123456789abcdef'] });
  });

  it('answers not found for what is no token id, without asking the database', async () => {
    const { service, calls } = serviceOver({ revokedOwner: 'alice' });
    await expect(service.revoke({ principal: alice, id: "x' OR 1=1 --", any: false })).rejects.toMatchObject({ code: ErrorCode.TokenNotFound });
    expect(calls.revoke).not.toHaveBeenCalled();
  });

  it('lets only administrators revoke anyone’s token', async () => {
    const { service, calls } = serviceOver({ revokedOwner: 'bob' });
    await expect(service.revoke({ principal: alice, id: '0123456789abcdef', any: true })).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    await service.revoke({ principal: admin, id: '0123456789abcdef', any: true });
    expect(calls.revoke).toHaveBeenCalledTimes(1);
    expect(calls.revoke).toHaveBeenCalledWith('0123456789abcdef', undefined, undefined);
  });
});
