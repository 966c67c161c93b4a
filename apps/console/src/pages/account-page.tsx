import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { type SessionView } from '../api/types';
import { Alert, TextField } from '../components/fields';
import { Page } from '../components/page';
import { PasswordFields, passwordProblems } from '../components/password-fields';
import { Time } from '../components/time';
import { useFormErrors } from '../components/use-form-errors';

const FORM = 'change-password';

function rolesOf(session: SessionView): string {
  const roles = [session.accountType === 'admin' ? 'administrator' : null, session.superuser ? 'superuser' : null, session.staff ? 'staff' : null].filter(
    Boolean,
  );
  return roles.length ? roles.join(', ') : 'user';
}

export function AccountPage({ session }: { session: SessionView }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const { errors, fail, invalid, clear } = useFormErrors(FORM);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    if (current === '') return invalid({ currentPassword: 'Give your current password.' });
    const problems = passwordProblems(password, repeat);
    if (Object.keys(problems).length) return invalid(problems);
    setBusy(true);
    try {
      // A session proves the current password anew: a session left open must not become the password.
      await api.post('/v1/user/credentials', { type: 'password', value: password, currentPassword: current });
      // The server ends every session of the user when its password changes, this one included.
      api.end('password-changed');
    } catch (failure: unknown) {
      fail(failure, ['value', 'currentPassword']);
      setBusy(false);
    }
  };

  return (
    <Page title="Your account">
      <dl className="facts">
        <dt>User</dt>
        <dd>{session.username}</dd>
        <dt>Account</dt>
        <dd>{session.account}</dd>
        <dt>Roles</dt>
        <dd>{rolesOf(session)}</dd>
        <dt>Session ends</dt>
        <dd>
          <Time value={session.expires_at} empty="When you sign out or close the tab" />
        </dd>
      </dl>
      <section aria-labelledby="password-heading" className="panel">
        <h2 id="password-heading">Change your password</h2>
        <p>Changing it signs you out everywhere, this console included: sign in again with the new password.</p>
        <form id={FORM} className="stacked narrow" onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            label="Current password"
            id={`${FORM}-currentPassword`}
            type="password"
            autoComplete="current-password"
            value={current}
            error={errors.fields['currentPassword']}
            onChange={(event) => setCurrent(event.target.value)}
          />
          <PasswordFields
            form={FORM}
            label="New password"
            password={password}
            repeat={repeat}
            errors={errors.fields}
            onPassword={setPassword}
            onRepeat={setRepeat}
          />
          <Alert text={errors.form} />
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      </section>
    </Page>
  );
}
