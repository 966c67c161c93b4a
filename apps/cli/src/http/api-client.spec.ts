import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { computeSignature, parseSignedAuthorization, parseToken, stringToSign } from '@keyward/domain';
import { ApiClient, apiPath } from './api-client';
import { ApiError, UnreachableError } from './errors';

const TOKEN = `kwt_3f9a2c4e8b1d7a60_${'0123456789abcdef'.repeat(4)}`;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A stand-in gateway that records each request and answers with `reply`. */
function startServer(reply: (request: Received) => { status: number; body?: unknown; headers?: Record<string, string> }) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const answer = reply(request);
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json', ...answer.headers });
      res.end(text);
    });
  });
  return new Promise<{ url: string; received: Received[]; close: () => Promise<void> }>((resolvePromise) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({ url: `http://127.0.0.1:${port}`, received, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

describe(ApiClient.name, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let answer: { status: number; body?: unknown; headers?: Record<string, string> };

  beforeEach(async () => {
    answer = { status: 200, body: { ok: true } };
    server = await startServer(() => answer);
  });

  afterEach(() => server.close());

  it('signs the path, query and body exactly as sent, with a nonce that makes each request new', async () => {
    const sut = new ApiClient({ baseUrl: server.url, auth: { kind: 'token', token: TOKEN, username: 'alice' } });
    await sut.post('/v1/projects', { name: 'team-a' }, { b: '2', a: 'x y' });
    await sut.post('/v1/projects', { name: 'team-a' }, { b: '2', a: 'x y' });

    const secret = parseToken(TOKEN)?.secret ?? '';
    for (const request of server.received) {
      const parsed = parseSignedAuthorization(request.headers.authorization ?? '');
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(parsed.value.tokenId).toBe('3f9a2c4e8b1d7a60');
      const expected = computeSignature(
        secret,
        stringToSign({ method: request.method, url: request.url, body: request.body, timestamp: parsed.value.timestamp }),
      );
      expect(parsed.value.signature).toBe(expected);
      expect(request.url).toMatch(/^\/v1\/projects\?b=2&a=x\+y&nonce=[0-9a-f]{16}$/);
      expect(request.body).toBe('{"name":"team-a"}');
      expect(request.headers['content-type']).toBe('application/json');
    }
    const [first, second] = server.received;
    expect(first?.url).not.toBe(second?.url);
  });

  it('sends HTTP Basic and the acting account, and no content type without a body', async () => {
    const sut = new ApiClient({ baseUrl: server.url, auth: { kind: 'basic', username: 'admin', password: 'pw' }, account: 'team' });
    await sut.delete(apiPath('/v1/accounts', 'a/b'));
    const [request] = server.received;
    expect(request?.url).toBe('/v1/accounts/a%2Fb');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('admin:pw').toString('base64')}`);
    expect(request?.headers['x-anchore-account']).toBe('team');
    expect(request?.headers['content-type']).toBeUndefined();
  });

  it('reads every page of a list up to X-Total-Count', async () => {
    let served = 0;
    await server.close();
    server = await startServer((request) => {
      const offset = Number(new URL(request.url, 'http://x').searchParams.get('offset'));
      const batch = Array.from({ length: Math.min(1000, 2500 - offset) }, (_, i) => offset + i);
      served += 1;
      return { status: 200, body: batch, headers: { 'x-total-count': '2500' } };
    });
    const sut = new ApiClient({ baseUrl: server.url, auth: { kind: 'none' } });
    const items = await sut.list<number>('/v1/credentials', { type: 'password' });
    expect(items).toHaveLength(2500);
    expect(items[2499]).toBe(2499);
    expect(served).toBe(3);
    expect(server.received.map((r) => r.url)).toEqual([
      '/v1/credentials?type=password&limit=1000&offset=0',
      '/v1/credentials?type=password&limit=1000&offset=1000',
      '/v1/credentials?type=password&limit=1000&offset=2000',
    ]);
    expect(await sut.list('/v1/credentials', {}, { limit: 5, offset: 10 })).toHaveLength(1000);
    expect(server.received.at(-1)?.url).toBe('/v1/credentials?limit=5&offset=10');
  });

  it('turns an error reply into an ApiError with its exit status', async () => {
    answer = { status: 401, body: { message: 'Unauthorized', httpcode: 401, detail: { error_codes: ['REVOKED_TOKEN'] } } };
    const sut = new ApiClient({ baseUrl: server.url, auth: { kind: 'none' } });
    const error = await sut.get('/v1/account').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).exitCode).toBe(2);
    expect((error as ApiError).errorCodes).toEqual(['REVOKED_TOKEN']);
  });

  it('returns an export as the exact text sent', async () => {
    answer = { status: 200, body: "USERNAME='app'\nPASSWORD='p w'" };
    const sut = new ApiClient({ baseUrl: server.url, auth: { kind: 'none' } });
    expect(await sut.text('POST', '/v1/credentials/1/export', { format: 'env' })).toBe("USERNAME='app'\nPASSWORD='p w'");
  });

  it('says so when the gateway cannot be reached', async () => {
    await server.close();
    const sut = new ApiClient({ baseUrl: server.url, auth: { kind: 'none' } });
    const error = await sut.get('/v1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).message).toBe(`Cannot reach Keyward at ${server.url}: ECONNREFUSED`);
    server = await startServer(() => answer);
  });
});
