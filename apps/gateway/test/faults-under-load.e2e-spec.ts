import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Credentials, eventually, freePort, PrivateNatsCluster, PrivatePostgres, TestStack, uniqueName } from '@keyward/testing';

/**
 * Faults under load (`npm run chaos`, and CI): a three-server NATS cluster, its own PostgreSQL,
 * two gateways, two replicas of identity, credentials and the reaper, and a steady mix of reads
 * and writes. One fault at a time: SIGKILL a NATS server, a replica of each service, a gateway,
 * and a PostgreSQL restart. For each: requests that failed even after the client's retry,
 * acknowledged writes lost (must be 0), account deletions that did not complete (must be 0),
 * and the time until every probe succeeds again. KEYWARD_CHAOS_REPORT=<file> writes the figures
 * as JSON (docs/reliability.md).
 *
 * The client's retry, as documented in docs/reliability.md: a request answered 503 or 502, or
 * whose connection failed, is sent again up to RETRIES times, RETRY_PAUSE_MS apart, to the other
 * gateway; a create retried after a lost answer that finds its name taken (409) was stored.
 */
const RETRIES = 3;
const RETRY_PAUSE_MS = 250;
const WORKERS = 8;
const REQUEST_TIMEOUT_MS = 15_000;
const LOAD_BEFORE_FAULT_MS = 1500;
const LOAD_AFTER_RECOVERY_MS = 1500;
const RECOVERY_LIMIT_MS = 30_000;

interface PhaseReport {
  fault: string;
  requests: number;
  retried: number;
  failedAfterRetry: number;
  /** The last answer of each request that failed after its retries: a status, or `connection`. */
  failures: Record<string, number>;
  acknowledgedWrites: number;
  lostWrites: number;
  deletionsStarted: number;
  deletionsIncomplete: number;
  recoverySeconds: number | null;
}

describe('faults under load', () => {
  let postgres: PrivatePostgres;
  let cluster: PrivateNatsCluster;
  let stack: TestStack;
  let user: Credentials;
  let account: string;
  const previousPostgresUrl = process.env['KEYWARD_TEST_POSTGRES_URL'];
  const reports: PhaseReport[] = [];

  beforeAll(async () => {
    postgres = await PrivatePostgres.start(await freePort());
    process.env['KEYWARD_TEST_POSTGRES_URL'] = postgres.url;
    cluster = await PrivateNatsCluster.start(3, freePort);
    stack = await TestStack.start({ natsUrl: cluster.url, gateways: 2, replicas: 2, reapers: 2 });
    account = await stack.newAccount();
    user = await stack.newUser(account);
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
    await postgres?.stop();
    if (previousPostgresUrl === undefined) delete process.env['KEYWARD_TEST_POSTGRES_URL'];
    else process.env['KEYWARD_TEST_POSTGRES_URL'] = previousPostgresUrl;
    const file = process.env['KEYWARD_CHAOS_REPORT'];
    if (file)
      writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), retries: RETRIES, retryPauseMs: RETRY_PAUSE_MS, phases: reports }, null, 2)}\n`);
    process.stdout.write(`faults under load:\n${reports.map((report) => JSON.stringify(report)).join('\n')}\n`);
  });

  const authorization = (who: Credentials = user) => `Basic ${Buffer.from(`${who.username}:${who.password}`).toString('base64')}`;
  const killed = new Set<unknown>();

  /** One request, without retry: the status, or null when the connection failed or timed out. */
  const once = async (gateway: number, method: string, path: string, body?: unknown, who?: Credentials): Promise<number | null> => {
    try {
      const response = await fetch(`${stack.gatewayUrls[gateway] ?? ''}${path}`, {
        method,
        headers: { authorization: authorization(who), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return null;
    }
  };

  const retriable = (status: number | null) => status === null || status === 502 || status === 503;

  /** A request with the client's retry: to the other gateway after a 503, a 502 or a failed connection. */
  const send = async (first: number, method: string, path: string, body: unknown, retries: number, who?: Credentials) => {
    let gateway = first;
    let status = await once(gateway, method, path, body, who);
    let attempts = 0;
    while (retriable(status) && attempts < retries) {
      attempts += 1;
      gateway = 1 - gateway;
      await sleep(RETRY_PAUSE_MS);
      status = await once(gateway, method, path, body, who);
    }
    return { status, attempts };
  };

  /** A phase's steady mix: 60 % reads of the account, 20 % credential lists, 20 % credential creates. */
  const runLoad = (report: PhaseReport, acknowledged: string[]) => {
    let running = true;
    const worker = async (index: number) => {
      while (running) {
        const roll = Math.random();
        const name = uniqueName('c');
        const [method, path, body] =
          roll < 0.6
            ? ['GET', '/v1/account', undefined]
            : roll < 0.8
              ? ['GET', '/v1/credentials?limit=10', undefined]
              : ['POST', '/v1/credentials', { name, type: 'password', scope: 'all', values: { username: 'u', password: 'p' } }];
        report.requests += 1;
        const { status, attempts } = await send(index % 2, method, path, body, RETRIES);
        if (attempts > 0) report.retried += 1;
        const ok = status !== null && (status < 300 || (method === 'POST' && attempts > 0 && status === 409));
        if (!ok) {
          report.failedAfterRetry += 1;
          const key = status === null ? 'connection' : String(status);
          report.failures[key] = (report.failures[key] ?? 0) + 1;
        } else if (method === 'POST') acknowledged.push(name);
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, index) => worker(index));
    return async () => {
      running = false;
      await Promise.all(workers);
    };
  };

  /** A probe through each gateway that is up, without retry: a write and a read. */
  const probe = async (gateways: number[]): Promise<boolean> => {
    const results = await Promise.all(
      gateways.flatMap((gateway) => [once(gateway, 'POST', '/v1/projects', { name: uniqueName('probe').toLowerCase() }), once(gateway, 'GET', '/v1/account')]),
    );
    return results.every((status) => status !== null && status < 300);
  };

  /** From the fault on: how long until ten probes in a row (about a second) all succeed. */
  const recovery = async (faultAt: number, gateways: number[]): Promise<number | null> => {
    let streak = 0;
    let since = 0;
    while (Date.now() - faultAt < RECOVERY_LIMIT_MS) {
      if (await probe(gateways)) {
        if (streak === 0) since = Date.now();
        streak += 1;
        if (streak >= 10) return (since - faultAt) / 1000;
      } else {
        streak = 0;
      }
      await sleep(100);
    }
    return null;
  };

  /** An account with a credential and a project, disabled: deleted the moment the fault strikes. */
  const accountToDelete = async (): Promise<string> => {
    const name = await stack.newAccount();
    const owner = stack.adminClient().inAccount(name);
    expect((await owner.post('/v1/projects', { name: 'web' })).status).toBe(201);
    for (let i = 0; i < 20; i++) {
      expect(
        (await owner.post('/v1/credentials', { name: `c${i}`, type: 'password', scope: 'project', project: 'web', values: { username: 'u', password: 'p' } }))
          .status,
      ).toBe(201);
    }
    expect((await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' })).status).toBe(200);
    return name;
  };

  /** Every credential name of the load account, through the API. */
  const storedNames = async (): Promise<Set<string>> => {
    const names = new Set<string>();
    let after = '';
    for (;;) {
      const response = await fetch(`${stack.gatewayUrls[1] ?? ''}/v1/credentials?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`, {
        headers: { authorization: authorization() },
      });
      expect(response.status).toBe(200);
      for (const credential of (await response.json()) as Array<{ name: string }>) names.add(credential.name);
      const next = response.headers.get('x-next-cursor');
      if (!next) return names;
      after = next;
    }
  };

  /** `serving`: the gateways that answer during the fault (both, unless the fault is one of them). */
  const phase = async (fault: string, inject: () => Promise<void>, restore: () => Promise<void>, serving = [0, 1]) => {
    const report: PhaseReport = {
      fault,
      requests: 0,
      retried: 0,
      failedAfterRetry: 0,
      failures: {},
      acknowledgedWrites: 0,
      lostWrites: 0,
      deletionsStarted: 0,
      deletionsIncomplete: 0,
      recoverySeconds: null,
    };
    reports.push(report);
    const doomed = await accountToDelete();
    const acknowledged: string[] = [];
    const stopLoad = runLoad(report, acknowledged);
    await sleep(LOAD_BEFORE_FAULT_MS);
    const faultAt = Date.now();
    await inject();
    // The deletion is asked while the fault is fresh, by an administrator who keeps retrying (for
    // up to about ten seconds) until it is acknowledged.
    const deletion = send(0, 'DELETE', `/v1/accounts/${doomed}`, undefined, 40, stack.admin);
    report.recoverySeconds = await recovery(faultAt, serving);
    report.deletionsStarted = (await deletion).status === 200 ? 1 : 0;
    await sleep(LOAD_AFTER_RECOVERY_MS);
    await stopLoad();
    await restore();
    await Promise.all(stack.gatewayUrls.map((url) => stack.waitUntilReady(url, 60_000)));

    report.acknowledgedWrites = acknowledged.length;
    const stored = await storedNames();
    report.lostWrites = acknowledged.filter((name) => !stored.has(name)).length;
    const reaped = await eventually(
      `account ${doomed} to be reaped`,
      async () => ((await stack.adminClient().get(`/v1/accounts/${doomed}`)).status === 404 ? true : undefined),
      90_000,
      250,
    ).catch(() => false);
    report.deletionsIncomplete = report.deletionsStarted === 1 && reaped ? 0 : 1;

    expect(report.deletionsStarted).toBe(1);
    expect(report.lostWrites).toBe(0);
    expect(report.deletionsIncomplete).toBe(0);
    expect(report.recoverySeconds).not.toBeNull();
    expect(report.acknowledgedWrites).toBeGreaterThan(0);
  };

  it('loses no acknowledged write and completes every deletion when a NATS server is killed', async () => {
    const server = cluster.servers[0];
    await phase(
      'SIGKILL one of three NATS servers',
      () => server?.down('SIGKILL') ?? Promise.resolve(),
      () => server?.up() ?? Promise.resolve(),
    );
  });

  it.each([['identity'], ['credentials'], ['reaper']] as const)('loses nothing when a replica of %s is killed', async (service) => {
    const victim = service === 'identity' ? stack.identity : service === 'credentials' ? stack.credentials : stack.reapers[0];
    killed.add(victim);
    await phase(
      `SIGKILL one of two ${service} replicas`,
      () => victim?.stop('SIGKILL') ?? Promise.resolve(),
      async () => {
        stack.startReplica(service);
      },
    );
  });

  it('loses nothing when a gateway is killed', async () => {
    killed.add(stack.gateways[0]);
    await phase(
      'SIGKILL one of two gateways',
      () => stack.gateways[0]?.stop('SIGKILL') ?? Promise.resolve(),
      () => stack.restartGateway(0),
      [1],
    );
  });

  it('loses nothing when PostgreSQL restarts', async () => {
    let back: Promise<void> = Promise.resolve();
    await phase(
      'PostgreSQL restarted (fast shutdown, up 1 s later)',
      async () => {
        postgres.down('fast');
        back = sleep(1000).then(() => postgres.up());
      },
      () => back,
    );
    // No process died of it.
    const alive = [stack.identity, stack.credentials, ...stack.gateways, ...stack.replicas, ...stack.reapers].filter((process) => !killed.has(process));
    expect(alive.filter((process) => !process.running).map((process) => process.name)).toEqual([]);
  });
});
