// Credential and reaper figures for `npm run bench`, run against the stack run.mjs started:
// - credential creates per second through the gateway (each request a new credential, sealed);
// - p50/p99 of paginated listing in an account holding 10,000 credentials;
// - seconds to reap an account holding 100,000 credentials, 1,000 projects and 1,000 secrets.
// Bulk data is written straight into the tables (the purge and the list never open sealed values),
// so the figures measure the service, not the time to fill it.
import { randomUUID } from 'node:crypto';

const SEALED_PLACEHOLDER = 'kw1.bench.AA.AA.AA';

async function call(baseUrl, method, path, auth, body, headers = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function accountId(pg, name) {
  const { rows } = await pg.query('SELECT id FROM identity.accounts WHERE name = $1', [name]);
  return rows[0].id;
}

function summary(result) {
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Creates through the API: each request posts a credential with a name of its own. */
export async function benchCreates({ baseUrl, adminAuth, fire, connections, durationSeconds }) {
  const account = `bench-creates-${Date.now()}`;
  await call(baseUrl, 'POST', '/v1/accounts', adminAuth, { name: account });
  let sequence = 0;
  const result = await fire({
    url: `${baseUrl}/v1/credentials`,
    connections,
    duration: durationSeconds,
    method: 'POST',
    headers: { authorization: adminAuth, 'x-anchore-account': account, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          sequence += 1;
          return {
            ...request,
            body: JSON.stringify({ name: `c-${sequence}`, type: 'password', scope: 'all', values: { username: 'bench', password: `pw-${sequence}-${randomUUID()}` } }),
          };
        },
      },
    ],
  });
  return { account, ...summary(result) };
}

/** Lists an account of 10,000 credentials a page at a time, at random offsets. */
export async function benchList({ baseUrl, adminAuth, pg, fire, connections, durationSeconds, credentials = 10_000, pageSize = 100 }) {
  const account = `bench-list-${Date.now()}`;
  await call(baseUrl, 'POST', '/v1/accounts', adminAuth, { name: account });
  const id = await accountId(pg, account);
  await pg.query(
    `INSERT INTO credentials.credentials (id, account_id, name, type, scope, public_values, values_sealed, created_by)
     SELECT gen_random_uuid(), $1, 'listed-' || g, 'password', 'all', '{"username":"u"}', $3, 'bench' FROM generate_series(1, $2) g`,
    [id, credentials, SEALED_PLACEHOLDER],
  );
  await pg.query('ANALYZE credentials.credentials');
  const pages = Math.ceil(credentials / pageSize);
  const result = await fire({
    url: `${baseUrl}/v1/credentials`,
    connections,
    duration: durationSeconds,
    headers: { authorization: adminAuth, 'x-anchore-account': account },
    requests: [{ setupRequest: (request) => ({ ...request, path: `/v1/credentials?limit=${pageSize}&offset=${Math.floor(Math.random() * pages) * pageSize}` }) }],
  });
  return { account, credentials, pageSize, ...summary(result) };
}

/** Seconds from DELETE to 404 for an account with 100,000 credentials, 1,000 projects and 1,000 secrets. */
export async function benchReap({ baseUrl, adminAuth, pg, credentials = 100_000, projects = 1000, secrets = 1000 }) {
  const account = `bench-reap-${Date.now()}`;
  await call(baseUrl, 'POST', '/v1/accounts', adminAuth, { name: account });
  const id = await accountId(pg, account);
  await pg.query(
    `INSERT INTO credentials.projects (account_id, name, namespace, created_by)
     SELECT $1, 'p' || g, 'keyward-p' || g, 'bench' FROM generate_series(1, $2) g`,
    [id, projects],
  );
  await pg.query(
    `INSERT INTO credentials.secrets (id, account_id, namespace, name, type, labels, data_keys, data_sealed, source)
     SELECT gen_random_uuid(), $1, 'keyward', 's' || g, 'Opaque', '{}', '{token}', $3, 'api' FROM generate_series(1, $2) g`,
    [id, secrets, SEALED_PLACEHOLDER],
  );
  await pg.query(
    `INSERT INTO credentials.credentials (id, account_id, name, type, scope, project_id, public_values, values_sealed, created_by)
     SELECT gen_random_uuid(), $1, 'c' || g, 'password', 'project', p.id, '{"username":"u"}', $3, 'bench'
       FROM generate_series(1, $2) g JOIN credentials.projects p ON p.account_id = $1 AND p.name = 'p' || (1 + g % $4)`,
    [id, credentials, SEALED_PLACEHOLDER, projects],
  );
  await pg.query('ANALYZE credentials.credentials');
  await call(baseUrl, 'PUT', `/v1/accounts/${account}/state`, adminAuth, { state: 'disabled' });
  const started = process.hrtime.bigint();
  await call(baseUrl, 'DELETE', `/v1/accounts/${account}`, adminAuth);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${baseUrl}/v1/accounts/${account}`, { headers: { authorization: adminAuth } });
    await response.arrayBuffer();
    if (response.status === 404) break;
    if (Date.now() > deadline) throw new Error(`account ${account} still present after 120 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { rows } = await pg.query(
    `SELECT (SELECT count(*) FROM credentials.credentials WHERE account_id = $1)::int AS credentials,
            (SELECT count(*) FROM credentials.projects WHERE account_id = $1)::int AS projects,
            (SELECT count(*) FROM credentials.secrets WHERE account_id = $1)::int AS secrets`,
    [id],
  );
  return { credentials, projects, secrets, seconds, left: rows[0] };
}
