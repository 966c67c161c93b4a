import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { type CredentialView, type ProjectView, CREDENTIAL_TYPES, credentialTypeLabel } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { Alert, SelectField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { fetchAll, useList } from '../components/use-list';
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
  const { ask, dialog } = useConfirmDialog();
  const list = useList<CredentialView>('/v1/credentials', { type, scope, project });

  useEffect(() => {
    fetchAll<ProjectView>('/v1/projects')
      .then(setProjects)
      .catch(() => setProjects([]));
  }, []);

  const askDelete = (credential: CredentialView) =>
    ask({
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
      <ListTable
        list={list}
        caption="Credentials of the account"
        columns={['Name', 'Type', 'Scope', 'Project', 'Source', 'Created', 'Created by']}
        actions={!readOnly}
        empty={
          <>
            {filtered ? 'No credential matches these filters.' : 'No credentials yet.'}
            {!filtered && !readOnly && (
              <>
                {' '}
                <Link to="/credentials/new">Create the first one</Link>.
              </>
            )}
          </>
        }
        pagerLabel="Credentials"
      >
        {list.items.map((credential) => (
          <tr key={credential.id}>
            <th scope="row">
              <Link to={`/credentials/${encodeURIComponent(credential.id)}`} className="cell-name">
                {credential.name}
              </Link>
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
                <DangerButton label={`Delete credential ${credential.name}`} onClick={() => askDelete(credential)}>
                  Delete
                </DangerButton>
              </td>
            )}
          </tr>
        ))}
      </ListTable>
      {dialog}
    </Page>
  );
}
