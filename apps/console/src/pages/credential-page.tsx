import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import { type CredentialView, credentialTypeLabel, type DeliveryStatusView } from '../api/types';
import { Alert, SelectField } from '../components/fields';
import { ShownOnce } from '../components/shown-once';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { Link } from '../router';

const STATE_LABEL: Record<DeliveryStatusView['state'], string> = { synced: 'Synced', pending: 'Pending', error: 'Error' };

type ExportFormat = 'dockerconfigjson' | 'kubernetes-secret' | 'env';

const FORMATS: readonly { format: ExportFormat; label: string; file: (name: string) => { name: string; type: string } }[] = [
  { format: 'dockerconfigjson', label: 'Docker config.json (dockerconfigjson)', file: () => ({ name: 'config.json', type: 'application/json' }) },
  { format: 'kubernetes-secret', label: 'Kubernetes Secret manifest', file: (name) => ({ name: `${name}-secret.json`, type: 'application/json' }) },
  { format: 'env', label: 'Environment variables (.env)', file: (name) => ({ name: `${name}.env`, type: 'text/plain' }) },
];

/** The secret material in a format a workload reads, shown once; the gateway audits each export. */
function ExportSection({ credential }: { credential: CredentialView }) {
  // A registry login is the only thing a Docker config holds.
  const formats = FORMATS.filter((entry) => entry.format !== 'dockerconfigjson' || credential.type === 'docker-registry');
  const [format, setFormat] = useState<ExportFormat>(formats[0]?.format ?? 'kubernetes-secret');
  const [exported, setExported] = useState<{ text: string; format: ExportFormat } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      const { data } = await api.request<unknown>('POST', `/v1/credentials/${encodeURIComponent(credential.id)}/export`, { body: {}, query: { format } });
      setExported({ text: typeof data === 'string' ? data : `${JSON.stringify(data, null, 2)}\n`, format });
    } catch (failure: unknown) {
      setProblem(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const chosen = FORMATS.find((entry) => entry.format === exported?.format);
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      {exported && chosen ? (
        <ShownOnce
          id="export-shown-heading"
          title={`${credential.name} as ${chosen.label}`}
          text={exported.text}
          label={`Export of ${credential.name}`}
          download={chosen.file(credential.name)}
          doneLabel="Done, hide it"
          onDone={() => setExported(null)}
        >
          <p>
            <strong>This holds the secret in clear.</strong> It is shown only here and now; keep it where only the workload can read it.
          </p>
        </ShownOnce>
      ) : (
        <form id="export" className="inline-form" onSubmit={(event) => void submit(event)} noValidate>
          <SelectField label="Format" id="export-format" value={format} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
            {formats.map((entry) => (
              <option key={entry.format} value={entry.format}>
                {entry.label}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Exporting…' : 'Export'}
            </button>
          </div>
        </form>
      )}
      <p className="muted">Every export is recorded in the audit log, with who asked, when and from where.</p>
      <Alert text={problem} />
    </section>
  );
}

/** One credential: what it is (values masked) and where it stands in each namespace of the cluster. */
export function CredentialPage({ id, canExport }: { id: string; canExport: boolean }) {
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
      {canExport && <ExportSection credential={credential} />}
      <h2>Delivery</h2>
      {delivery === null || delivery === undefined ? (
        <p>No cluster is configured: the credential is stored and can be exported, but is not delivered into namespaces.</p>
      ) : delivery.length === 0 ? (
        <p>The account has no project whose namespace this credential goes to.</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Delivery per namespace" tabIndex={0}>
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
        </div>
      )}
    </Page>
  );
}
