import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client';
import { CLUSTER_WIDE_LABEL, CLUSTER_WIDE_NAMESPACE, PROJECT_LABEL } from '@keyward/domain';
import { type CredentialView, type ProjectView, type SecretView } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { Alert, SelectField, TextAreaField, TextField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { fetchAll, useList } from '../components/use-list';
import { useFormErrors } from '../components/use-form-errors';

const FORM = 'new-secret';
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const K8S_OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

type Availability = 'cluster-wide' | 'project' | 'none';

interface DataRow {
  id: number;
  key: string;
  value: string;
}

/** "key=value" lines into labels; the line numbers of the ones that do not parse. */
function parseLabels(text: string): { labels: Record<string, string>; bad: number[] } {
  const labels: Record<string, string> = {};
  const bad: number[] = [];
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const at = trimmed.indexOf('=');
    if (at <= 0) bad.push(index + 1);
    else labels[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1).trim();
  });
  return { labels, bad };
}

function availabilityOf(secret: SecretView): string {
  if (secret.namespace === CLUSTER_WIDE_NAMESPACE && secret.labels[CLUSTER_WIDE_LABEL] === 'true') return 'Every project and All';
  if (secret.labels[PROJECT_LABEL] === 'true') return `Project of namespace ${secret.namespace}`;
  return 'Nobody (not labelled)';
}

let nextRow = 1;
const emptyRow = (): DataRow => ({ id: nextRow++, key: '', value: '' });

export function SecretsPage({ readOnly }: { readOnly: boolean }) {
  const list = useList<SecretView>('/v1/secrets');
  const [projects, setProjects] = useState<ProjectView[]>([]);
  const [credentialNames, setCredentialNames] = useState<Record<string, string>>({});
  const [namespace, setNamespace] = useState(CLUSTER_WIDE_NAMESPACE);
  const [name, setName] = useState('');
  const [type, setType] = useState('Opaque');
  const [availability, setAvailability] = useState<Availability>('cluster-wide');
  const [labelsText, setLabelsText] = useState('');
  const [rows, setRows] = useState<DataRow[]>(() => [emptyRow()]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirmDialog();
  const { errors, fail, invalid, clear } = useFormErrors(FORM);

  useEffect(() => {
    fetchAll<ProjectView>('/v1/projects')
      .then(setProjects)
      .catch(() => setProjects([]));
  }, []);
  useEffect(() => {
    if (!list.items.some((secret) => secret.usedBy)) return;
    fetchAll<CredentialView>('/v1/credentials')
      .then((credentials) => setCredentialNames(Object.fromEntries(credentials.map((credential) => [credential.id, credential.name]))))
      .catch(() => undefined);
  }, [list.items]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    setNotice(null);
    const problems: Record<string, string> = {};
    if (!K8S_NAME.test(namespace)) problems['namespace'] = 'Enter a Kubernetes namespace: 1 to 63 lowercase letters, digits or -.';
    else if (availability === 'cluster-wide' && namespace !== CLUSTER_WIDE_NAMESPACE)
      problems['namespace'] = `A secret for every project must be in namespace ${CLUSTER_WIDE_NAMESPACE}.`;
    if (!K8S_OBJECT_NAME.test(name)) problems['name'] = 'Enter a Kubernetes secret name: lowercase letters, digits, - and . (up to 253).';
    const { labels, bad } = parseLabels(labelsText);
    if (bad.length) problems['labels'] = `Write one key=value per line (line ${bad.join(', ')} is not).`;
    const filled = rows.filter((row) => row.key !== '' || row.value !== '');
    if (filled.length === 0) problems['data'] = 'Add at least one key and its value.';
    else if (filled.some((row) => row.key === '')) problems['data'] = 'Every value needs a key.';
    if (Object.keys(problems).length) return invalid(problems);
    if (availability === 'cluster-wide') labels[CLUSTER_WIDE_LABEL] = 'true';
    if (availability === 'project') labels[PROJECT_LABEL] = 'true';
    setBusy(true);
    try {
      const created = await api.post<SecretView>('/v1/secrets', {
        namespace,
        name,
        type: type || undefined,
        labels,
        data: Object.fromEntries(filled.map((row) => [row.key, row.value])),
      });
      setNotice(`Secret ${created.namespace}/${created.name} registered with the keys ${created.keys.join(', ')}.`);
      setName('');
      setLabelsText('');
      setRows([emptyRow()]);
      list.reload();
    } catch (failure: unknown) {
      fail(failure, ['namespace', 'name', 'type', 'labels', 'data']);
    } finally {
      setBusy(false);
    }
  };

  const askDelete = (secret: SecretView) =>
    ask({
      title: `Remove secret ${secret.namespace}/${secret.name}?`,
      body: <p>It leaves Keyward's inventory; a secret in the cluster itself is not touched.</p>,
      confirmLabel: 'Remove secret',
      overrides: { SECRET_IN_USE: 'A credential uses this secret. Delete that credential first.' },
      action: async () => {
        await api.delete(`/v1/secrets/${encodeURIComponent(secret.namespace)}/${encodeURIComponent(secret.name)}`);
        setNotice(`Secret ${secret.namespace}/${secret.name} removed.`);
        list.reload();
      },
    });

  const updateRow = (id: number, change: Partial<DataRow>) => setRows((previous) => previous.map((row) => (row.id === id ? { ...row, ...change } : row)));

  return (
    <Page title="Secrets">
      <p className="lead">
        Existing secrets that credentials can use instead of a new secret. Their data is write-only: only the keys are shown. Labels decide who may use one.
      </p>
      {!readOnly && (
        <section aria-labelledby="new-secret-heading" className="panel">
          <h2 id="new-secret-heading">Register a secret</h2>
          <form id={FORM} className="stacked" onSubmit={(event) => void create(event)} noValidate>
            <div className="row">
              <SelectField
                label="Available to"
                id={`${FORM}-availability`}
                value={availability}
                onChange={(event) => {
                  const next = event.target.value as Availability;
                  setAvailability(next);
                  if (next === 'cluster-wide') setNamespace(CLUSTER_WIDE_NAMESPACE);
                }}
              >
                <option value="cluster-wide">Every project, and credentials of scope All</option>
                <option value="project">The project whose namespace it is in</option>
                <option value="none">Nobody yet (no label)</option>
              </SelectField>
              <TextField
                label="Namespace"
                id={`${FORM}-namespace`}
                list="secret-namespaces"
                value={namespace}
                autoComplete="off"
                spellCheck={false}
                error={errors.fields['namespace']}
                onChange={(event) => setNamespace(event.target.value)}
              />
              <datalist id="secret-namespaces">
                <option value={CLUSTER_WIDE_NAMESPACE} />
                {projects.map((project) => (
                  <option key={project.name} value={project.namespace}>
                    {`Project ${project.name}`}
                  </option>
                ))}
              </datalist>
              <TextField
                label="Name"
                id={`${FORM}-name`}
                value={name}
                autoComplete="off"
                spellCheck={false}
                error={errors.fields['name']}
                onChange={(event) => setName(event.target.value)}
              />
              <TextField
                label="Kubernetes type"
                id={`${FORM}-type`}
                value={type}
                autoComplete="off"
                spellCheck={false}
                error={errors.fields['type']}
                onChange={(event) => setType(event.target.value)}
              />
            </div>
            <fieldset className="group" aria-describedby={errors.fields['data'] ? `${FORM}-data-error` : `${FORM}-data-hint`}>
              <legend>Data</legend>
              <p className="hint" id={`${FORM}-data-hint`}>
                A credential using it needs the keys of its type: url, username and password for a Docker registry; accessKeyId and secretAccessKey for an
                access key; username and password for a username & password.
              </p>
              {rows.map((row, index) => (
                <div className="row data-row" key={row.id}>
                  <TextField
                    label={`Key ${index + 1}`}
                    id={index === 0 ? `${FORM}-data` : undefined}
                    value={row.key}
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(event) => updateRow(row.id, { key: event.target.value })}
                  />
                  <TextField
                    label={`Value ${index + 1}`}
                    type="password"
                    autoComplete="new-password"
                    value={row.value}
                    onChange={(event) => updateRow(row.id, { value: event.target.value })}
                  />
                  {rows.length > 1 && (
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => setRows((previous) => previous.filter((other) => other.id !== row.id))}
                      aria-label={`Remove key ${index + 1}`}
                    >
                      Remove
                    </button>
                  )}
                </div>
              ))}
              <button type="button" className="secondary small" onClick={() => setRows((previous) => [...previous, emptyRow()])}>
                Add a key
              </button>
              {errors.fields['data'] && (
                <p className="field-error" id={`${FORM}-data-error`} role="alert">
                  {errors.fields['data']}
                </p>
              )}
            </fieldset>
            <TextAreaField
              label="Other labels (optional)"
              id={`${FORM}-labels`}
              rows={2}
              value={labelsText}
              placeholder="team=payments"
              hint="One key=value per line."
              error={errors.fields['labels']}
              onChange={(event) => setLabelsText(event.target.value)}
            />
            <Alert text={errors.form} />
            <div className="actions">
              <button type="submit" disabled={busy}>
                {busy ? 'Registering…' : 'Register secret'}
              </button>
            </div>
          </form>
        </section>
      )}
      <Alert text={notice} tone="success" />
      <ListTable
        list={list}
        caption="Existing secrets of the account"
        columns={['Secret', 'Keys', 'Available to', 'Used by', 'Source', 'Created']}
        actions={!readOnly}
        empty="No secrets registered yet."
        pagerLabel="Secrets"
      >
        {list.items.map((secret) => {
          const ref = `${secret.namespace}/${secret.name}`;
          return (
            <tr key={ref}>
              <th scope="row">
                <code>{ref}</code>
                <span className="muted block">{secret.type}</span>
              </th>
              <td>{secret.keys.join(', ')}</td>
              <td>{availabilityOf(secret)}</td>
              <td>{secret.usedBy ? `Credential ${credentialNames[secret.usedBy] ?? secret.usedBy}` : 'Unused'}</td>
              <td>{secret.source === 'kubernetes' ? 'Kubernetes' : 'Registered'}</td>
              <td>
                <Time value={secret.createdAt} />
              </td>
              {!readOnly && (
                <td className="row-actions">
                  <DangerButton label={`Remove secret ${ref}`} onClick={() => askDelete(secret)}>
                    Remove
                  </DangerButton>
                </td>
              )}
            </tr>
          );
        })}
      </ListTable>
      {dialog}
    </Page>
  );
}
