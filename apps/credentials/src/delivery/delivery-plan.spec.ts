import { CredentialScope, StoredCredentialType } from '@keyward/domain';
import { type DeliveryTarget, describeFailure, isManaged, needsWrite, planDelivery, retryDelayMs } from './delivery-plan';

const ACCOUNT = '00000000-0000-4000-8000-000000000001';
const at = new Date('2026-12-03T10:00:00Z');

function target(overrides: Partial<DeliveryTarget>): DeliveryTarget {
  return {
    credentialId: 'c1',
    credentialName: 'login',
    type: StoredCredentialType.Password,
    scope: CredentialScope.Project,
    namespace: 'team-a',
    updatedAt: at,
    valuesSealed: 'sealed',
    secretId: null,
    secretNamespace: null,
    secretType: null,
    secretDataSealed: null,
    ...overrides,
  };
}

const b64 = (value: string) => Buffer.from(value).toString('base64');

describe(planDelivery.name, () => {
  it('writes one labelled Secret per credential and namespace, opening each credential once', () => {
    const open = jest.fn(() => ({ username: 'app', password: 'pw' }));
    const sut = planDelivery(ACCOUNT, [target({ scope: CredentialScope.All, namespace: 'a' }), target({ scope: CredentialScope.All, namespace: 'b' })], open);
    expect(open).toHaveBeenCalledTimes(1);
    expect(sut.map((s) => `${s.namespace}/${s.name}`)).toEqual(['a/login', 'b/login']);
    expect(sut[0]?.body).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'login',
        namespace: 'a',
        labels: { 'keyward.io/managed-by': 'keyward', 'keyward.io/account-id': ACCOUNT, 'keyward.io/credential-id': 'c1' },
      },
      type: 'Opaque',
      data: { username: b64('app'), password: b64('pw') },
    });
  });

  it('writes docker-registry credentials as dockerconfigjson', () => {
    const [sut] = planDelivery(ACCOUNT, [target({ type: StoredCredentialType.DockerRegistry })], () => ({ url: 'r.example', username: 'u', password: 'p' }));
    expect(sut?.body?.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(sut?.body?.data?.['.dockerconfigjson'] ?? '', 'base64').toString())).toEqual({
      auths: { 'r.example': { username: 'u', password: 'p', auth: b64('u:p') } },
    });
  });

  it('does not copy an existing secret into its own namespace, and clones it into others with its type', () => {
    const existing = {
      valuesSealed: null,
      secretId: 's1',
      secretNamespace: 'keyward',
      secretType: 'kubernetes.io/dockerconfigjson',
      secretDataSealed: 'x',
      type: StoredCredentialType.KubernetesSecret,
    };
    const sut = planDelivery(ACCOUNT, [target({ ...existing, namespace: 'keyward' }), target({ ...existing, namespace: 'team-b' })], () => ({
      '.dockerconfigjson': '{}',
    }));
    expect(sut[0]).toMatchObject({ namespace: 'keyward', body: null, note: { state: 'synced' } });
    expect(sut[1]?.body).toMatchObject({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{}') } });
  });

  it('reports a credential whose values cannot be opened, and delivers the others', () => {
    const sut = planDelivery(
      ACCOUNT,
      [target({ credentialId: 'broken', credentialName: 'broken' }), target({ credentialId: 'fine', credentialName: 'fine' })],
      (t) => {
        if (t.credentialId === 'broken') throw new Error('Sealed value does not authenticate');
        return { username: 'u', password: 'p' };
      },
    );
    expect(sut.find((s) => s.credentialId === 'broken')).toMatchObject({
      body: null,
      note: { state: 'error', message: expect.stringContaining('could not be opened') },
    });
    expect(sut.find((s) => s.credentialId === 'fine')?.body).not.toBeNull();
  });

  it('delivers nothing into a denied namespace, and says so', () => {
    const sut = planDelivery(
      ACCOUNT,
      [target({ namespace: 'kube-system' }), target({ namespace: 'team-a' })],
      () => ({ username: 'u', password: 'p' }),
      new Set(['kube-system']),
    );
    expect(sut.find((s) => s.namespace === 'kube-system')).toMatchObject({
      body: null,
      note: { state: 'error', message: expect.stringContaining('does not deliver into namespace kube-system') },
    });
    expect(sut.find((s) => s.namespace === 'team-a')?.body).not.toBeNull();
  });

  it('gives a project credential its name in its namespace over a credential of scope all', () => {
    const sut = planDelivery(
      ACCOUNT,
      [target({ credentialId: 'all', scope: CredentialScope.All }), target({ credentialId: 'own', scope: CredentialScope.Project })],
      () => ({ username: 'u', password: 'p' }),
    );
    expect(sut.find((s) => s.credentialId === 'own')?.body).not.toBeNull();
    expect(sut.find((s) => s.credentialId === 'all')).toMatchObject({ body: null, note: { state: 'error' } });
  });
});

describe(needsWrite.name, () => {
  const desired = planDelivery(ACCOUNT, [target({})], () => ({ username: 'u', password: 'p' }))[0]?.body ?? {};

  it('is false for the same type, data and labels (other labels and key order aside)', () => {
    const actual = {
      ...desired,
      metadata: { ...desired.metadata, labels: { ...desired.metadata?.labels, extra: 'x' } },
      data: { password: b64('p'), username: b64('u') },
    };
    expect(needsWrite(actual, desired)).toBe(false);
  });

  it('is true when the data, the type or one of its labels differ', () => {
    expect(needsWrite({ ...desired, data: { username: b64('u'), password: b64('tampered') } }, desired)).toBe(true);
    expect(needsWrite({ ...desired, type: 'kubernetes.io/basic-auth' }, desired)).toBe(true);
    expect(needsWrite({ ...desired, metadata: { ...desired.metadata, labels: { 'keyward.io/managed-by': 'keyward' } } }, desired)).toBe(true);
  });
});

describe('delivery helpers', () => {
  it('recognises only Secrets labelled as Keyward’s', () => {
    expect(isManaged({ metadata: { labels: { 'keyward.io/managed-by': 'keyward' } } })).toBe(true);
    expect(isManaged({ metadata: { labels: { 'keyward.io/credentials': 'true' } } })).toBe(false);
    expect(isManaged(undefined)).toBe(false);
  });

  it('says what a failure means without echoing the response', () => {
    expect(describeFailure({ code: 403, body: 'secret-ish' }, 'ns')).toMatch(/^forbidden: Keyward may not write Secrets in namespace ns/);
    expect(describeFailure({ code: 404 }, 'ns')).toBe('namespace ns does not exist in the cluster');
    expect(describeFailure({ code: 500, body: 'x' }, 'ns')).toBe('the Kubernetes API answered 500');
  });

  it('backs off from 1 s, doubling, up to a minute', () => {
    expect([1, 2, 3, 7, 20].map(retryDelayMs)).toEqual([1000, 2000, 4000, 60_000, 60_000]);
  });
});
