import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import { type CredentialView, credentialTypeLabel, type DeliveryStatusView } from '../api/types';
import { Alert } from '../components/fields';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { Link } from '../router';

const STATE_LABEL: Record<DeliveryStatusView['state'], string> = { synced: 'Synced', pending: 'Pending', error: 'Error' };

/** One credential: what it is (values masked) and where it stands in each namespace of the cluster. */
export function CredentialPage({ id }: { id: string }) {
  const [credential, setCredential] = useState<(CredentialView & { delivery?: DeliveryStatusView[] | null }) | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const load = () =>
      api.get<CredentialView & { delivery?: DeliveryStatusView[] | null }>(`/v1/credentials/${encodeURIComponent(id)}`).then(
        (result) => current && setCredential(result.data),
        (error: unknown) => current && setProblem(describeError(error)),
      );
    void load();
    // Delivery moves on its own: the status is read again every few seconds while the page is open.
    const timer = setInterval(() => void load(), 5000);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [id]);

  if (problem) {
    return (
      <Page title="Credential">
        <Alert text={problem} />
        <p>
          <Link to="/credentials">Back to the credentials</Link>
        </p>
      </Page>
    );
  }
  if (!credential) return <p className="muted">Loading…</p>;
  const delivery = credential.delivery;
  return (
    <Page title={`Credential ${credential.name}`} actions={<Link to="/credentials">All credentials</Link>}>
      <dl className="details">
        <dt>Type</dt>
        <dd>{credentialTypeLabel(credential.type)}</dd>
        <dt>Scope</dt>
        <dd>{credential.scope === 'all' ? 'All projects' : `Project ${credential.project ?? ''}`}</dd>
        <dt>Source</dt>
        <dd>{credential.source === 'existing-secret' ? `Existing secret ${credential.existingSecret ?? ''}` : 'New secret'}</dd>
        {credential.values && (
          <>
            <dt>Values</dt>
            <dd>
              {Object.entries(credential.values)
                .map(([key, value]) => `${key}: ${value}`)
                .join(' · ')}
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <Time value={credential.createdAt} /> by {credential.createdBy}
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time value={credential.updatedAt} />
        </dd>
      </dl>
      <h2>Delivery</h2>
      {delivery === null || delivery === undefined ? (
        <p>No cluster is configured: the credential is stored and can be exported, but is not delivered into namespaces.</p>
      ) : delivery.length === 0 ? (
        <p>The account has no project whose namespace this credential goes to.</p>
      ) : (
        <table>
          <caption>Where the credential stands in each namespace</caption>
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">State</th>
              <th scope="col">Synced</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {delivery.map((entry) => (
              <tr key={entry.namespace}>
                <th scope="row">{entry.namespace}</th>
                <td>
                  <span className={`state state-${entry.state}`}>{STATE_LABEL[entry.state]}</span>
                </td>
                <td>
                  <Time value={entry.syncedAt} />
                </td>
                <td>{entry.message ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
