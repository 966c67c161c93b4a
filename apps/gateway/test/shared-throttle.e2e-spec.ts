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

  it('refuses to start when told to trust every hop', async () => {
    const gateway = ServiceProcess.start('gateway', { ...stack.env, KEYWARD_PORT: '0', KEYWARD_TRUST_PROXY: 'true' });
    expect(await gateway.exit()).toBe(1);
    expect(gateway.logs).toContain('KEYWARD_TRUST_PROXY: must be false, a hop count');
  });
});
