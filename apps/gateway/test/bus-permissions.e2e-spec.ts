import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection, type NatsError } from 'nats';
import { type StoredCredentialView } from '@keyward/contracts';
import { eventually, freePort, randomPassword, TestStack } from '@keyward/testing';

const ROOT = join(__dirname, '..', '..', '..');
const USERS = ['identity', 'credentials', 'reaper', 'gateway'] as const;

/**
 * The whole stack on a nats-server run with deploy/nats/nats.conf (through its entrypoint), each
 * service as its own NATS user: it works, and the reaper's user, the least trusted, can neither
 * read another service's replies nor answer a request meant for identity.
 */
describe('the bus under deploy/nats/nats.conf', () => {
  const passwords = Object.fromEntries(USERS.map((user) => [user, randomPassword()])) as Record<(typeof USERS)[number], string>;
  let server: ChildProcess;
  let storeDir: string;
  let natsUrl: string;
  let stack: TestStack;
  let serverLog = '';

  beforeAll(async () => {
    const port = await freePort();
    storeDir = mkdtempSync(join(tmpdir(), 'keyward-nats-conf-'));
    natsUrl = `nats://127.0.0.1:${port}`;
    server = spawn(
      'sh',
      [join(ROOT, 'deploy', 'nats', 'entrypoint.sh'), '-a', '127.0.0.1', '-p', String(port), '-m', String(await freePort()), '-js', '-sd', storeDir],
      {
        env: {
          ...process.env,
          KEYWARD_NATS_CONFIG: join(ROOT, 'deploy', 'nats', 'nats.conf'),
          NATS_IDENTITY_PASSWORD: passwords.identity,
          NATS_CREDENTIALS_PASSWORD: passwords.credentials,
          NATS_REAPER_PASSWORD: passwords.reaper,
          NATS_GATEWAY_PASSWORD: passwords.gateway,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    await eventually('nats-server with nats.conf', async () => {
      const probe = await connect({ servers: natsUrl, user: 'gateway', pass: passwords.gateway, maxReconnectAttempts: 0 });
      await probe.close();
      return true;
    });
    // nats.conf names its subjects without a prefix: this stack uses none.
    const as = (user: (typeof USERS)[number]) => ({ NATS_USER: user, NATS_PASSWORD: passwords[user], KEYWARD_NATS_PREFIX: '' });
    stack = await TestStack.start({
      natsUrl,
      identityEnv: as('identity'),
      credentialsEnv: as('credentials'),
      reaperEnv: as('reaper'),
      gatewayEnv: as('gateway'),
    });
  });

  afterAll(async () => {
    await stack?.stop();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(storeDir, { recursive: true, force: true });
  });

  async function as(user: (typeof USERS)[number]): Promise<{ connection: NatsConnection; errors: string[] }> {
    const connection = await connect({ servers: natsUrl, user, pass: passwords[user], maxReconnectAttempts: 0 });
    const errors: string[] = [];
    void (async () => {
      for await (const status of connection.status()) {
        if (status.type === 'error') errors.push(String(status.data));
      }
    })();
    return { connection, errors };
  }

  /** Subscribes and resolves with the server's refusal, or with null if the subscription stands. */
  function subscribeRefusal(connection: NatsConnection, subject: string): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 1500);
      connection.subscribe(subject, {
        callback: (error: NatsError | null) => {
          if (error) {
            clearTimeout(timer);
            resolve(error.message);
          }
        },
      });
    });
  }

  it('runs the stack end to end with every service under its own grants', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const client = stack.client().as(user);
    expect((await client.get('/v1/account')).status).toBe(200);
    const created = await client.post<StoredCredentialView>('/v1/credentials', {
      name: 'db',
      type: 'password',
      scope: 'all',
      values: { username: 'u', password: 'p' },
    });
    expect(created.status).toBe(201);
    const admin = stack.adminClient();
    expect((await admin.put(`/v1/accounts/${account}/state`, { state: 'disabled' })).status).toBe(200);
    expect((await admin.delete(`/v1/accounts/${account}`)).status).toBe(200);
    await eventually('the account reaped', async () => ((await admin.get(`/v1/accounts/${account}`)).status === 404 ? true : undefined), 30_000, 200);
    expect(serverLog).not.toMatch(/Violation/);
  });

  it('keeps the reaper’s user out of every other inbox and off identity’s requests', async () => {
    const { connection, errors } = await as('reaper');
    try {
      for (const subject of ['_INBOX.>', '_INBOX_gateway.>', '_INBOX_identity.>', 'identity.auth.verify', 'identity.>', '>']) {
        expect([subject, await subscribeRefusal(connection, subject)]).toEqual([subject, expect.stringMatching(/permissions violation/i)]);
      }
      // Its own inbox it may read.
      expect(await subscribeRefusal(connection, '_INBOX_reaper.probe')).toBeNull();
      // Nor may it publish into another's inbox (a forged reply) or send identity a login check.
      const refusedSubscriptions = errors.length;
      connection.publish('_INBOX_gateway.forged.0', new TextEncoder().encode('{"response":{"accountType":"admin"}}'));
      connection.publish('identity.auth.verify', new TextEncoder().encode('{}'));
      await connection.flush();
      await eventually('publish refusals', async () => (errors.length >= refusedSubscriptions + 2 ? true : undefined), 5000, 50);
      expect(errors.slice(refusedSubscriptions)).toEqual(['PERMISSIONS_VIOLATION', 'PERMISSIONS_VIOLATION']);
      expect(serverLog).toMatch(/Publish Violation - User "reaper", Subject "_INBOX_gateway\.forged\.0"/);
      expect(serverLog).toMatch(/Publish Violation - User "reaper", Subject "identity\.auth\.verify"/);
    } finally {
      await connection.close();
    }
  });

  it('keeps the gateway from the reaper’s contract and from answering anyone', async () => {
    const { connection, errors } = await as('gateway');
    try {
      expect(await subscribeRefusal(connection, 'identity.auth.verify')).toMatch(/permissions violation/i);
      expect(await subscribeRefusal(connection, '_INBOX_identity.>')).toMatch(/permissions violation/i);
      const refusedSubscriptions = errors.length;
      for (const subject of ['credentials.account.purge', 'identity.account.remove', 'identity.account.state', 'identity.account.deleting']) {
        connection.publish(subject, new TextEncoder().encode('{}'));
      }
      await connection.flush();
      await eventually('publish refusals', async () => (errors.length >= refusedSubscriptions + 4 ? true : undefined), 5000, 50);
      for (const subject of ['credentials.account.purge', 'identity.account.remove', 'identity.account.state', 'identity.account.deleting']) {
        expect(serverLog).toContain(`Publish Violation - User "gateway", Subject "${subject}"`);
      }
    } finally {
      await connection.close();
    }
  });
});
