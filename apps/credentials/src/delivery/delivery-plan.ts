import { type V1Secret } from '@kubernetes/client-node';
import { ACCOUNT_ID_LABEL, CREDENTIAL_ID_LABEL, CredentialScope, MANAGED_BY, MANAGED_BY_LABEL, type StoredCredentialType } from '@keyward/domain';
import { secretData } from '../credentials/credential-export';

/** One credential in one namespace it is delivered to, as the repository reads it. */
export interface DeliveryTarget {
  credentialId: string;
  credentialName: string;
  type: StoredCredentialType;
  scope: CredentialScope;
  /** The namespace of the project it goes to. */
  namespace: string;
  updatedAt: Date;
  /** Set for a credential with values of its own. */
  valuesSealed: string | null;
  /** Set for a credential that uses an existing secret. */
  secretId: string | null;
  secretNamespace: string | null;
  secretType: string | null;
  secretDataSealed: string | null;
}

/** What one namespace should hold for one credential. */
export interface DesiredSecret {
  credentialId: string;
  namespace: string;
  name: string;
  updatedAt: Date;
  /** The Secret to write; null when nothing is written (see `note`). */
  body: V1Secret | null;
  /** Why nothing is written: the existing secret is already there (synced), or a conflict (error). */
  note?: { state: 'synced' | 'error'; message: string };
}

/** The plain material of a target: the credential's values or the existing secret's data. */
export type OpenMaterial = (target: DeliveryTarget) => Record<string, string>;

const UNOPENED = 'its stored values could not be opened (sealed under a key this service does not hold, or altered): set its values again';

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

export function managedLabels(accountId: string, credentialId: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [ACCOUNT_ID_LABEL]: accountId, [CREDENTIAL_ID_LABEL]: credentialId };
}

/** True for a Secret Keyward wrote: the only kind it ever changes or deletes. */
export function isManaged(secret: V1Secret | undefined): secret is V1Secret {
  return secret?.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;
}

/**
 * The Secrets an account's credentials should be in the cluster, one per credential and
 * namespace of its scope, named after the credential. A credential that uses an existing secret
 * is not copied into the namespace the secret is in; into any other it is cloned. Where a
 * credential of scope `all` and one of a project have the same name, the project's takes the
 * project's namespace. Nothing goes into a `denied` namespace. Values are opened once per credential.
 */
export function planDelivery(accountId: string, targets: DeliveryTarget[], open: OpenMaterial, denied: ReadonlySet<string> = new Set()): DesiredSecret[] {
  const material = new Map<string, { type: string; data: Record<string, string> } | null>();
  const byPlace = new Map<string, DesiredSecret>();
  const conflicts: DesiredSecret[] = [];
  // Project credentials first, so they keep their name in their namespace.
  const ordered = [...targets].sort((a, b) => Number(a.scope === CredentialScope.All) - Number(b.scope === CredentialScope.All));
  for (const target of ordered) {
    const place = `${target.namespace}/${target.credentialName}`;
    const base = { credentialId: target.credentialId, namespace: target.namespace, name: target.credentialName, updatedAt: target.updatedAt };
    if (denied.has(target.namespace)) {
      conflicts.push({
        ...base,
        body: null,
        note: { state: 'error', message: `Keyward does not deliver into namespace ${target.namespace} (KEYWARD_DELIVERY_DENIED_NAMESPACES)` },
      });
      continue;
    }
    const taken = byPlace.get(place);
    if (taken) {
      conflicts.push({
        ...base,
        body: null,
        note: { state: 'error', message: `the project's own credential ${target.credentialName} has this name in namespace ${target.namespace}` },
      });
      continue;
    }
    if (target.secretId && target.secretNamespace === target.namespace) {
      byPlace.set(place, { ...base, body: null, note: { state: 'synced', message: 'uses the existing secret in this namespace: not copied' } });
      continue;
    }
    let content = material.get(target.credentialId);
    if (content === undefined) {
      try {
        content = secretData({ type: target.type, material: open(target), secretType: target.secretType });
      } catch {
        // One credential that cannot be opened holds up no other.
        content = null;
      }
      material.set(target.credentialId, content);
    }
    if (content === null) {
      byPlace.set(place, { ...base, body: null, note: { state: 'error', message: UNOPENED } });
      continue;
    }
    byPlace.set(place, {
      ...base,
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: target.credentialName, namespace: target.namespace, labels: managedLabels(accountId, target.credentialId) },
        type: content.type,
        data: Object.fromEntries(Object.entries(content.data).map(([key, value]) => [key, b64(value)])),
      },
    });
  }
  return [...byPlace.values(), ...conflicts];
}

function sameRecord(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const left = Object.entries(a ?? {}).sort(([x], [y]) => x.localeCompare(y));
  const right = Object.entries(b ?? {}).sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(left) === JSON.stringify(right);
}

/** True when the Secret in the cluster is not what Keyward would write: type, data or its labels. */
export function needsWrite(actual: V1Secret, desired: V1Secret): boolean {
  const labels = actual.metadata?.labels ?? {};
  const ours = Object.entries(desired.metadata?.labels ?? {}).every(([key, value]) => labels[key] === value);
  return !ours || (actual.type ?? 'Opaque') !== desired.type || !sameRecord(actual.data, desired.data);
}

/** The status code of a failed Kubernetes API call, if it has one. */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'number') return code;
  return typeof statusCode === 'number' ? statusCode : undefined;
}

/** A sentence for the delivery status: what went wrong in `namespace` and what to do. Never holds values. */
export function describeFailure(error: unknown, namespace: string): string {
  const code = statusCodeOf(error);
  if (code === 403)
    return `forbidden: Keyward may not write Secrets in namespace ${namespace} (grant its service account the ClusterRole in docs/kubernetes.md)`;
  if (code === 404) return `namespace ${namespace} does not exist in the cluster`;
  if (code === 409) return 'the Secret changed while it was written; trying again';
  if (code === 401) return "the cluster refused Keyward's credentials (check KEYWARD_KUBECONFIG)";
  if (code !== undefined) return `the Kubernetes API answered ${code}`;
  const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return `the Kubernetes API could not be reached: ${reason.slice(0, 200)}`;
}

/** Delay before retrying after `attempts` failures in a row: 1 s, doubling, at most a minute. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, Math.min(attempts - 1, 6)));
}
