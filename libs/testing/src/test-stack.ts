import { type DatabaseService } from '@keyward/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type Credentials } from './api-client';
import { TestDatabase } from './database';
import { deleteEventStream } from './nats';
import { eventually } from './poll';
import { ServiceProcess } from './processes';

export interface TestStackOptions {
  gateways?: number;
  gatewayEnv?: Record<string, string>;
  identityEnv?: Record<string, string>;
  credentialsEnv?: Record<string, string>;
  reaperEnv?: Record<string, string>;
  /** Reaper replicas to start (default 1). */
  reapers?: number;
  /** Replicas of identity and of credentials to start (default 1 each). */
  replicas?: number;
  /** A NATS server of the test's own, instead of the machine's. */
  natsUrl?: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePromise(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

let sequence = 0;
/** A name unique within the run that follows Anchore's naming rule. */
export function uniqueName(prefix: string): string {
  sequence += 1;
  return `${prefix}${sequence}${randomBytes(3).toString('hex')}`;
}

/**
 * Identity and one or more gateway replicas as real processes, built from dist/, on a database and
 * a NATS subject space of their own; `stop()` ends them and drops the database.
 */
export class TestStack {
  readonly admin: Credentials;
  private readonly dataDir: string;

  private constructor(
    readonly database: TestDatabase,
    /** What every process of the stack gets; `envOf` adds a service's database role and key ring. */
    readonly env: Record<string, string>,
    private readonly serviceEnv: Record<DatabaseService, Record<string, string>>,
    private identityProcess: ServiceProcess,
    private credentialsProcess: ServiceProcess,
    readonly reapers: ServiceProcess[],
    readonly gateways: ServiceProcess[],
    readonly gatewayUrls: string[],
    dataDir: string,
    /** Replicas of identity and credentials beyond the first of each, and any started later (`startReplica`). */
    readonly replicas: ServiceProcess[] = [],
  ) {
    this.admin = { username: 'admin', password: env['KEYWARD_ADMIN_PASSWORD'] ?? '' };
    this.dataDir = dataDir;
  }

  static async start(options: TestStackOptions = {}): Promise<TestStack> {
    const database = await TestDatabase.create();
    const dataDir = mkdtempSync(join(tmpdir(), 'keyward-test-'));
    const env: Record<string, string> = {
      KEYWARD_NATS_PREFIX: process.env['KEYWARD_NATS_PREFIX'] ?? `test${randomBytes(5).toString('hex')}`,
      KEYWARD_ADMIN_PASSWORD: randomPassword(),
      KEYWARD_ADMIN_EMAIL: 'admin@keyward.test',
      KEYWARD_DATA_DIR: dataDir,
      ...(options.natsUrl ? { NATS_URL: options.natsUrl } : {}),
      LOG_LEVEL: 'info',
      // Each service's metrics on a free port of its own (tests run side by side): see metricsUrl().
      KEYWARD_METRICS_PORT: '0',
    };
    // As in compose: the database superuser only makes the roles; each service connects as its own.
    const roles = await database.provisionServiceRoles();
    const serviceEnv: Record<DatabaseService, Record<string, string>> = {
      identity: { DATABASE_URL: roles.identity, KEYWARD_TOKEN_KEYS: `tok1:${randomBytes(32).toString('base64')}` },
      credentials: { DATABASE_URL: roles.credentials, KEYWARD_MASTER_KEYS: `test1:${randomBytes(32).toString('base64')}` },
      reaper: { DATABASE_URL: roles.reaper },
    };
    const identity = ServiceProcess.start('identity', { ...env, ...serviceEnv.identity, ...options.identityEnv });
    const credentials = ServiceProcess.start('credentials', { ...env, ...serviceEnv.credentials, ...options.credentialsEnv });
    const replicas = Array.from({ length: Math.max(0, (options.replicas ?? 1) - 1) }, () => [
      ServiceProcess.start('identity', { ...env, ...serviceEnv.identity, ...options.identityEnv }),
      ServiceProcess.start('credentials', { ...env, ...serviceEnv.credentials, ...options.credentialsEnv }),
    ]).flat();
    const reapers = Array.from({ length: options.reapers ?? 1 }, () => ServiceProcess.start('reaper', { ...env, ...serviceEnv.reaper, ...options.reaperEnv }));
    const gateways: ServiceProcess[] = [];
    const urls: string[] = [];
    for (let i = 0; i < (options.gateways ?? 1); i += 1) {
      const port = await freePort();
      gateways.push(ServiceProcess.start('gateway', { ...env, KEYWARD_PORT: String(port), ...options.gatewayEnv }));
      urls.push(`http://127.0.0.1:${port}`);
    }
    const stack = new TestStack(database, env, serviceEnv, identity, credentials, reapers, gateways, urls, dataDir, replicas);
    try {
      await Promise.all(urls.map((url) => stack.waitUntilReady(url)));
    } catch (error: unknown) {
      const logs = [identity, credentials, ...replicas, ...reapers, ...gateways].map((p) => `--- ${p.name}\n${p.logs.slice(-4000)}`).join('\n');
      await stack.stop();
      throw new Error(`The test stack did not become ready: ${String(error)}\n${logs}`);
    }
    return stack;
  }

  /** The environment `service` runs with in this stack: its database role and, for identity and credentials, its key ring. */
  envOf(service: DatabaseService | 'gateway'): Record<string, string> {
    return service === 'gateway' ? { ...this.env } : { ...this.env, ...this.serviceEnv[service] };
  }

  /** One more replica of a service, with the stack's settings (it is stopped with the stack). */
  startReplica(service: DatabaseService): ServiceProcess {
    const replica = ServiceProcess.start(service, this.envOf(service));
    if (service === 'reaper') this.reapers.push(replica);
    else this.replicas.push(replica);
    return replica;
  }

  /** Starts gateway replica `index` again on its port (after it was stopped or killed). */
  async restartGateway(index: number): Promise<void> {
    await this.gateways[index]?.stop();
    const port = new URL(this.gatewayUrls[index] ?? '').port;
    this.gateways[index] = ServiceProcess.start('gateway', { ...this.envOf('gateway'), KEYWARD_PORT: port });
    await this.waitUntilReady(this.gatewayUrls[index] ?? '');
  }

  get identity(): ServiceProcess {
    return this.identityProcess;
  }

  /** Replaces identity with one started with other settings, and waits until it serves. */
  async restartIdentity(env: Record<string, string>): Promise<void> {
    await this.identityProcess.stop();
    this.identityProcess = ServiceProcess.start('identity', { ...this.envOf('identity'), ...env });
    await Promise.all(this.gatewayUrls.map((url) => this.waitUntilReady(url)));
  }

  get credentials(): ServiceProcess {
    return this.credentialsProcess;
  }

  /** Replaces the credentials service with one started with other settings, and waits until it serves. */
  async restartCredentials(env: Record<string, string>): Promise<void> {
    await this.credentialsProcess.stop();
    this.credentialsProcess = ServiceProcess.start('credentials', { ...this.envOf('credentials'), ...env });
    await Promise.all(this.gatewayUrls.map((url) => this.waitUntilReady(url)));
  }

  waitUntilReady(url: string, timeoutMs = 45_000): Promise<true> {
    return eventually(`${url}/health/ready`, async () => ((await fetch(`${url}/health/ready`)).ok ? true : undefined), timeoutMs, 100);
  }

  /** An unauthenticated client of gateway replica `index`. */
  client(index = 0): ApiClient {
    return new ApiClient(this.gatewayUrls[index] ?? '');
  }

  adminClient(index = 0): ApiClient {
    return this.client(index).as(this.admin);
  }

  /** Where a service serves its metrics, from the line it logged at start. */
  async metricsUrl(process: ServiceProcess): Promise<string> {
    return eventually(`${process.name}'s metrics address`, async () => /Metrics on (http:\/\/[\d.]+:\d+\/metrics)/.exec(await process.flushedLogs())?.[1]);
  }

  /** Everything every process printed, for checks that no secret was logged. */
  get logs(): string {
    return [this.identity, this.credentials, ...this.replicas, ...this.reapers, ...this.gateways].map((p) => p.logs).join('\n');
  }

  /** `logs`, once every process has written what it buffered: for checks of what was logged. */
  async flushedLogs(): Promise<string> {
    await this.gateways[0]?.flushedLogs();
    return this.logs;
  }

  async newAccount(email: string | null = 'owner@example.test'): Promise<string> {
    const name = uniqueName('acct');
    const response = await this.adminClient().post('/v1/accounts', email ? { name, email } : { name });
    if (response.status !== 200) {
      throw new Error(`Creating account ${name} failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return name;
  }

  async newUser(account: string): Promise<Credentials> {
    const credentials = { username: uniqueName('user'), password: randomPassword() };
    const response = await this.adminClient().post(`/v1/accounts/${account}/users`, credentials);
    if (response.status !== 200) {
      throw new Error(`Creating user in ${account} failed: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return credentials;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.gateways, ...this.reapers, this.identity, this.credentials, ...this.replicas].map((p) => p.stop()));
    await deleteEventStream(this.env['KEYWARD_NATS_PREFIX'], this.env['NATS_URL']);
    await this.database.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
