import { join } from 'node:path';
import { eventually, freePort, REPO_ROOT, ServiceProcess, TestStack } from '@keyward/testing';

/** What a browser sends when it loads a page: HTML first. */
const BROWSER = { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } };

/**
 * The gateway serves the built console at `/`, publicly, to browsers, and keeps the API's answers under /v1.
 * A client that does not ask for HTML gets Anchore's ping at `/`, as at `/v1`.
 */
describe('Gateway: the web console at /', () => {
  let stack: TestStack;
  let base: string;

  beforeAll(async () => {
    stack = await TestStack.start();
    base = stack.gatewayUrls[0] ?? '';
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers / and every console route with index.html, without authentication', async () => {
    for (const path of ['/', '/credentials', '/credentials/new', '/admin/accounts?state=deleting']) {
      const response = await fetch(`${base}${path}`, BROWSER);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await response.text()).toContain('<div id="root"></div>');
    }
  });

  it("serves the built assets, cached for good since their names carry their content's hash", async () => {
    const html = await (await fetch(base, BROWSER)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${base}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}${style}`)).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${base}/favicon.svg`)).status).toBe(200);
    // A file that is not there is a 404, never index.html in its place.
    const missing = await fetch(`${base}/assets/index-missing.js`);
    expect(missing.status).toBe(404);
  });

  it('keeps the API behind authentication, with its JSON 404 for unknown API paths', async () => {
    expect((await fetch(`${base}/v1/account`)).status).toBe(401);
    for (const ping of ['/v1', '/']) {
      const response = await fetch(`${base}${ping}`);
      expect([ping, response.status, await response.json()]).toEqual([ping, 200, 'v1']);
    }
    for (const path of ['/v1/no-such-thing', '/health/nothing']) {
      const response = await fetch(`${base}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
      expect(await response.json()).toEqual({ message: 'Not found', httpcode: 404, detail: { error_codes: ['ROUTE_NOT_FOUND'] } });
    }
    const post = await fetch(`${base}/credentials`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${base}/docs/openapi.json`)).json()).toEqual(expect.objectContaining({ openapi: expect.any(String) }));
    expect((await fetch(`${base}/docs`)).status).toBe(200);
  });

  it('starts without a built console, serving the API alone', async () => {
    const port = await freePort();
    const gateway = ServiceProcess.start('gateway', {
      ...stack.env,
      KEYWARD_PORT: String(port),
      KEYWARD_CONSOLE_DIR: join(REPO_ROOT, 'dist', 'no-console-here'),
      LOG_LEVEL: 'info',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await stack.waitUntilReady(url);
      const root = await fetch(`${url}/`, BROWSER);
      expect([root.status, await root.json()]).toEqual([200, 'v1']);
      expect((await fetch(`${url}/v1/account`)).status).toBe(401);
      await eventually('the warning', async () => (gateway.logs.includes('No web console at') ? true : undefined));
    } finally {
      await gateway.stop();
    }
  });
});
