import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { type ProjectView } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { CreatePanel } from '../components/create-panel';
import { Alert, TextField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { useList } from '../components/use-list';
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
  const { ask, dialog } = useConfirmDialog();
  const { errors, fail, invalid, clear } = useFormErrors(FORM);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    setNotice(null);
    const problems: Record<string, string> = {};
    if (!PROJECT_NAME.test(name)) problems['name'] = 'Enter 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit.';
    if (namespace && !PROJECT_NAME.test(namespace))
      problems['namespace'] = 'A namespace is 1 to 63 lowercase letters, digits or -, starting and ending with a letter or digit.';
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
    ask({
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
        <CreatePanel form={FORM} title="New project" submitLabel="Create project" busy={busy} error={errors.form} onSubmit={create}>
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
            label="Namespace (optional)"
            id={`${FORM}-namespace`}
            value={namespace}
            autoComplete="off"
            spellCheck={false}
            placeholder={name ? `keyward-${name}` : 'keyward-<name>'}
            error={errors.fields['namespace']}
            onChange={(event) => setNamespace(event.target.value)}
          />
          <TextField
            label="Description (optional)"
            id={`${FORM}-description`}
            value={description}
            error={errors.fields['description']}
            onChange={(event) => setDescription(event.target.value)}
          />
        </CreatePanel>
      )}
      <Alert text={notice} tone="success" />
      <ListTable
        list={list}
        caption="Projects of the account"
        columns={['Name', 'Namespace', 'Description', 'Created', 'Created by']}
        actions={!readOnly}
        empty="No projects yet."
        pagerLabel="Projects"
      >
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
                <DangerButton label={`Delete project ${project.name}`} onClick={() => askDelete(project)}>
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
