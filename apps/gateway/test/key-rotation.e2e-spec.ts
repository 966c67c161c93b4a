import { type StoredCredentialView } from '@keyward/contracts';
import { ServiceProcess, TestStack } from '@keyward/testing';
import { randomBytes } from 'node:crypto';

/** Rotation: re-seal everything under a new key, then retire the old one. */
describe('master key rotation', () => {
  const oldKey = `old:${randomBytes(32).toString('base64')}`;
  const newKey = `new:${randomBytes(32).toString('base64')}`;
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ credentialsEnv: { KEYWARD_MASTER_KEYS: oldKey }, identityEnv: { KEYWARD_TOKEN_KEYS: oldKey } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const sealedKeyIds = async () =>
    (
      await stack.database.query<{ key_id: string }>(
        `SELECT split_part(values_sealed, '.', 2) AS key_id FROM credentials.credentials WHERE values_sealed IS NOT NULL
         UNION ALL SELECT split_part(data_sealed, '.', 2) FROM credentials.secrets`,
      )
    ).map((row) => row.key_id);

  it('re-seals every record under the active key, after which the old key can go', async () => {
    const account = await stack.newAccount();
    const admin = stack.adminClient().inAccount(account);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const created = await admin.post<StoredCredentialView>('/v1/credentials', {
        name: `rotated-${i}`,
        type: 'password',
        scope: 'all',
        values: { username: 'u', password: `pw-rotated-${i}` },
      });
      ids.push(created.body.id);
    }
    await admin.post('/v1/secrets', { namespace: 'keyward', name: 'rotated-secret', data: { token: 'token-rotated' } });
    expect(new Set(await sealedKeyIds())).toEqual(new Set(['old']));

    // Retiring the old key too early is refused at start, naming the key.
    const tooEarly = ServiceProcess.start('credentials', { ...stack.envOf('credentials'), KEYWARD_MASTER_KEYS: newKey });
    expect(await tooEarly.exit()).toBe(1);
    expect(tooEarly.logs).toContain('sealed under key(s) old, which KEYWARD_MASTER_KEYS lacks');

    const rotation = ServiceProcess.start('credentials', { ...stack.envOf('credentials'), KEYWARD_MASTER_KEYS: `${newKey},${oldKey}` }, ['rotate-keys']);
    expect(await rotation.exit()).toBe(0);
    expect(rotation.logs).toContain('Re-sealed 3 credential(s) and 1 secret(s) under key new.');
    expect(new Set(await sealedKeyIds())).toEqual(new Set(['new']));

    // Running it again finds nothing to do.
    const again = ServiceProcess.start('credentials', { ...stack.envOf('credentials'), KEYWARD_MASTER_KEYS: `${newKey},${oldKey}` }, ['rotate-keys']);
    expect(await again.exit()).toBe(0);
    expect(again.logs).toContain('Re-sealed 0 credential(s) and 0 secret(s)');

    await stack.restartCredentials({ KEYWARD_MASTER_KEYS: newKey });
    for (const [i, id] of ids.entries()) {
      const exported = await admin.post<string>(`/v1/credentials/${id}/export?format=env`);
      expect(exported.status).toBe(200);
      expect(exported.body).toContain(`PASSWORD='pw-rotated-${i}'`);
    }
    expect((await admin.get<StoredCredentialView>(`/v1/credentials/${ids[0] ?? ''}`)).body.keyId).toBe('new');
    for (const secret of [oldKey, newKey]) {
      expect(stack.logs).not.toContain(secret.split(':')[1]);
    }
  });

  it('re-seals API token secrets in identity the same way, and the tokens keep working', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const created = await stack.client().as(user).post<{ token: string }>('/v1/user/tokens', { name: 'rotated' });
    expect(created.status).toBe(201);
    const tokenKeyIds = async () =>
      (
        await stack.database.query<{ key_id: string }>(
          `SELECT split_part(secret_sealed, '.', 2) AS key_id FROM identity.api_tokens WHERE secret_sealed IS NOT NULL`,
        )
      ).map((row) => row.key_id);
    expect(await tokenKeyIds()).toEqual(['old']);

    const tooEarly = ServiceProcess.start('identity', { ...stack.envOf('identity'), KEYWARD_TOKEN_KEYS: newKey });
    expect(await tooEarly.exit()).toBe(1);
    expect(tooEarly.logs).toContain('sealed under key(s) old, which KEYWARD_TOKEN_KEYS lacks');

    const rotation = ServiceProcess.start('identity', { ...stack.envOf('identity'), KEYWARD_TOKEN_KEYS: `${newKey},${oldKey}` }, ['rotate-keys']);
    expect(await rotation.exit()).toBe(0);
    expect(rotation.logs).toContain('Re-sealed 1 API token secret(s) under key new.');
    expect(await tokenKeyIds()).toEqual(['new']);

    await stack.restartIdentity({ KEYWARD_TOKEN_KEYS: newKey });
    expect((await stack.client().withToken(created.body.token).get('/v1/account')).status).toBe(200);
  });
});
