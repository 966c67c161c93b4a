import { type CreatedTokenView } from '@keyward/contracts';
import { signRequest } from '@keyward/domain';
import { type Credentials, errorCodeOf, ServiceProcess, TestStack } from '@keyward/testing';

/**
 * The login throttle behind a proxy, with two gateway replicas: the guesses of one client count
 * once whichever replica takes them, by the address the trusted proxy saw, which a client cannot
 * choose by sending its own X-Forwarded-For.
 */
describe('one login throttle for every gateway replica, behind a trusted proxy', () => {
  let stack: TestStack;
  let user: Credentials;

  beforeAll(async () => {
    stack = await TestStack.start({ gateways: 2, identityEnv: { KEYWARD_LOGIN_MAX_FAILURES: '3' }, gatewayEnv: { KEYWARD_TRUST_PROXY: '1' } });
    user = await stack.newUser(await stack.newAccount());
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const guess = (replica: number, forwardedFor: string, password = 'a-wrong-guess') =>
    stack.client(replica).as({ username: user.username, password }).request('GET', '/v1/account', undefined, { 'x-forwarded-for': forwardedFor });

  it('counts the guesses of one address on both replicas together', async () => {
    // Three wrong guesses in all, across the two replicas, spend the budget of three.
    expect((await guess(0, '203.0.113.9')).status).toBe(401);
    expect((await guess(1, '203.0.113.9')).status).toBe(401);
    expect((await guess(0, '203.0.113.9')).status).toBe(401);
    for (const replica of [0, 1]) {
      const refused = await guess(replica, '203.0.113.9', user.password);
      expect(refused.status).toBe(429);
      expect(errorCodeOf(refused)).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // A client that puts an address of its choosing in front is still seen at the proxy's.
    expect((await guess(1, '198.51.100.1, 203.0.113.9', user.password)).status).toBe(429);
    // Another client, seen by the proxy at another address, signs in.
    expect((await guess(1, '203.0.113.10', user.password)).status).toBe(200);
  });

  it('counts failed token checks too, answering 429 past the limit, but never refuses a right signature for others’ guesses', async () => {
    const created = await stack.client().as(user).post<CreatedTokenView>('/v1/user/tokens', { name: 'throttled' });
    expect(created.status).toBe(201);
    const forged = `${created.body.token.slice(0, created.body.token.lastIndexOf('_'))}_${'0'.repeat(64)}`;
    const send = (replica: number, token: string, n: number) =>
      stack.client(replica).request('GET', `/v1/account?n=${n}`, undefined, {
        authorization: signRequest(token, { method: 'GET', url: `/v1/account?n=${n}` }),
        'x-forwarded-for': '203.0.113.20',
      });
    // Three failed checks spend the budget of three, across both replicas; each further one is 429.
    for (const n of [1, 2, 3]) {
      const refused = await send(n % 2, forged, n);
      expect({ status: refused.status, code: errorCodeOf(refused) }).toEqual({ status: 401, code: 'BAD_SIGNATURE' });
    }
    for (const n of [4, 5]) {
      const refused = await send(n % 2, forged, n);
      expect({ status: refused.status, code: errorCodeOf(refused) }).toEqual({ status: 429, code: 'TOO_MANY_LOGIN_ATTEMPTS' });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The right token from the same address is checked first, and answered.
    expect((await send(0, created.body.token, 6)).status).toBe(200);
    expect((await send(1, created.body.token, 7)).status).toBe(200);
    // No forged signature was kept as used: the replay records hold only the two right ones.
    const kept = await stack.database.query<{ n: string }>(`SELECT count(*) AS n FROM identity.signature_replays`);
    expect(Number(kept[0]?.n)).toBe(2);
  });

  it('refuses to start when told to trust every hop', async () => {
    const gateway = ServiceProcess.start('gateway', { ...stack.env, KEYWARD_PORT: '0', KEYWARD_TRUST_PROXY: 'true' });
    expect(await gateway.exit()).toBe(1);
    expect(gateway.logs).toContain('KEYWARD_TRUST_PROXY: must be false, a hop count');
  });
});
