import { eventually, randomPassword, ServiceProcess, TestStack } from '@keyward/testing';
import { connect } from 'nats';

describe('operations', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ gatewayEnv: { KEYWARD_NATS_TIMEOUT_MS: '1000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reports liveness and readiness', async () => {
    expect((await stack.client().get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await stack.client().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { nats: 'up', identity: 'up', credentials: 'up', database: 'up' } });
  });

  it('serves Prometheus metrics by route template, with no account name in any label', async () => {
    const account = `metricsacct${Date.now()}`;
    expect((await stack.adminClient().post('/v1/accounts', { name: account })).status).toBe(200);
    expect((await stack.adminClient().get(`/v1/accounts/${account}`)).status).toBe(200);
    expect((await stack.adminClient().get(`/v1/accounts/${account}-missing`)).status).toBe(404);
    expect((await stack.client().get(`/v1/no/such/${account}`)).status).toBe(404);
    const scraped = await stack.client().get<string>('/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scraped.body;
    expect(text).toMatch(/^keyward_http_requests_total\{method="GET",route="\/v1\/accounts\/:account",status="200"\} [1-9]/m);
    expect(text).toMatch(/^keyward_http_requests_total\{method="GET",route="\/v1\/accounts\/:account",status="404"\} [1-9]/m);
    // No route of the API: the console's catch-all, or `unmatched` when no console is served.
    expect(text).toMatch(/^keyward_http_requests_total\{method="GET",route="(unmatched|\/\*)",status="404"\} [1-9]/m);
    expect(text).toMatch(/^keyward_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/v1\/accounts",status="200"\} \d+/m);
    expect(text).toMatch(/^keyward_gateway_process_cpu_seconds_total \d/m);
    expect(text).not.toContain(account);
    // Not an operation of the REST API.
    const document = await stack.client().get<{ paths: Record<string, unknown> }>('/docs/openapi.json');
    expect(Object.keys(document.body.paths)).not.toContain('/metrics');
  });

  it('has every service serve its own metrics: bus requests, logins, cache, reaper, outbox and delivery, no account in a label', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const client = stack.client().as(user);
    expect((await client.get('/v1/account')).status).toBe(200);
    expect((await client.get('/v1/account')).status).toBe(200);
    // Wrong passwords until the throttle refuses unchecked.
    const wrong = stack.client().as({ username: user.username, password: 'not-the-password' });
    for (let i = 0; i < 6; i += 1) await wrong.get('/v1/account');
    expect((await wrong.get('/v1/account')).status).toBe(429);
    await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'disabled' });
    await stack.adminClient().delete(`/v1/accounts/${account}`);
    await eventually('the account reaped', async () => ((await stack.adminClient().get(`/v1/accounts/${account}`)).status === 404 ? true : undefined));

    const scrape = async (url: string) => {
      const response = await fetch(url);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };
    const gateway = (await stack.client().get<string>('/metrics')).body;
    expect(gateway).toMatch(/^keyward_nats_request_duration_seconds_count\{subject="identity\.auth\.verify",outcome="ok"\} [1-9]/m);
    expect(gateway).toMatch(/^keyward_auth_cache_lookups_total\{result="hit"\} [1-9]/m);
    expect(gateway).toMatch(/^keyward_auth_cache_lookups_total\{result="miss"\} [1-9]/m);
    expect(gateway).toMatch(/^keyward_auth_cache_evictions_total\{reason="invalidated"\} [1-9]/m);

    const identity = await scrape(await stack.metricsUrl(stack.identity));
    expect(identity).toMatch(/^keyward_login_failures_total [1-9]/m);
    expect(identity).toMatch(/^keyward_login_throttled_total [1-9]/m);
    expect(identity).toMatch(/^keyward_outbox_pending 0$/m);
    expect(identity).toMatch(/^keyward_outbox_lag_seconds 0$/m);
    expect(identity).toMatch(/^keyward_identity_process_cpu_seconds_total \d/m);

    const credentials = await scrape(await stack.metricsUrl(stack.credentials));
    expect(credentials).toMatch(/^keyward_nats_request_duration_seconds_count\{subject="identity\.account\.state",outcome="ok"\} [1-9]/m);
    expect(credentials).toMatch(/^keyward_delivery_lag_seconds_count \d/m);

    const reaper = await scrape(await stack.metricsUrl(stack.reapers[0] as ServiceProcess));
    expect(reaper).toMatch(/^keyward_reap_duration_seconds_count [1-9]/m);
    expect(reaper).toMatch(/^keyward_reaper_backlog 0$/m);
    expect(reaper).toMatch(/^keyward_nats_request_duration_seconds_count\{subject="credentials\.account\.purge",outcome="ok"\} [1-9]/m);

    for (const text of [gateway, identity, credentials, reaper]) {
      expect(text).not.toContain(account);
      expect(text).not.toContain(user.username);
    }
    // Only GET /metrics is served there.
    expect((await fetch((await stack.metricsUrl(stack.identity)).replace('/metrics', '/'))).status).toBe(404);
  });

  it('serves the OpenAPI document and its viewer at /docs', async () => {
    const viewer = await stack.client().get<string>('/docs');
    expect(viewer.status).toBe(200);
    expect(viewer.body).toContain('<html');
    const document = await stack.client().get<{ paths: Record<string, unknown> }>('/docs/openapi.json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1',
        '/v1/accounts',
        '/v1/accounts/{account}',
        '/v1/accounts/{account}/state',
        '/v1/accounts/{account}/users',
        '/v1/accounts/{account}/users/{username}',
        '/v1/accounts/{account}/users/{username}/credentials',
        '/v1/account',
        '/v1/user',
        '/v1/user/credentials',
      ]),
    );
  });

  it('writes structured JSON logs that carry no password', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const newPassword = randomPassword();
    await stack.client().as(user).post('/v1/user/credentials', { type: 'password', value: newPassword });
    await stack.client().as({ username: user.username, password: 'a-wrong-guess-123' }).get('/v1/account');
    // A refused insert (a taken name: a constraint violation in PostgreSQL) logs no value it carried.
    const owner = stack.client().as({ username: user.username, password: newPassword });
    await owner.post('/v1/projects', { name: 'logged', description: 'description-value-7f3a' });
    expect((await owner.post('/v1/projects', { name: 'logged', description: 'description-value-7f3a' })).status).toBe(409);
    await owner.post('/v1/credentials', { name: 'same', type: 'password', scope: 'all', values: { username: 'u', password: 'credential-value-1' } });
    expect(
      (await owner.post('/v1/credentials', { name: 'same', type: 'password', scope: 'all', values: { username: 'u', password: 'credential-value-2' } })).status,
    ).toBe(409);
    const logs = await stack.flushedLogs();
    expect(logs).not.toContain('description-value-7f3a');
    expect(logs).not.toContain('PARAMETERS');
    expect(logs).not.toMatch(/kw1\.[A-Za-z0-9]+\./);
    const lines = stack.gateways[0]?.logs.split('\n').filter((line) => line.startsWith('{')) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    expect(() => lines.map((line) => JSON.parse(line) as unknown)).not.toThrow();
    for (const secret of [
      stack.admin.password,
      user.password,
      newPassword,
      'a-wrong-guess-123',
      Buffer.from(`admin:${stack.admin.password}`).toString('base64'),
    ]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const gateway = ServiceProcess.start('gateway', { ...stack.env, KEYWARD_PORT: 'eighty' });
    const identity = ServiceProcess.start('identity', {
      ...stack.envOf('identity'),
      DATABASE_URL: 'mysql://somewhere/keyward',
      KEYWARD_ADMIN_PASSWORD: 'short',
    });
    expect(await gateway.exit()).toBe(1);
    expect(await identity.exit()).toBe(1);
    expect(gateway.logs).toMatch(/KEYWARD_PORT: .*integer/);
    expect(identity.logs).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(identity.logs).toMatch(/KEYWARD_ADMIN_PASSWORD: must be at least 12 characters/);
    expect(identity.logs).not.toContain('"short"');

    const noKeys = ServiceProcess.start('credentials', { ...stack.envOf('credentials'), KEYWARD_MASTER_KEYS: '' });
    const weakKey = ServiceProcess.start('credentials', { ...stack.envOf('credentials'), KEYWARD_MASTER_KEYS: 'k1:dG9vLXNob3J0' });
    expect(await noKeys.exit()).toBe(1);
    expect(await weakKey.exit()).toBe(1);
    expect(noKeys.logs).toMatch(/KEYWARD_MASTER_KEYS: is required/);
    expect(weakKey.logs).toMatch(/key k1 must be 32 bytes/);
    expect(weakKey.logs).not.toContain('dG9vLXNob3J0');
  });

  it('answers 503 when identity is down: after the failover window without responders, after the timeout when nobody replies', async () => {
    const admin = stack.adminClient();
    expect((await admin.get('/v1/account')).status).toBe(200);
    await stack.identity.stop();

    const nats = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
    const silent = nats.subscribe(`${stack.env['KEYWARD_NATS_PREFIX']}.identity.account.get`);
    await nats.flush();
    const started = Date.now();
    const hung = await admin.get<{ detail: { error_codes: string[] } }>('/v1/account');
    const elapsed = Date.now() - started;
    expect(hung.status).toBe(503);
    expect(hung.body.detail.error_codes).toEqual(['SERVICE_UNAVAILABLE']);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    silent.unsubscribe();
    await nats.close();

    const down = await admin.get<{ message: string }>('/v1/account');
    expect(down.status).toBe(503);
    expect(down.body.message).toBe('The identity service is unavailable. Try again shortly.');
    const ready = await stack.client().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', checks: { nats: 'up', identity: 'down' } });
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const gateway = stack.gateways[0];
    await gateway?.stop('SIGTERM');
    expect(await gateway?.exit()).toBe(0);
    expect(gateway?.logs).toContain('Received SIGTERM: shutting down');
  });
});
