import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { type CredentialView, type ProjectView, CREDENTIAL_TYPES, credentialTypeLabel } from '../api/types';
import { type Confirmation, ConfirmDialog } from '../components/confirm-dialog';
import { Alert, SelectField } from '../components/fields';
import { Page } from '../components/page';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { fetchAll, PAGE_SIZE, useList } from '../components/use-list';
import { takeFlash } from '../flash';
import { Link } from '../router';

function publicDetails(credential: CredentialView): string {
  if (!credential.values) return '';
  return Object.values(credential.values)
    .filter((value) => value !== '********' && value !== '')
    .join(' · ');
}

export function CredentialsPage({ readOnly }: { readOnly: boolean }) {
  const [type, setType] = useState('');
  const [scope, setScope] = useState('');
  const [project, setProject] = useState('');
  const [projects, setProjects] = useState<ProjectView[]>([]);
  const [flash] = useState(takeFlash);
  const [notice, setNotice] = useState<string | null>(flash);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const list = useList<CredentialView>('/v1/credentials', { type, scope, project });

  useEffect(() => {
    fetchAll<ProjectView>('/v1/projects')
      .then(setProjects)
      .catch(() => setProjects([]));
  }, []);

  const askDelete = (credential: CredentialView) =>
    setConfirmation({
      title: `Delete credential ${credential.name}?`,
      body: (
        <p>
          Workloads of {credential.scope === 'all' ? 'every project' : `project ${credential.project ?? ''}`} will no longer get it.
          {credential.existingSecret && ` The secret ${credential.existingSecret} stays and becomes free for another credential.`}
        </p>
      ),
      confirmLabel: 'Delete credential',
      action: async () => {
        await api.delete(`/v1/credentials/${encodeURIComponent(credential.id)}`);
        setNotice(`Credential ${credential.name} deleted.`);
        list.reload();
      },
    });

  const filtered = type !== '' || scope !== '' || project !== '';
  return (
    <Page
      title="Credentials"
      actions={
        !readOnly && (
          <Link to="/credentials/new" className="button">
            New credential
          </Link>
        )
      }
    >
      <p className="lead">What the account's workloads use to reach other systems. Secret values are write-only: they are never shown here.</p>
      <Alert text={notice} tone="success" />
      <form className="filters" aria-label="Filter credentials" onSubmit={(event) => event.preventDefault()}>
        <SelectField label="Type" id="filter-type" value={type} onChange={(event) => setType(event.target.value)}>
          <option value="">Any type</option>
          {CREDENTIAL_TYPES.map((entry) => (
            <option key={entry.type} value={entry.type}>
              {entry.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Scope" id="filter-scope" value={scope} onChange={(event) => setScope(event.target.value)}>
          <option value="">Any scope</option>
          <option value="project">One project</option>
          <option value="all">All projects</option>
        </SelectField>
        <SelectField label="Project" id="filter-project" value={project} onChange={(event) => setProject(event.target.value)}>
          <option value="">Any project</option>
          {projects.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name}
            </option>
          ))}
        </SelectField>
        {filtered && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setType('');
              setScope('');
              setProject('');
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      <Alert text={list.error} />
      <div className="table-wrap">
        <table aria-busy={list.loading}>
          <caption className="visually-hidden">Credentials of the account</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Scope</th>
              <th scope="col">Project</th>
              <th scope="col">Source</th>
              <th scope="col">Created</th>
              <th scope="col">Created by</th>
              {!readOnly && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.items.map((credential) => (
              <tr key={credential.id}>
                <th scope="row">
                  <span className="cell-name">{credential.name}</span>
                  {publicDetails(credential) && <span className="muted block">{publicDetails(credential)}</span>}
                </th>
                <td>{credentialTypeLabel(credential.type)}</td>
                <td>{credential.scope === 'all' ? 'All projects' : 'Project'}</td>
                <td>{credential.project ?? '—'}</td>
                <td>{credential.source === 'existing-secret' ? `Existing secret ${credential.existingSecret ?? ''}` : 'New secret'}</td>
                <td>
                  <Time value={credential.createdAt} />
                </td>
                <td>{credential.createdBy}</td>
                {!readOnly && (
                  <td className="row-actions">
                    <button type="button" className="danger small" onClick={() => askDelete(credential)} aria-label={`Delete credential ${credential.name}`}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {!list.loading && list.items.length === 0 && !list.error && (
          <p className="empty">
            {filtered ? 'No credential matches these filters.' : 'No credentials yet.'}
            {!filtered && !readOnly && (
              <>
                {' '}
                <Link to="/credentials/new">Create the first one</Link>.
              </>
            )}
          </p>
        )}
      </div>
      <Pager label="Credentials" offset={list.offset} total={list.total} pageSize={PAGE_SIZE} count={list.items.length} onChange={list.setOffset} />
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </Page>
  );
}
