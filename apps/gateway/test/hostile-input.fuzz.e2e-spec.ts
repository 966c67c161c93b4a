import { CREDENTIAL_FIELDS } from '@keyward/domain';
import { type Credentials, TestStack } from '@keyward/testing';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';

/**
 * Property-based fuzz of the whole REST API: generated hostile requests over every operation of
 * the gateway's OpenAPI document, as several kinds of caller. Fails on any 5xx, any request that
 * does not answer within REQUEST_TIMEOUT_MS, and any response that echoes a planted secret.
 *
 * KEYWARD_FUZZ_SEED replays a run (the seed is printed on failure); KEYWARD_FUZZ_REQUESTS changes
 * the number of requests (at least 10,000 by default).
 */
const REQUESTS = Number(process.env['KEYWARD_FUZZ_REQUESTS'] ?? 10_000);
const BATCH = 10;
const REQUEST_TIMEOUT_MS = 10_000;
const SEED = process.env['KEYWARD_FUZZ_SEED'] ? Number(process.env['KEYWARD_FUZZ_SEED']) : Math.floor(Math.random() * 2 ** 31);
/** Put into every secret field of every generated body: no response may contain it. */
const MARKER = `PLANTED${randomBytes(6).toString('hex')}`;

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  enum?: unknown[];
  $ref?: string;
}
interface Operation {
  method: string;
  path: string;
  query: string[];
  body?: Schema;
}

interface Caller {
  name: string;
  headers: Record<string, string>;
}
interface Generated {
  operation: Operation;
  caller: Caller;
  account: string | undefined;
  pathValues: string[];
  query: [string, string][];
  contentType: string;
  rawBody: string;
  shaped: boolean;
  body: unknown;
}

const SECRET_FIELD = /password|secret|^value$|token/i;
const SECRET_VALUE_FIELDS = new Set(Object.values(CREDENTIAL_FIELDS).flatMap((fields) => fields.filter((f) => f.secret).map((f) => f.field)));

const NASTY = [
  '',
  ' ',
  '.',
  '..',
  '../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  '\r\nSet-Cookie: x=1',
  '\ud800',
  '\udfff\ud800',
  '\u202e',
  '\ufeff',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '$1',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'admin',
  '_system',
  'anchore-system',
  'null',
  'undefined',
  'NaN',
  'true',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '0x10',
  ' 1',
  '1.5',
  'a'.repeat(129),
  'b'.repeat(4097),
  'c'.repeat(70_000),
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 100, maxLength: 600 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}[a-z0-9]$/) },
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 366, 0.5),
  fc.boolean(),
  fc.constant(null),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** A secret field's value: the marker, sometimes wrapped in something the service must refuse. */
const secretValue = fc.oneof(
  fc.constant(MARKER),
  hostileString.map((s) => `${MARKER}${s}`),
  hostileString.map((s) => `${s}${MARKER}`),
  fc.constant([MARKER]),
  fc.constant({ value: MARKER }),
  fc.constant(`${MARKER}${'x'.repeat(5000)}`),
);

function resolve(schema: Schema | undefined, document: { components?: { schemas?: Record<string, Schema> } }): Schema | undefined {
  if (!schema?.$ref) return schema;
  return document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
}

/** A value for `schema`: mostly of the right shape with hostile contents, sometimes anything at all. */
function valueOf(schema: Schema | undefined, name: string, document: Parameters<typeof resolve>[1], depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, document);
  if (SECRET_FIELD.test(name) && resolved?.type !== 'object' && resolved?.type !== 'boolean')
    return fc.oneof({ weight: 4, arbitrary: secretValue }, { weight: 1, arbitrary: hostileValue });
  if (!resolved || depth > 3) return hostileValue;
  if (resolved.enum) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...resolved.enum) }, { weight: 1, arbitrary: hostileValue });
  switch (resolved.type ?? '') {
    case 'object': {
      const known = Object.entries(resolved.properties ?? {}).map(([key, property]) => [key, valueOf(property, key, document, depth + 1)] as const);
      const open = resolved.additionalProperties;
      const extra =
        open && open !== true
          ? // Free-form maps (credential values, secret data, labels): secret fields get the marker.
            fc
              .dictionary(
                fc.oneof(fc.constantFrom(...SECRET_VALUE_FIELDS, 'url', 'username', 'accessKeyId', 'key'), hostileString),
                fc.oneof(hostileValue, secretValue),
                { maxKeys: 4 },
              )
              .map((map) =>
                Object.fromEntries(Object.entries(map).map(([key, value]) => [key, SECRET_VALUE_FIELDS.has(key) || name === 'data' ? MARKER : value])),
              )
          : fc.constant({});
      const shaped = fc.tuple(fc.record(Object.fromEntries(known), { requiredKeys: [] }), extra).map(([fields, more]) => ({ ...more, ...fields }));
      return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue });
    }
    case 'string':
      return fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: hostileValue });
    case 'number':
    case 'integer':
      return fc.oneof({ weight: 3, arbitrary: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double()) }, { weight: 1, arbitrary: hostileValue });
    case 'boolean':
      return fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: hostileValue });
    default:
      return hostileValue;
  }
}

/** Percent-encodes UTF-8, whatever the string holds (a lone surrogate becomes U+FFFD). */
function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** What fetch lets into a header: visible ASCII and spaces (a client cannot send the rest). */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '').trim();
}

const RAW_SEGMENTS = ['%', '%zz', '%c0%ae', '%ff%fe', '%2e%2e', '%2F', '..%2F..', '%u0000', '%E2%80%AE'];

describe('hostile input: generated requests over every OpenAPI operation', () => {
  let stack: TestStack;
  let operations: Operation[];
  let document: Parameters<typeof resolve>[1];
  let callers: Caller[];
  let known: string[];
  let secrets: string[];

  beforeAll(async () => {
    // Many failed logins from one address are what this test sends: let the others through.
    stack = await TestStack.start({
      identityEnv: { KEYWARD_LOGIN_MAX_FAILURES: '1000', KEYWARD_LOGIN_MAX_FAILURES_PER_ADDRESS: '100000', LOG_LEVEL: 'warn' },
      gatewayEnv: { LOG_LEVEL: 'warn' },
    });
    const account = await stack.newAccount();
    const alice = await stack.newUser(account);
    const staff = await stack.newUser(await stack.newAccount());
    expect((await stack.adminClient().request('PATCH', `/v1/admin/users/${staff.username}`, { staff: true })).status).toBe(200);
    const token = async (body: Record<string, unknown>, path = '/v1/user/tokens') => {
      const response = await stack.client().as(alice).post<{ id: string; token: string }>(path, body);
      expect(response.status).toBe(201);
      return response.body;
    };
    const [bearer, readOnly, session] = await Promise.all([token({ name: 'fuzz' }), token({ name: 'fuzz-ro', readOnly: true }), token({}, '/v1/session')]);
    const planted = await stack
      .adminClient()
      .inAccount(account)
      .post<{ id: string }>('/v1/credentials', { name: 'planted', type: 'password', scope: 'all', values: { username: 'u', password: MARKER } });
    expect(planted.status).toBe(201);
    const project = await stack.adminClient().inAccount(account).post('/v1/projects', { name: 'fuzz-project' });
    expect(project.status).toBe(201);
    const basic = (user: Credentials) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    callers = [
      { name: 'anonymous', headers: {} },
      { name: 'admin', headers: { authorization: basic(stack.admin) } },
      { name: 'user', headers: { authorization: basic(alice) } },
      { name: 'staff', headers: { authorization: basic(staff) } },
      { name: 'token', headers: { authorization: `Bearer ${bearer.token}` } },
      { name: 'read-only token', headers: { authorization: `Bearer ${readOnly.token}` } },
      { name: 'session', headers: { authorization: `Bearer ${session.token}` } },
    ];
    known = [account, alice.username, staff.username, 'admin', bearer.id, readOnly.id, planted.body.id, 'fuzz-project', 'keyward', 'password'];
    secrets = [MARKER, alice.password, staff.password, stack.admin.password, bearer.token, readOnly.token, session.token];
    document = (await stack.client().get<Parameters<typeof resolve>[1] & { paths: Record<string, Record<string, unknown>> }>('/docs/openapi.json')).body;
    operations = Object.entries(
      (
        document as {
          paths: Record<
            string,
            Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>
          >;
        }
      ).paths,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        body: operation.requestBody?.content?.['application/json']?.schema,
      })),
    );
    expect(operations.length).toBeGreaterThan(40);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it(`answers ${REQUESTS} generated hostile requests without a 5xx, a hang or a planted secret`, async () => {
    const pathValue = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...known).map(encode) },
      { weight: 4, arbitrary: hostileString.map(encode) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
    );
    const request: fc.Arbitrary<Generated> = fc
      .record({
        operation: fc.constantFrom(...operations),
        caller: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...callers) },
          // A garbage Authorization header or account header.
          { weight: 1, arbitrary: hostileString.map((value): Caller => ({ name: 'garbage', headers: { authorization: headerSafe(value) } })) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(fc.constantFrom('Basic ', 'Bearer ', 'Bearer kwt_', 'KEYWARD-HMAC-SHA256 Credential=kwt_'), hostileString)
              .map(([scheme, value]): Caller => ({
                name: 'garbage',
                headers: { authorization: `${scheme}${headerSafe(scheme === 'Basic ' ? Buffer.from(value).toString('base64') : value)}` },
              })),
          },
        ),
        account: fc.option(fc.oneof(fc.constantFrom(...known), hostileString.map(headerSafe)), { nil: undefined }),
        pathValues: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
        query: fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom('limit', 'offset', 'state', 'format', 'type', 'scope', 'project', 'unused', 'account', 'credential_type', 'access_token'),
              hostileString,
            ),
            hostileString,
          ),
          { maxLength: 4 },
        ),
        contentType: fc.oneof(
          { weight: 6, arbitrary: fc.constant('application/json') },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              'application/json; charset=utf-8',
              'text/plain',
              'application/x-www-form-urlencoded',
              'application/JSON',
              'multipart/form-data; boundary=x',
              '',
            ),
          },
        ),
        rawBody: fc.oneof(
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              '',
              '{',
              '[',
              'null',
              '"x"',
              '1',
              '{"a":',
              '{"__proto__":{"admin":true}}',
              '{"constructor":{"prototype":{"x":1}}}',
              `${'['.repeat(5000)}${']'.repeat(5000)}`,
            ),
          },
          { weight: 1, arbitrary: hostileString },
        ),
        shaped: fc.boolean(),
      })
      .chain((generated) =>
        (generated.operation.body ? valueOf(generated.operation.body, '', document) : hostileValue).map((body) => ({ ...generated, body })),
      );

    let sent = 0;
    let failure: string | undefined;
    const statuses = new Map<number, number>();
    const reached = new Set<string>();
    const check = async (generated: Generated) => {
      let index = 0;
      const path = generated.operation.path.replace(/\{[^}]+\}/g, () => generated.pathValues[index++] ?? 'x');
      const query = generated.query.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&');
      const url = `${stack.gatewayUrls[0]}${path}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = { ...generated.caller.headers };
      if (generated.account !== undefined) headers['x-anchore-account'] = generated.account;
      const hasBody = !['GET', 'HEAD'].includes(generated.operation.method);
      const body = hasBody ? (generated.shaped ? JSON.stringify(generated.body) : generated.rawBody) : undefined;
      if (hasBody && generated.contentType) headers['content-type'] = generated.contentType;
      const summary = `${generated.operation.method} ${url.slice(0, 300)} as ${generated.caller.name}${body === undefined ? '' : ` with ${headers['content-type'] ?? 'no content type'} body ${body.slice(0, 300)}`}`;
      let status: number;
      let text: string;
      try {
        const response = await fetch(url, { method: generated.operation.method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        status = response.status;
        text = await response.text();
      } catch (error: unknown) {
        throw new Error(`No answer within ${REQUEST_TIMEOUT_MS} ms (${String(error)}): ${summary}`);
      }
      sent += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status < 300) reached.add(`${generated.operation.method} ${generated.operation.path}`);
      if (status >= 500) throw new Error(`${status} ${text.slice(0, 300)}: ${summary}`);
      const exported = generated.operation.path === '/v1/credentials/{id}/export' && status === 200;
      const echoed = secrets.find((secret) => text.includes(secret) && !(exported && secret === MARKER));
      if (echoed) throw new Error(`A planted secret came back (${status} ${text.slice(0, 300)}): ${summary}`);
    };

    try {
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          try {
            await Promise.all(batch.map(check));
          } catch (error: unknown) {
            failure ??= error instanceof Error ? error.message : String(error);
            throw new Error('see below');
          }
        }),
        { numRuns: Math.ceil(REQUESTS / BATCH), seed: SEED, endOnFailure: true },
      );
    } catch (error: unknown) {
      const reason = failure ?? (error instanceof Error ? error.message.slice(0, 2000) : String(error));
      throw new Error(`Fuzz failed with seed ${SEED} (replay: KEYWARD_FUZZ_SEED=${SEED}) after ${sent} requests:\n${reason}`);
    }
    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    // The requests reached the services: every kind of refusal, and successes on most operations.
    process.stdout.write(
      `fuzz seed ${SEED}: ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; ${reached.size} of ${operations.length} operations answered 2xx at least once\n`,
    );
    for (const status of [400, 401, 403, 404]) expect({ status, seen: (statuses.get(status) ?? 0) > 0 }).toEqual({ status, seen: true });
    // Over many seeds 21 to 25 of the 44 operations answered 2xx at least once: 40 % leaves room
    // for an unlucky seed while still failing a run that only ever reached the edge's refusals.
    expect(reached.size).toBeGreaterThanOrEqual(Math.floor(operations.length * 0.4));
  }, 600_000);
});
