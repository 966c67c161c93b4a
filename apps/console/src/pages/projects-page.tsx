import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { type ProjectView } from '../api/types';
import { type Confirmation, ConfirmDialog } from '../components/confirm-dialog';
import { Alert, TextField } from '../components/fields';
import { Page } from '../components/page';
import { Pager } from '../components/pager';
import { Time } from '../components/time';
import { PAGE_SIZE, useList } from '../components/use-list';
import { useFormErrors } from '../components/use-form-errors';

const FORM = 'new-project';
const PROJECT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function ProjectsPage({ readOnly }: { readOnly: boolean }) {
  const list = useList<ProjectView>('/v1/projects');
  const [name, setName] = useState('');
  const [namespace, setNamespace] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<Confirmation | null>(null);
  const { errors, fail, invalid, clear } = useFormErrors(FORM);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    setNotice(null);
    const problems: Record<string, string> = {};
    if (!PROJECT_NAME.test(name)) problems['name'] = 'Enter 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit.';
    if (namespace && !PROJECT_NAME.test(namespace)) problems['namespace'] = 'A namespace is 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit.';
    if (Object.keys(problems).length) return invalid(problems);
    setBusy(true);
    try {
      const created = await api.post<ProjectView>('/v1/projects', { name, ...(namespace ? { namespace } : {}), ...(description ? { description } : {}) });
      setNotice(`Project ${created.name} created, namespace ${created.namespace}.`);
      setName('');
      setNamespace('');
      setDescription('');
      list.reload();
    } catch (failure: unknown) {
      fail(failure, ['name', 'namespace', 'description']);
    } finally {
      setBusy(false);
    }
  };

  const askDelete = (project: ProjectView) =>
    setConfirmation({
      title: `Delete project ${project.name}?`,
      body: <p>Only a project without credentials can be deleted. Credentials of scope All are not affected.</p>,
      confirmLabel: 'Delete project',
      action: async () => {
        await api.delete(`/v1/projects/${encodeURIComponent(project.name)}`);
        setNotice(`Project ${project.name} deleted.`);
        list.reload();
      },
    });

  return (
    <Page title="Projects">
      <p className="lead">A project groups credentials; its workloads get its own credentials and every credential of scope All.</p>
      {!readOnly && (
      <section aria-labelledby="new-project-heading" className="panel">
        <h2 id="new-project-heading">New project</h2>
        <form id={FORM} className="inline-form" onSubmit={(event) => void create(event)} noValidate>
          <TextField label="Name" id={`${FORM}-name`} value={name} autoComplete="off" spellCheck={false} error={errors.fields['name']} onChange={(event) => setName(event.target.value)} />
          <TextField
            label="Namespace (optional)"
            id={`${FORM}-namespace`}
            value={namespace}
            autoComplete="off"
            spellCheck={false}
            placeholder={name ? `keyward-${name}` : 'keyward-<name>'}
            error={errors.fields['namespace']}
            onChange={(event) => setNamespace(event.target.value)}
          />
          <TextField label="Description (optional)" id={`${FORM}-description`} value={description} error={errors.fields['description']} onChange={(event) => setDescription(event.target.value)} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create project'}
            </button>
          </div>
        </form>
        <Alert text={errors.form} />
      </section>
      )}
      <Alert text={notice} tone="success" />
      <Alert text={list.error} />
      <div className="table-wrap">
        <table aria-busy={list.loading}>
          <caption className="visually-hidden">Projects of the account</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Namespace</th>
              <th scope="col">Description</th>
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
            {list.items.map((project) => (
              <tr key={project.name}>
                <th scope="row">{project.name}</th>
                <td>
                  <code>{project.namespace}</code>
                </td>
                <td>{project.description ?? ''}</td>
                <td>
                  <Time value={project.createdAt} />
                </td>
                <td>{project.createdBy}</td>
                {!readOnly && (
                  <td className="row-actions">
                    <button type="button" className="danger small" onClick={() => askDelete(project)} aria-label={`Delete project ${project.name}`}>
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {!list.loading && list.items.length === 0 && !list.error && <p className="empty">No projects yet.</p>}
      </div>
      <Pager label="Projects" offset={list.offset} total={list.total} pageSize={PAGE_SIZE} count={list.items.length} onChange={list.setOffset} />
      <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </Page>
  );
}
