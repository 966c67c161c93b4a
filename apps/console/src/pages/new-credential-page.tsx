import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { describeError } from '../api/errors';
import {
  type CredentialCreateBody,
  type CredentialType,
  type CredentialView,
  type ProjectView,
  type SecretView,
  CREDENTIAL_TYPES,
  isSecretAvailable,
} from '../api/types';
import { Alert, RadioGroup, SelectField, TextField } from '../components/fields';
import { Page } from '../components/page';
import { fetchAll } from '../components/use-list';
import { useFormErrors } from '../components/use-form-errors';
import { setFlash } from '../flash';
import { Link, navigate } from '../router';

const FORM = 'new-credential';
const ALL = '*all*';
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

type Source = 'new' | 'existing';

/** The secrets this credential could use: unused, available to the scope, holding the type's keys. */
function pickable(secrets: SecretView[], type: CredentialType, projectNamespace: string | null): SecretView[] {
  const keys = CREDENTIAL_TYPES.find((entry) => entry.type === type)?.fields.map((field) => field.field) ?? [];
  return secrets.filter((secret) => secret.usedBy === null && isSecretAvailable(secret, projectNamespace) && keys.every((key) => secret.keys.includes(key)));
}

export function NewCredentialPage() {
  const [type, setType] = useState<CredentialType>('docker-registry');
  const [scope, setScope] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [source, setSource] = useState<Source>('new');
  const [values, setValues] = useState<Record<string, string>>({});
  const [existingSecret, setExistingSecret] = useState('');
  const [projects, setProjects] = useState<ProjectView[] | null>(null);
  const [secrets, setSecrets] = useState<SecretView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { errors, fail, invalid, clear } = useFormErrors(FORM);

  const definition = CREDENTIAL_TYPES.find((entry) => entry.type === type) ?? CREDENTIAL_TYPES[0];
  const onlyExisting = definition.fields.length === 0;
  const effectiveSource: Source = onlyExisting ? 'existing' : source;
  const project = projects?.find((entry) => entry.name === scope) ?? null;

  useEffect(() => {
    fetchAll<ProjectView>('/v1/projects')
      .then(setProjects)
      .catch((failure: unknown) => setLoadError(describeError(failure)));
  }, []);

  // The picker asks the API for what the scope may use, each time the scope changes.
  useEffect(() => {
    if (effectiveSource !== 'existing' || scope === '') {
      setSecrets(null);
      return;
    }
    let current = true;
    setSecrets(null);
    fetchAll<SecretView>('/v1/secrets', { unused: true, project: scope === ALL ? undefined : scope })
      .then((items) => current && setSecrets(items))
      .catch((failure: unknown) => current && setLoadError(describeError(failure)));
    return () => {
      current = false;
    };
  }, [scope, effectiveSource]);

  const choices = useMemo(
    () => (secrets ? pickable(secrets, type, scope === ALL ? null : (project?.namespace ?? null)) : null),
    [secrets, type, scope, project],
  );

  useEffect(() => {
    if (choices && !choices.some((secret) => `${secret.namespace}/${secret.name}` === existingSecret)) setExistingSecret('');
  }, [choices, existingSecret]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    const problems: Record<string, string> = {};
    if (scope === '') problems['scope'] = 'Choose a project, or All projects.';
    if (!NAME_PATTERN.test(name))
      problems['name'] = 'Enter a name of lowercase letters, digits, - and . (up to 253), starting and ending with a letter or digit.';
    if (effectiveSource === 'new') {
      for (const field of definition.fields) {
        if (!values[field.field]) problems[`values.${field.field}`] = `Enter the ${field.label.toLowerCase()}.`;
      }
    } else if (existingSecret === '') {
      problems['existingSecret'] = 'Choose a secret.';
    }
    if (Object.keys(problems).length > 0) {
      invalid(problems);
      return;
    }
    const body: CredentialCreateBody = {
      name,
      type,
      scope: scope === ALL ? 'all' : 'project',
      ...(scope === ALL ? {} : { project: scope }),
      ...(description ? { description } : {}),
      ...(effectiveSource === 'new'
        ? { values: Object.fromEntries(definition.fields.map((field) => [field.field, values[field.field] ?? ''])) }
        : { existingSecret }),
    };
    setBusy(true);
    try {
      const created = await api.post<CredentialView>('/v1/credentials', body);
      setFlash(`Credential ${created.name} created.`);
      navigate('/credentials');
    } catch (failure: unknown) {
      fail(failure, ['name', 'scope', 'description', 'existingSecret', ...definition.fields.map((field) => `values.${field.field}`)], {
        aliases: { project: 'scope', type: 'type' },
      });
      if (effectiveSource === 'new')
        setValues((previous) =>
          Object.fromEntries(Object.entries(previous).filter(([key]) => !definition.fields.find((field) => field.field === key)?.secret)),
        );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="New credential">
      <p className="lead">
        <Link to="/credentials">Back to credentials</Link>
      </p>
      <Alert text={loadError} />
      <form id={FORM} className="stacked" onSubmit={(event) => void submit(event)} noValidate>
        <RadioGroup
          legend="Type"
          name="type"
          value={type}
          options={CREDENTIAL_TYPES.map((entry) => ({ value: entry.type, label: entry.label }))}
          onChange={(value) => {
            setType(value);
            setValues({});
          }}
        />
        <SelectField
          label="Scope"
          id={`${FORM}-scope`}
          value={scope}
          error={errors.fields['scope']}
          hint="One project, or All: every current and future project of the account."
          onChange={(event) => setScope(event.target.value)}
        >
          <option value="">Choose a project…</option>
          {(projects ?? []).map((entry) => (
            <option key={entry.name} value={entry.name}>
              Project {entry.name}
            </option>
          ))}
          <option value={ALL}>All projects</option>
        </SelectField>
        {projects?.length === 0 && (
          <p className="hint">
            There is no project yet: <Link to="/projects">create one</Link>, or choose All projects.
          </p>
        )}
        <TextField
          label="Credential name"
          id={`${FORM}-name`}
          value={name}
          autoComplete="off"
          spellCheck={false}
          hint="Lowercase letters, digits, - and ., e.g. registry-login."
          error={errors.fields['name']}
          onChange={(event) => setName(event.target.value)}
        />
        <TextField
          label="Description (optional)"
          id={`${FORM}-description`}
          value={description}
          error={errors.fields['description']}
          onChange={(event) => setDescription(event.target.value)}
        />
        <RadioGroup<Source>
          legend="Secret"
          name="source"
          value={effectiveSource}
          hint={onlyExisting ? 'A Kubernetes secret credential always uses an existing secret.' : undefined}
          options={[
            { value: 'new', label: 'New secret', disabled: onlyExisting },
            { value: 'existing', label: 'Existing secret' },
          ]}
          onChange={setSource}
        />
        {effectiveSource === 'new' ? (
          <fieldset className="group">
            <legend>{definition.label}</legend>
            {definition.fields.map((field) => (
              <TextField
                key={`${type}-${field.field}`}
                label={field.label}
                id={`${FORM}-values.${field.field}`}
                type={field.secret ? 'password' : 'text'}
                autoComplete={field.secret ? 'new-password' : 'off'}
                spellCheck={false}
                value={values[field.field] ?? ''}
                error={errors.fields[`values.${field.field}`]}
                hint={field.secret ? 'Write-only: it is sealed and never shown again.' : undefined}
                onChange={(event) => setValues((previous) => ({ ...previous, [field.field]: event.target.value }))}
              />
            ))}
          </fieldset>
        ) : (
          <SelectField
            label="Existing secret to use"
            id={`${FORM}-existingSecret`}
            value={existingSecret}
            disabled={scope === '' || choices === null}
            error={errors.fields['existingSecret']}
            hint={
              scope === ''
                ? 'Choose the scope first: the list shows the unused secrets available to it.'
                : definition.fields.length > 0
                  ? `Unused secrets available to this scope that hold the keys ${definition.fields.map((field) => field.field).join(', ')}.`
                  : 'Unused secrets available to this scope.'
            }
            onChange={(event) => setExistingSecret(event.target.value)}
          >
            <option value="">{choices === null ? (scope === '' ? '—' : 'Loading…') : choices.length === 0 ? 'No secret available' : 'Choose a secret…'}</option>
            {(choices ?? []).map((secret) => {
              const ref = `${secret.namespace}/${secret.name}`;
              return (
                <option key={ref} value={ref}>
                  {ref}
                </option>
              );
            })}
          </SelectField>
        )}
        {effectiveSource === 'existing' && choices?.length === 0 && (
          <p className="hint">
            No unused secret is available to this scope. <Link to="/secrets">Register one on the Secrets page</Link>.
          </p>
        )}
        <Alert text={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create credential'}
          </button>
          <Link to="/credentials" className="button secondary">
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}
