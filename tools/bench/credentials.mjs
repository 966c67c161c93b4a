// Credential and reaper scenarios for `npm run bench`, run against the stack run.mjs started:
// - credential creates through the gateway (each request a new credential, sealed, its name unique);
// - a page of 100 from an account of 10,000 credentials, by cursor (as a client walks a list) and,
//   labelled, at random offsets; the same cursor page from an account of 1,000,000;
// - reaping that account of 1,000,000 credentials, 10,000 projects and 10,000 secrets, while other
//   accounts' requests go on.
// Bulk data is written straight into the tables (neither the list nor the purge opens sealed
// values), so the figures measure the service, not the time to fill it.
import { randomUUID } from 'node:crypto';

const SEALED_PLACEHOLDER = 'kw1.bench.AA.AA.AA';

export async function call(baseUrl, method, path, auth, body, headers = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

async function newAccount(baseUrl, adminAuth, pg, name) {
  await call(baseUrl, 'POST', '/v1/accounts', adminAuth, { name });
  const { rows } = await pg.query('SELECT id FROM identity.accounts WHERE name = $1', [name]);
  return rows[0].id;
}

/** autocannon options for creates into a fresh account: each request a credential of its own name. */
export async function createsLoad({ baseUrl, adminAuth, pg }) {
  const account = `bench-creates-${Date.now()}`;
  await newAccount(baseUrl, adminAuth, pg, account);
  let sequence = 0;
  return {
    url: `${baseUrl}/v1/credentials`,
    method: 'POST',
    headers: { authorization: adminAuth, 'x-anchore-account': account, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          sequence += 1;
          return {
            ...request,
            body: JSON.stringify({
              name: `c-${sequence}`,
              type: 'password',
              scope: 'all',
              values: { username: 'bench', password: `pw-${sequence}-${randomUUID()}` },
            }),
          };
        },
      },
    ],
  };
}

/** Writes `credentials` rows into the account's projects, round robin, a millisecond apart, as if created over time. */
async function fillCredentials(pg, accountId, credentials, projects) {
  const chunk = 100_000;
  for (let first = 1; first <= credentials; first += chunk) {
    const last = Math.min(credentials, first + chunk - 1);
    await pg.query(
      `INSERT INTO credentials.credentials (id, account_id, name, type, scope, project_id, public_values, values_sealed, created_by, created_at)
       SELECT gen_random_uuid(), $1, 'c' || g, 'password', 'project', p.id, '{"username":"u"}', $4, 'bench', timestamptz '2026-01-01' + g * interval '1 millisecond'
         FROM generate_series($2::int, $3::int) g JOIN credentials.projects p ON p.account_id = $1 AND p.name = 'p' || (1 + g % $5)`,
      [accountId, first, last, SEALED_PLACEHOLDER, projects],
    );
  }
}

/** The `X-Next-Cursor` of every page of `pageSize` in the account, in list order (the cursor the API hands out). */
async function cursorsOf(pg, accountId, pageSize) {
  const { rows } = await pg.query(
    `SELECT cursor FROM (
       SELECT (extract(epoch FROM created_at) * 1000000)::bigint::text || '.' || id AS cursor, row_number() OVER (ORDER BY created_at, id) AS n
         FROM credentials.credentials WHERE account_id = $1) numbered
      WHERE n % $2 = 0`,
    [accountId, pageSize],
  );
  return rows.map((row) => Buffer.from(row.cursor).toString('base64url'));
}

/**
 * An account of `credentials` credentials to list, spread over `projects` projects: rows of the
 * same shape as the account reaped, so that its pages and the million's compare like for like.
 */
export async function listAccount({ baseUrl, adminAuth, pg }, credentials, projects = 100) {
  const account = `bench-list-${credentials}-${Date.now()}`;
  const id = await newAccount(baseUrl, adminAuth, pg, account);
  await pg.query(
    `INSERT INTO credentials.projects (account_id, name, namespace, created_by)
     SELECT $1, 'p' || g, 'keyward-list-p' || g, 'bench' FROM generate_series(1, $2) g`,
    [id, projects],
  );
  await fillCredentials(pg, id, credentials, projects);
  await pg.query('ANALYZE credentials.credentials');
  return { account, id, credentials };
}

/**
 * An account to reap: `projects` projects, `secrets` secrets and `credentials` credentials spread
 * over the projects.
 */
export async function reapAccount({ baseUrl, adminAuth, pg }, { credentials, projects, secrets }) {
  const account = `bench-reap-${Date.now()}`;
  const id = await newAccount(baseUrl, adminAuth, pg, account);
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
  await fillCredentials(pg, id, credentials, projects);
  await pg.query('ANALYZE credentials.credentials');
  return { account, id, credentials, projects, secrets };
}

/** autocannon options for pages of `pageSize` of `account`: by cursor (a random page each time), or at random offsets. */
export async function pagesLoad({ baseUrl, adminAuth, pg }, { account, id, credentials }, { pageSize = 100, by = 'cursor' } = {}) {
  const path = '/v1/credentials';
  const pages = Math.ceil(credentials / pageSize);
  const cursors = by === 'cursor' ? await cursorsOf(pg, id, pageSize) : [];
  const pick = () => Math.floor(Math.random() * pages);
  return {
    url: `${baseUrl}${path}`,
    headers: { authorization: adminAuth, 'x-anchore-account': account },
    requests: [
      {
        setupRequest: (request) => {
          const page = pick();
          // Page 0 has no cursor: it is the first page.
          const query =
            by === 'cursor'
              ? page === 0
                ? `limit=${pageSize}`
                : `limit=${pageSize}&after=${cursors[page - 1]}`
              : `limit=${pageSize}&offset=${page * pageSize}`;
          return { ...request, path: `${path}?${query}` };
        },
      },
    ],
  };
}

/**
 * Seconds from `DELETE /v1/accounts/{account}` to its `GET` answering 404, and what was left in
 * the tables afterwards. `during` runs alongside, from just before the DELETE until the 404.
 */
export async function reap({ baseUrl, adminAuth, pg }, { account, id }, during) {
  await call(baseUrl, 'PUT', `/v1/accounts/${account}/state`, adminAuth, { state: 'disabled' });
  const load = during();
  const started = process.hrtime.bigint();
  let seconds;
  try {
    await call(baseUrl, 'DELETE', `/v1/accounts/${account}`, adminAuth);
    const deadline = Date.now() + 180_000;
    for (;;) {
      const response = await fetch(`${baseUrl}/v1/accounts/${account}`, { headers: { authorization: adminAuth } });
      await response.arrayBuffer();
      if (response.status === 404) break;
      if (Date.now() > deadline) throw new Error(`account ${account} still present after 180 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    load.stop();
  }
  const duringReap = await load.done;
  const { rows } = await pg.query(
    `SELECT (SELECT count(*) FROM credentials.credentials WHERE account_id = $1)::int AS credentials,
            (SELECT count(*) FROM credentials.projects WHERE account_id = $1)::int AS projects,
            (SELECT count(*) FROM credentials.secrets WHERE account_id = $1)::int AS secrets`,
    [id],
  );
  return { seconds, left: rows[0], duringReap };
}
