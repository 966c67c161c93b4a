import { BUS_GRANTS } from '@keyward/contracts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@keyward/testing';

interface Container {
  name: string;
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type: string } };
  containers: Container[];
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ values: string[] }> };
    policyTypes?: string[];
    ingress?: Array<{ from?: unknown[]; ports?: Array<{ port: number }> }>;
    egress?: Array<{ to?: unknown[]; ports?: Array<{ port: number }> }>;
  };
  data?: Record<string, string>;
  rules?: Array<{ resources: string[]; verbs: string[] }>;
}

/** deploy/kubernetes rendered by `kubectl kustomize`, each object checked against the Kubernetes schemas (tools/kubernetes-manifests.mjs). */
function run(input?: string): {
  objects: K8sObject[];
  results: Array<{ kind: string; name: string; errors: string[] }>;
  status: number | null;
  stderr: string;
} {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'tools', 'kubernetes-manifests.mjs'), ...(input ? ['-'] : [])], {
    input,
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
  if (!result.stdout) throw new Error(`tools/kubernetes-manifests.mjs failed: ${result.stderr}`);
  return {
    ...(JSON.parse(result.stdout) as { objects: K8sObject[]; results: Array<{ kind: string; name: string; errors: string[] }> }),
    status: result.status,
    stderr: result.stderr,
  };
}

describe('deploy/kubernetes', () => {
  const { objects, results, status } = run();
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const workloads = [...of('Deployment'), ...of('StatefulSet')];
  const services = ['identity', 'credentials', 'reaper', 'gateway'];

  it('renders with kubectl kustomize, and every object is valid against the Kubernetes schemas', () => {
    expect(results.filter((r) => r.errors.length > 0)).toEqual([]);
    expect(status).toBe(0);
    expect(objects.map((o) => o.kind).sort()).toEqual(
      expect.arrayContaining(['Deployment', 'StatefulSet', 'PodDisruptionBudget', 'NetworkPolicy', 'Job', 'ClusterRole']),
    );
    // The check is live: a broken object is reported.
    const broken = run(
      JSON.stringify([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } }]),
    );
    expect(broken.status).toBe(1);
    expect(broken.results[0]?.errors.join()).toContain('/spec/replicas');
  });

  it('runs each service as a Deployment of 2 with probes, resources and a locked-down security context', () => {
    expect(
      of('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...services].sort());
    for (const workload of workloads) {
      const pod = workload.spec?.template?.spec as PodSpec;
      expect({ name: workload.metadata.name, replicas: (workload.spec?.replicas ?? 1) >= 2 }).toEqual({ name: workload.metadata.name, replicas: true });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      for (const container of pod.containers) {
        expect({ workload: workload.metadata.name, ready: Boolean(container.readinessProbe), live: Boolean(container.livenessProbe) }).toEqual({
          workload: workload.metadata.name,
          ready: true,
          live: true,
        });
        expect(container.resources?.requests?.['cpu']).toBeDefined();
        expect(container.resources?.limits?.['memory']).toBeDefined();
        expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
    }
    expect(of('StatefulSet')).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'nats' }), spec: expect.objectContaining({ replicas: 3 }) }),
    ]);
  });

  it('keeps a disruption budget for every workload', () => {
    for (const workload of workloads) {
      const labels = workload.spec?.template?.metadata?.labels ?? {};
      const budgets = of('PodDisruptionBudget').filter((b) => Object.entries(b.spec?.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
      expect({ workload: workload.metadata.name, budgets: budgets.length }).toEqual({ workload: workload.metadata.name, budgets: 1 });
    }
  });

  it('takes every password and key from existing Secrets, never from the manifests', () => {
    expect(of('Secret')).toEqual([]);
    for (const workload of [...workloads, ...of('Job')]) {
      for (const container of (workload.spec?.template?.spec as PodSpec).containers) {
        for (const variable of container.env ?? []) {
          if (/PASSWORD|KEYS|DATABASE_URL/.test(variable.name)) {
            expect({ variable: variable.name, literal: variable.value }).toEqual({ variable: variable.name, literal: undefined });
            expect(['keyward-nats', 'keyward-database', 'keyward-keys', 'keyward-admin']).toContain(variable.valueFrom?.secretKeyRef?.name);
          }
        }
      }
    }
  });

  it('connects each service to NATS as its own user, and mounts a Kubernetes token only into credentials', () => {
    for (const name of services) {
      const pod = of('Deployment').find((d) => d.metadata.name === name)?.spec?.template?.spec as PodSpec;
      const env = Object.fromEntries((pod.containers[0]?.env ?? []).map((e) => [e.name, e]));
      expect(name in BUS_GRANTS).toBe(true);
      expect(env['NATS_USER']?.value).toBe(name);
      expect(env['NATS_PASSWORD']?.valueFrom?.secretKeyRef).toEqual({ name: 'keyward-nats', key: `${name}-password` });
      expect({ name, token: pod.automountServiceAccountToken }).toEqual({ name, token: name === 'credentials' });
    }
    const role = of('ClusterRole').find((r) => r.metadata.name === 'keyward-credentials');
    expect(role?.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] }]);
    const config = of('ConfigMap').find((c) => c.metadata.name.startsWith('keyward-nats-config'));
    expect(config?.data?.['keyward.conf']).toBe(readFileSync(join(REPO_ROOT, 'deploy', 'nats', 'nats.conf'), 'utf8'));
  });

  it('lets only the gateway take connections from outside, and each service reach only NATS and PostgreSQL', () => {
    const policies = of('NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // Ingress from anywhere (no `from`): the gateway's port only.
    const open = policies.filter((p) => p.spec?.ingress?.some((rule) => rule.from === undefined));
    expect(open.map((p) => [p.spec?.podSelector?.matchLabels, p.spec?.ingress?.[0]?.ports])).toEqual([
      [{ 'app.kubernetes.io/name': 'gateway' }, [{ protocol: 'TCP', port: 8228 }]],
    ]);
    const egressPorts = (name: string) =>
      policies
        .filter(
          (p) =>
            p.spec?.egress &&
            (p.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'] === name ||
              p.spec.podSelector?.matchExpressions?.[0]?.values.includes(name) ||
              Object.keys(p.spec.podSelector ?? {}).length === 0),
        )
        .flatMap((p) => p.spec?.egress?.flatMap((rule) => rule.ports?.map((port) => port.port) ?? []) ?? [])
        .sort((a, b) => a - b);
    expect(egressPorts('gateway')).toEqual([53, 53, 4222]);
    expect(egressPorts('identity')).toEqual([53, 53, 4222, 5432]);
    expect(egressPorts('reaper')).toEqual([53, 53, 4222, 5432]);
    expect(egressPorts('credentials')).toEqual([53, 53, 443, 4222, 5432, 6443]);
  });
});
