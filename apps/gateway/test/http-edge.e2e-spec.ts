import { request as httpRequest } from 'node:http';
import { type AccountView, type UserView } from '@keyward/contracts';
import { TestStack } from '@keyward/testing';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** One request with exactly the headers given: no client library adds or drops any. */
/**
 * One request as written. With `announceOnly`, the body's length is announced but only its first
 * kilobyte sent: the server must answer from the announced length, and the test never races the
 * connection being closed under a body still being written (EPIPE).
 */
function raw(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  announceOnly = false,
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const sent = announceOnly && body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers;
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers: sent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
        if (announceOnly) req.destroy();
      });
    });
    req.on('error', reject);
    if (announceOnly && body !== undefined) req.write(Buffer.from(body).subarray(0, 1024));
    else req.end(body);
  });
}

function basic(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** What python-requests sends on every anchore-cli call, besides the body and its length. */
const PYTHON_REQUESTS = {
  'user-agent': 'python-requests/2.28.1',
  'accept-encoding': 'gzip, deflate',
  accept: '*/*',
  connection: 'keep-alive',
  'content-type': 'application/json',
};

function expectAnchoreError(response: RawResponse, status: number, code: string, message?: RegExp): void {
  expect(response.status).toBe(status);
  const body = response.json() as { message: string; httpcode: number; detail: { error_codes: string[] } };
  expect({ httpcode: body.httpcode, code: body.detail.error_codes[0] }).toEqual({ httpcode: status, code });
  if (message) expect(body.message).toMatch(message);
}

describe('the HTTP edge: what any client may send', () => {
  let stack: TestStack;
  let url: string;
  let admin: string;

  beforeAll(async () => {
    stack = await TestStack.start({ reapers: 0 });
    url = stack.gatewayUrls[0] ?? '';
    admin = basic(stack.admin);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe("Anchore's ping", () => {
    it.each(['/v1', '/v1/', '/'])('GET %s answers "v1" without credentials, and with wrong ones', async (path) => {
      const withoutCredentials: Record<string, string> = { accept: '*/*' };
      for (const headers of [withoutCredentials, { accept: '*/*', authorization: basic({ username: 'admin', password: 'not-the-password' }) }]) {
        const response = await raw(url, 'GET', path, headers);
        expect(response.status).toBe(200);
        expect(response.json()).toBe('v1');
      }
      expect((await raw(url, 'HEAD', path, { accept: '*/*' })).status).toBe(200);
    });

    it('keeps every other route behind authentication', async () => {
      expectAnchoreError(await raw(url, 'GET', '/v1/account', PYTHON_REQUESTS), 401, 'UNAUTHORIZED');
      expectAnchoreError(
        await raw(url, 'GET', '/v1/accounts', { ...PYTHON_REQUESTS, authorization: basic({ username: 'admin', password: 'wrong-password' }) }),
        401,
        'UNAUTHORIZED',
      );
    });

    it('serves the console at / to a browser', async () => {
      const response = await raw(url, 'GET', '/', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  describe('empty bodies, as python-requests sends them', () => {
    it('takes a DELETE with Content-Type: application/json and Content-Length: 0 as a request without a body', async () => {
      const account = await stack.newAccount();
      const user = await stack.newUser(account);
      const deleted = await raw(url, 'DELETE', `/v1/accounts/${account}/users/${user.username}`, {
        ...PYTHON_REQUESTS,
        authorization: admin,
        'content-length': '0',
      });
      expect(deleted.status).toBe(204);
      expect((await stack.adminClient().get(`/v1/accounts/${account}/users/${user.username}`)).status).toBe(404);

      await stack.adminClient().put(`/v1/accounts/${account}/state`, { state: 'disabled' });
      const gone = await raw(url, 'DELETE', `/v1/accounts/${account}`, { ...PYTHON_REQUESTS, authorization: admin, 'content-length': '0' });
      expect(gone.status).toBe(200);
      expect(gone.json()).toEqual({ state: 'deleting' });
    });

    it('answers a route that needs a body with its own 400 naming what is missing', async () => {
      const response = await raw(url, 'POST', '/v1/accounts', { ...PYTHON_REQUESTS, authorization: admin, 'content-length': '0' });
      expect(response.status).toBe(400);
      expect((response.json() as { message: string }).message).toMatch(/name/i);
    });

    it('accepts application/json with a charset', async () => {
      const name = `charset${Date.now()}`;
      const body = JSON.stringify({ name });
      const response = await raw(
        url,
        'POST',
        '/v1/accounts',
        { ...PYTHON_REQUESTS, 'content-type': 'application/json; charset=utf-8', authorization: admin },
        body,
      );
      expect(response.status).toBe(200);
      expect((response.json() as AccountView).name).toBe(name);
    });
  });

  describe('JSON only', () => {
    it.each([
      ['application/x-www-form-urlencoded', 'username=formuser1&password=password123'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="username"\r\n\r\nformuser1\r\n--x--\r\n'],
      ['text/plain', '{"username":"formuser1","password":"password123"}'],
    ])('refuses a %s body with 415 and stores nothing', async (contentType, body) => {
      const response = await raw(url, 'POST', '/v1/accounts/admin/users', { authorization: admin, 'content-type': contentType }, body);
      expectAnchoreError(response, 415, 'UNSUPPORTED_MEDIA_TYPE', /must be application\/json/);
      expect((await stack.adminClient().get('/v1/accounts/admin/users/formuser1')).status).toBe(404);
    });

    it('refuses a body without a Content-Type with 415', async () => {
      const response = await raw(url, 'POST', '/v1/accounts', { authorization: admin, 'content-length': '13' }, '{"name":"x1"}');
      expectAnchoreError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers malformed JSON, an oversized body and an oversized request line in the error shape', async () => {
      expectAnchoreError(
        await raw(url, 'POST', '/v1/accounts', { authorization: admin, 'content-type': 'application/json' }, '{"name": '),
        400,
        'MALFORMED_BODY',
        /not valid JSON/,
      );
      expectAnchoreError(
        await raw(url, 'POST', '/v1/accounts', { authorization: admin, 'content-type': 'application/json' }, '{"__proto__": {"admin": true}}'),
        400,
        'MALFORMED_BODY',
      );
      const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
      expectAnchoreError(
        await raw(url, 'POST', '/v1/accounts', { authorization: admin, 'content-type': 'application/json' }, huge, true),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expectAnchoreError(await raw(url, 'GET', `/v1/accounts/${'a'.repeat(20_000)}`, { authorization: admin }), 431, 'REQUEST_TOO_LARGE');
      expectAnchoreError(await raw(url, 'GET', '/v1/no-such-route', { authorization: admin }), 404, 'ROUTE_NOT_FOUND');
    });

    it('sets security headers on API responses', async () => {
      const response = await raw(url, 'GET', '/v1', {});
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBeDefined();
      expect(response.headers['content-security-policy']).toBeDefined();
      expect(response.headers['strict-transport-security']).toBeDefined();
    });
  });

  describe('paths', () => {
    it('works with every name and username the rules allow, up to 128 characters, in every path', async () => {
      const account = `a${'b'.repeat(120)}${String(Date.now() % 10_000_000).padStart(7, '0')}`.slice(0, 128);
      const username = `u@.!#$+-=^_\`~;${'x'.repeat(200)}`.slice(0, 128);
      expect(account).toHaveLength(128);
      expect(username).toHaveLength(128);
      expect((await stack.adminClient().post('/v1/accounts', { name: account })).status).toBe(200);
      expect((await stack.adminClient().post(`/v1/accounts/${account}/users`, { username, password: 'password123' })).status).toBe(200);

      const quoted = encodeURIComponent(username);
      const got = await raw(url, 'GET', `/v1/accounts/${account}/users/${quoted}`, { ...PYTHON_REQUESTS, authorization: admin });
      expect(got.status).toBe(200);
      expect((got.json() as UserView).username).toBe(username);
      expect((await raw(url, 'GET', `/v1/accounts/${account}`, { ...PYTHON_REQUESTS, authorization: admin })).status).toBe(200);
      expect(
        (await raw(url, 'DELETE', `/v1/accounts/${account}/users/${quoted}`, { ...PYTHON_REQUESTS, authorization: admin, 'content-length': '0' })).status,
      ).toBe(204);
      expect((await raw(url, 'PUT', `/v1/accounts/${account}/state`, { ...PYTHON_REQUESTS, authorization: admin }, '{"state": "disabled"}')).status).toBe(200);
      expect((await raw(url, 'DELETE', `/v1/accounts/${account}`, { ...PYTHON_REQUESTS, authorization: admin, 'content-length': '0' })).status).toBe(200);
    });

    it('refuses a name over 128 characters in a path with a 4xx in the error shape, not a router error', async () => {
      const response = await raw(url, 'GET', `/v1/accounts/${'a'.repeat(300)}`, { ...PYTHON_REQUESTS, authorization: admin });
      expect([400, 404]).toContain(response.status);
      expect((response.json() as { detail: { error_codes: string[] } }).detail.error_codes[0]).not.toBe('ROUTE_NOT_FOUND');
    });

    it('answers a NUL or other control character in any path or query parameter, or a NUL in a JSON field, with a 400 naming it', async () => {
      const refused = [
        await raw(url, 'GET', '/v1/projects/a%00b', { ...PYTHON_REQUESTS, authorization: admin }),
        await raw(url, 'DELETE', '/v1/admin/users/a%00b/tokens', { ...PYTHON_REQUESTS, authorization: admin }),
        await raw(url, 'GET', '/v1/accounts/a%0Ab/users', { ...PYTHON_REQUESTS, authorization: admin }),
        await raw(url, 'GET', '/v1/admin/users?account=a%00b', { ...PYTHON_REQUESTS, authorization: admin }),
        await raw(url, 'GET', '/v1/projects/a%00b', { ...PYTHON_REQUESTS }),
        await raw(
          url,
          'POST',
          '/v1/accounts',
          { ...PYTHON_REQUESTS, authorization: admin },
          JSON.stringify({ name: 'nul-account', email: 'a\u0000b@example.test' }),
        ),
      ];
      expect(refused.map((response) => response.status)).toEqual([400, 400, 400, 400, 400, 400]);
      const bodies = refused.map((response) => response.json() as { message: string; detail: { error_codes: string[] } });
      expect(bodies.map((body) => body.detail.error_codes[0])).toEqual(bodies.map(() => 'VALIDATION_FAILED'));
      expect(bodies[0].message).toBe('Validation failed: path parameter "name" must not contain control characters (NUL, newline, tab...)');
      expect(bodies[3].message).toContain('query parameter "account"');
      expect(bodies[5].message).toBe('Validation failed: email must not contain a NUL character');
      // Nothing was stored.
      expect((await raw(url, 'GET', '/v1/accounts/nul-account', { ...PYTHON_REQUESTS, authorization: admin })).status).toBe(404);
    });

    it('refuses a query parameter given twice, naming it', async () => {
      const response = await raw(url, 'GET', '/v1/accounts?limit=1&limit=2', { ...PYTHON_REQUESTS, authorization: admin });
      expectAnchoreError(response, 400, 'VALIDATION_FAILED', /^Validation failed: query parameter "limit" must be given once$/);
    });

    it('accepts trailing slashes', async () => {
      const response = await raw(url, 'GET', '/v1/accounts/', { ...PYTHON_REQUESTS, authorization: admin });
      expect(response.status).toBe(200);
      expect(Array.isArray(response.json())).toBe(true);
      expect((await raw(url, 'GET', '/v1/account/', { ...PYTHON_REQUESTS, authorization: admin })).status).toBe(200);
    });
  });

  describe('request classes: the OpenAPI document is what the edge checks', () => {
    interface Schema {
      type?: string;
      readOnly?: boolean;
      properties?: Record<string, Schema>;
      $ref?: string;
    }
    interface Document {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, Schema> };
    }
    const WRONG: Record<string, unknown> = { string: 12345, boolean: 'yes', number: 'many', object: 'text' };

    it('refuses, for every documented field of every body, a value of another JSON type: 400 VALIDATION_FAILED naming the field', async () => {
      const document = (await raw(url, 'GET', '/docs/openapi.json', {})).json() as Document;
      const checked: string[] = [];
      const wrong: string[] = [];
      for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          const ref = operation.requestBody?.content['application/json']?.schema.$ref;
          if (!ref) continue;
          const schema = document.components.schemas[ref.replace('#/components/schemas/', '')];
          for (const [field, property] of Object.entries(schema?.properties ?? {}).filter(([, p]) => !p.readOnly)) {
            const value = WRONG[property.type ?? ''];
            expect({ field, type: property.type, known: value !== undefined }).toEqual({ field, type: property.type, known: true });
            const target = path.replace(/\{[^}]+\}/g, 'edge-check');
            const response = await raw(url, method.toUpperCase(), target, { ...PYTHON_REQUESTS, authorization: admin }, JSON.stringify({ [field]: value }));
            const body = response.json() as { message: string; detail: { error_codes: string[] } };
            checked.push(`${method} ${path} ${field}`);
            if (response.status !== 400 || body.detail.error_codes[0] !== 'VALIDATION_FAILED' || !body.message.startsWith(`Invalid field ${field}: `)) {
              wrong.push(`${method.toUpperCase()} ${path} {${field}: ${JSON.stringify(value)}}: ${response.status} ${body.message}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(checked.length).toBeGreaterThan(25);
    });

    it('refuses, for every number or flag in every query string, a value of another form: 400 VALIDATION_FAILED naming the parameter', async () => {
      const document = (await raw(url, 'GET', '/docs/openapi.json', {})).json() as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: { type?: string } }[] }>>;
      };
      const wrong: string[] = [];
      let checked = 0;
      for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'query' && ['number', 'boolean'].includes(p.schema?.type ?? ''))) {
            const target = `${path.replace(/\{[^}]+\}/g, 'edge-check')}?${parameter.name}=${parameter.schema?.type === 'number' ? '1.5' : 'yes'}`;
            const response = await raw(url, method.toUpperCase(), target, { ...PYTHON_REQUESTS, authorization: admin });
            const body = response.json() as { message: string; detail: { error_codes: string[] } };
            checked += 1;
            if (
              response.status !== 400 ||
              body.detail.error_codes[0] !== 'VALIDATION_FAILED' ||
              !body.message.startsWith(`Invalid query parameter ${parameter.name}: `)
            ) {
              wrong.push(`${method.toUpperCase()} ${target}: ${response.status} ${body.message}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(15);
    });

    it('lists the error responses of every operation, in the one error shape', async () => {
      const document = (await raw(url, 'GET', '/docs/openapi.json', {})).json() as Document;
      for (const [path, methods] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          const codes = Object.keys(operation.responses);
          const expected = ['/v1', '/health/live', '/health/ready'].includes(path) ? ['503'] : ['400', '401', '403', '404', '429', '503'];
          expect({ operation: `${method} ${path}`, listed: expected.filter((code) => codes.includes(code)) }).toEqual({
            operation: `${method} ${path}`,
            listed: expected,
          });
          expect(JSON.stringify(operation.responses['503'])).toContain('#/components/schemas/ErrorDto');
        }
      }
    });
  });

  describe('lists', () => {
    it('returns every account without a limit, as Anchore does, and a page with one', async () => {
      const names = Array.from({ length: 1005 }, (_, index) => `bulk${index}x${Date.now() % 100_000}`);
      for (let start = 0; start < names.length; start += 20) {
        const responses = await Promise.all(names.slice(start, start + 20).map((name) => stack.adminClient().post('/v1/accounts', { name })));
        expect(responses.every((response) => response.status === 200)).toBe(true);
      }
      const all = await raw(url, 'GET', '/v1/accounts', { ...PYTHON_REQUESTS, authorization: admin });
      expect(all.status).toBe(200);
      const listed = (all.json() as AccountView[]).map((account) => account.name);
      expect(listed.length).toBe(Number(all.headers['x-total-count']));
      expect(listed.length).toBeGreaterThan(1005);
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed).toEqual(expect.arrayContaining(names));

      const page = await stack.adminClient().get<AccountView[]>('/v1/accounts?limit=10&offset=990');
      expect(page.body).toHaveLength(10);
      expect(page.headers.get('x-total-count')).toBe(String(listed.length));
    });
  });

  describe('credentials only in the Authorization header', () => {
    it('refuses an API token in the query string or the body with 401, and never logs it', async () => {
      const created = await stack.adminClient().post<{ token: string }>('/v1/user/tokens', { name: `querytoken${Date.now()}` });
      expect(created.status).toBe(201);
      const { token } = created.body;
      expectAnchoreError(await raw(url, 'GET', `/v1/account?access_token=${token}`, {}), 401, 'CREDENTIALS_IN_URL', /Authorization header/);
      expectAnchoreError(
        await raw(url, 'POST', '/v1/accounts', { 'content-type': 'application/json' }, JSON.stringify({ name: 'bodytoken1', access_token: token })),
        401,
        'CREDENTIALS_IN_URL',
      );
      // Even with valid credentials in the header, a token in the URL is a mistake to show at once.
      expectAnchoreError(await raw(url, 'GET', `/v1/account?access_token=${token}`, { authorization: admin }), 401, 'CREDENTIALS_IN_URL');
      const secret = token.slice(token.lastIndexOf('_') + 1);
      const logs = await stack.gateways[0]?.flushedLogs();
      expect(logs).toContain('access_token=[redacted]');
      expect(logs).not.toContain(secret);
    });
  });
});
