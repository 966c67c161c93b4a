import { isSecretAvailable } from './credentials';

describe(isSecretAvailable.name, () => {
  const clusterWide = { namespace: 'keyward', labels: { 'keyward.io/cluster-wide-credentials': 'true' } };
  const projectOnly = { namespace: 'keyward-ml', labels: { 'keyward.io/credentials': 'true' } };

  it('offers cluster-wide secrets to every project and to scope all', () => {
    expect(isSecretAvailable(clusterWide, 'keyward-ml')).toBe(true);
    expect(isSecretAvailable(clusterWide, null)).toBe(true);
  });

  it('offers a project secret to its own project only', () => {
    expect(isSecretAvailable(projectOnly, 'keyward-ml')).toBe(true);
    expect(isSecretAvailable(projectOnly, 'keyward-web')).toBe(false);
    expect(isSecretAvailable(projectOnly, null)).toBe(false);
  });

  it('never offers unlabelled secrets, or labels in the wrong place', () => {
    expect(isSecretAvailable({ namespace: 'keyward-ml', labels: {} }, 'keyward-ml')).toBe(false);
    expect(isSecretAvailable({ namespace: 'keyward-ml', labels: { 'keyward.io/cluster-wide-credentials': 'true' } }, 'keyward-web')).toBe(false);
    expect(isSecretAvailable({ namespace: 'keyward', labels: { 'keyward.io/cluster-wide-credentials': 'false' } }, null)).toBe(false);
  });
});
