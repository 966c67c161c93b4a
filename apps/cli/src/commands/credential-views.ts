import { type DeliveryStatusView, type SecretView, type StoredCredentialView } from '@keyward/contracts';
import { keyValues, table } from '../output/format';

/** `key=value, key=value`, as values and labels are printed. */
function pairs(record: Record<string, string>): string {
  return Object.entries(record)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** `url=..., username=..., password=********`: the masked values as the API returns them. */
function values(credential: StoredCredentialView): string | null {
  return credential.values === null ? null : pairs(credential.values);
}

/**
 * Where a credential (or a project's credentials) stands in each namespace of the cluster, after
 * the record; nothing when no cluster is configured.
 */
export function deliveryTable(delivery: DeliveryStatusView[] | null | undefined, by: 'namespace' | 'credential'): string {
  if (!delivery) return '';
  return `Delivery:\n${table(
    [by === 'namespace' ? 'Namespace' : 'Credential', 'State', 'Synced', 'Message'],
    delivery.map((d) => [by === 'namespace' ? d.namespace : d.credential, d.state, d.syncedAt, d.message]),
  )}`;
}

export function credentialRecord(credential: StoredCredentialView): string {
  return (
    keyValues([
      ['ID', credential.id],
      ['Name', credential.name],
      ['Description', credential.description],
      ['Type', credential.type],
      ['Scope', credential.scope],
      ['Project', credential.project],
      ['Source', credential.source],
      ['Existing Secret', credential.existingSecret],
      ['Values', values(credential)],
      ['Key ID', credential.keyId],
      ['Created', credential.createdAt],
      ['Updated', credential.updatedAt],
      ['Created By', credential.createdBy],
    ]) + deliveryTable(credential.delivery, 'namespace')
  );
}

export function credentialTable(credentials: StoredCredentialView[]): string {
  return table(
    ['ID', 'Name', 'Type', 'Scope', 'Project', 'Source', 'Created'],
    credentials.map((c) => [c.id, c.name, c.type, c.scope, c.project, c.source, c.createdAt]),
  );
}

export function secretRecord(secret: SecretView): string {
  return keyValues([
    ['Namespace', secret.namespace],
    ['Name', secret.name],
    ['Type', secret.type],
    ['Labels', pairs(secret.labels)],
    ['Keys', secret.keys.join(', ')],
    ['Used By', secret.usedBy],
    ['Source', secret.source],
    ['Created', secret.createdAt],
  ]);
}

export function secretTable(secrets: SecretView[]): string {
  return table(
    ['Namespace', 'Name', 'Type', 'Keys', 'Used By', 'Source', 'Created'],
    secrets.map((s) => [s.namespace, s.name, s.type, s.keys.join(','), s.usedBy, s.source, s.createdAt]),
  );
}
