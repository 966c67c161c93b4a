import { type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IdentityEvents, IdentitySubjects, type PrincipalChangedEvent, type RpcSubject, type VerifiedPrincipal, wireSubject } from '@keyward/contracts';
import { AccountState, AccountType, DomainError, ErrorCode, type Principal } from '@keyward/domain';
import { KeyRing, MessagingModule, natsServerOptions, RpcClient } from '@keyward/nest-common';
import { deleteEventStream, TestDatabase } from '@keyward/testing';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, JSONCodec } from 'nats';
import { loadIdentityConfig } from '../src/config';
import { IdentityModule } from '../src/identity.module';

/** Identity booted from its real module against the real PostgreSQL and NATS, driven over the bus. */
const TEST_KEY_RING = KeyRing.generateKeySpec('test1');

describe('identity service (integration)', () => {
  let database: TestDatabase;
  let dataDir: string;
  const services: INestMicroservice[] = [];
  let rpc: RpcClient;
  let closeClient: () => Promise<void>;

  const configFor = (env: Record<string, string> = {}) =>
    loadIdentityConfig({
      ...process.env,
      DATABASE_URL: database.url,
      KEYWARD_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      KEYWARD_TOKEN_KEYS: TEST_KEY_RING,
      ...env,
    });

  async function startIdentity(env: Record<string, string> = {}): Promise<INestMicroservice> {
    const config = configFor(env);
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(
      IdentityModule.forRoot(config, KeyRing.parse(config.KEYWARD_TOKEN_KEYS, 'KEYWARD_TOKEN_KEYS')),
      {
        ...natsServerOptions(config, 'identity'),
        logger: false,
      },
    );
    await app.listen();
    services.push(app);
    return app;
  }

  async function rejection(subject: RpcSubject, payload: unknown): Promise<DomainError> {
    try {
      await rpc.send(subject, payload as never);
    } catch (error: unknown) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error(`${subject} was expected to fail`);
  }

  beforeAll(async () => {
    database = await TestDatabase.create();
    dataDir = mkdtempSync(join(tmpdir(), 'keyward-identity-'));
    const moduleRef = await Test.createTestingModule({ imports: [MessagingModule.forRoot(configFor(), 'gateway', 'identity-test-client')] }).compile();
    await moduleRef.init();
    rpc = moduleRef.get(RpcClient);
    closeClient = () => moduleRef.close();
  });

  afterAll(async () => {
    await Promise.all(services.map((app) => app.close()));
    await closeClient?.();
    await deleteEventStream(process.env['KEYWARD_NATS_PREFIX']);
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bootstraps once when three replicas start together, with a generated admin password kept owner-only', async () => {
    // Capture standard output: the banner must be printed exactly once, and not into the test log.
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      await Promise.all([startIdentity(), startIdentity(), startIdentity()]);
    } finally {
      write.mockRestore();
    }
    expect(printed.filter((text) => text.includes('Keyward created the admin account'))).toHaveLength(1);
    const accounts = await database.query<{ name: string; type: string; users: string }>(
      `SELECT a.name, a.type, count(u.id) AS users FROM identity.accounts a LEFT JOIN identity.users u ON u.account_id = a.id GROUP BY a.name, a.type ORDER BY a.name`,
    );
    expect(accounts).toEqual([
      { name: 'admin', type: 'admin', users: '1' },
      { name: 'keyward-system', type: 'service', users: '1' },
    ]);
    const file = join(dataDir, 'admin-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(printed.join('')).toContain(password);
    const principal = await rpc.send(IdentitySubjects.authVerify, { username: 'admin', password });
    expect(principal).toMatchObject({ username: 'admin', accountName: 'admin', accountType: 'admin', accountState: 'enabled' });
  });

  it('keeps the bootstrap password when KEYWARD_ADMIN_PASSWORD changes later', async () => {
    const password = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
    await startIdentity({ KEYWARD_ADMIN_PASSWORD: 'a-later-password-that-is-ignored' });
    expect((await rpc.send(IdentitySubjects.authVerify, { username: 'admin', password })).username).toBe('admin');
    expect((await rejection(IdentitySubjects.authVerify, { username: 'admin', password: 'a-later-password-that-is-ignored' })).code).toBe(
      ErrorCode.Unauthorized,
    );
  });

  it('stores passwords only as argon2id hashes', async () => {
    const rows = await database.query<{ hash: string }>('SELECT hash FROM identity.password_credentials');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const { hash } of rows) {
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    }
  });

  describe('with an administrator principal', () => {
    let admin: Principal;

    beforeAll(async () => {
      admin = await rpc.send(IdentitySubjects.authVerify, { username: 'admin', password: readFileSync(join(dataDir, 'admin-password'), 'utf8').trim() });
    });

    it('answers a malformed payload with VALIDATION_FAILED naming the field', async () => {
      const error = await rejection(IdentitySubjects.accountGet, { principal: { ...admin, accountType: 'wizard' }, account: 'admin' });
      expect(error.code).toBe(ErrorCode.ValidationFailed);
      expect(error.message).toContain('principal.accountType');
      expect((await rejection(IdentitySubjects.userCreate, { principal: admin, account: 'admin', username: 42, password: 'password123' })).code).toBe(
        ErrorCode.ValidationFailed,
      );
    });

    it('authorizes again on its own: a user principal cannot reach another account, whatever the caller claims', async () => {
      await rpc.send(IdentitySubjects.accountCreate, { principal: admin, name: 'alpha1' });
      await rpc.send(IdentitySubjects.accountCreate, { principal: admin, name: 'beta1' });
      await rpc.send(IdentitySubjects.userCreate, { principal: admin, account: 'alpha1', username: 'alpha-user', password: 'password123' });
      const alphaUser: VerifiedPrincipal = await rpc.send(IdentitySubjects.authVerify, { username: 'alpha-user', password: 'password123' });
      expect(alphaUser.accountType).toBe(AccountType.User);
      expect((await rejection(IdentitySubjects.userList, { principal: alphaUser, account: 'beta1', page: {} })).code).toBe(ErrorCode.Forbidden);
      expect((await rejection(IdentitySubjects.accountList, { principal: alphaUser, page: {} })).code).toBe(ErrorCode.Forbidden);
      const disabled = { ...alphaUser, accountState: AccountState.Disabled };
      expect((await rejection(IdentitySubjects.userList, { principal: disabled, account: 'alpha1', page: {} })).code).toBe(ErrorCode.AccountNotEnabled);
    });

    it('publishes identity.principal.changed after a password change, before it replies', async () => {
      const nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
      const events: PrincipalChangedEvent[] = [];
      const codec = JSONCodec<PrincipalChangedEvent>();
      nats.subscribe(wireSubject(IdentityEvents.principalChanged), { callback: (_, message) => events.push(codec.decode(message.data)) });
      try {
        await nats.flush();
        await rpc.send(IdentitySubjects.credentialSet, { principal: admin, account: 'alpha1', username: 'alpha-user', type: 'password', value: 'password456' });
        await nats.flush();
        expect(events).toContainEqual({ usernames: ['alpha-user'] });
      } finally {
        await nats.close();
      }
    });
  });
});
