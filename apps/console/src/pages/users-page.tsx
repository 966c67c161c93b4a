import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { type SessionView, type UserView } from '../api/types';
import { useConfirmDialog } from '../components/confirm-dialog';
import { CreatePanel } from '../components/create-panel';
import { Alert, CheckboxField, TextField } from '../components/fields';
import { DangerButton, ListTable } from '../components/list-table';
import { Page } from '../components/page';
import { Time } from '../components/time';
import { PasswordFields, passwordProblems } from '../components/password-fields';
import { useFormErrors } from '../components/use-form-errors';
import { useList } from '../components/use-list';
import { Link } from '../router';

const NEW_USER = 'new-user';
const SET_PASSWORD = 'set-password';

/** The rules identity enforces, as sentences next to the fields (libs/domain/src/names.ts). */
const USERNAME_RULE =
  '3 to 128 characters: letters, digits and @ . ! # $ + - = ^ _ ` ~ ; with a letter or digit first and last. Usernames are unique across every account.';
const USERNAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9@.!#$+\-=^_`~;]{1,126}[a-zA-Z0-9]$/;
/** Sets another user's password; their sessions end, and their tokens too when asked. */
function SetPasswordPanel({ account, username, onDone }: { account: string; username: string; onDone: (notice: string | null) => void }) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [revokeTokens, setRevokeTokens] = useState(false);
  const [busy, setBusy] = useState(false);
  const { errors, fail, invalid, clear } = useFormErrors(SET_PASSWORD);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    const problems = passwordProblems(password, repeat);
    if (Object.keys(problems).length) return invalid(problems);
    setBusy(true);
    try {
      await api.post(`/v1/accounts/${encodeURIComponent(account)}/users/${encodeURIComponent(username)}/credentials`, {
        type: 'password',
        value: password,
        revokeTokens,
      });
      onDone(`The password of ${username} is set. Their sessions have ended${revokeTokens ? ', and their API tokens are revoked' : ''}.`);
    } catch (failure: unknown) {
      fail(failure, ['value']);
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${SET_PASSWORD}-heading`}>
      <h2 id={`${SET_PASSWORD}-heading`}>Set the password of {username}</h2>
      <p>Every session of {username} ends at once; they sign in again with the new password.</p>
      <form id={SET_PASSWORD} className="stacked narrow" onSubmit={(event) => void submit(event)} noValidate>
        <PasswordFields
          form={SET_PASSWORD}
          label="New password"
          password={password}
          repeat={repeat}
          errors={errors.fields}
          onPassword={setPassword}
          onRepeat={setRepeat}
        />
        <CheckboxField
          label="Also revoke their API tokens"
          id={`${SET_PASSWORD}-revokeTokens`}
          checked={revokeTokens}
          hint="Scripts using their tokens are refused from their next request on."
          onChange={(event) => setRevokeTokens(event.target.checked)}
        />
        <Alert text={errors.form} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Setting…' : 'Set password'}
          </button>
          <button type="button" className="secondary" onClick={() => onDone(null)} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

/** The users of the account the console works in: its own for its members, any for administrators. */
export function UsersPage({ session, account, readOnly }: { session: SessionView; account: string; readOnly: boolean }) {
  const path = `/v1/accounts/${encodeURIComponent(account)}/users`;
  const list = useList<UserView>(path);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [settingPassword, setSettingPassword] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { ask, dialog } = useConfirmDialog();
  const { errors, fail, invalid, clear } = useFormErrors(NEW_USER);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    clear();
    setNotice(null);
    const problems = USERNAME_PATTERN.test(username)
      ? passwordProblems(password, repeat)
      : { username: `A username has ${USERNAME_RULE.charAt(0).toLowerCase()}${USERNAME_RULE.slice(1)}` };
    if (Object.keys(problems).length) return invalid(problems);
    setBusy(true);
    try {
      await api.post<UserView>(path, { username, password });
      setNotice(`User ${username} added to ${account}. They sign in with this username and password.`);
      setUsername('');
      setPassword('');
      setRepeat('');
      list.reload();
    } catch (failure: unknown) {
      fail(failure, ['username', 'value'], {
        aliases: { name: 'username', password: 'value' },
        overrides: { USER_ALREADY_EXISTS: 'This username is taken, in this or another account: usernames are unique across Keyward.' },
      });
    } finally {
      setBusy(false);
    }
  };

  const askDelete = (user: UserView) =>
    ask({
      title: `Delete user ${user.username}?`,
      body: (
        <p>
          {user.username} can no longer sign in, and every API token and session of theirs stops working. The account and its credentials stay. This cannot be
          undone.
        </p>
      ),
      confirmLabel: 'Delete user',
      action: async () => {
        await api.delete(`${path}/${encodeURIComponent(user.username)}`);
        setNotice(`User ${user.username} deleted.`);
        if (settingPassword === user.username) setSettingPassword(null);
        list.reload();
      },
    });

  const own = account === session.account;
  return (
    <Page title="Users">
      <p className="lead">
        The users of account <strong>{account}</strong>. Each signs in with a username and password and may do everything the account may.
      </p>
      {readOnly && <Alert tone="info" text="As staff, you can see the users of this account, not change them." />}
      {!readOnly &&
        (settingPassword ? (
          <SetPasswordPanel
            account={account}
            username={settingPassword}
            onDone={(done) => {
              setSettingPassword(null);
              setNotice(done);
              list.reload();
            }}
          />
        ) : (
          <CreatePanel form={NEW_USER} title="New user" submitLabel="Add user" busy={busy} error={errors.form} onSubmit={create}>
            <TextField
              label="Username"
              id={`${NEW_USER}-username`}
              value={username}
              maxLength={128}
              autoComplete="off"
              spellCheck={false}
              hint={USERNAME_RULE}
              error={errors.fields['username']}
              onChange={(event) => setUsername(event.target.value)}
            />
            <PasswordFields
              form={NEW_USER}
              label="Password"
              password={password}
              repeat={repeat}
              errors={errors.fields}
              onPassword={setPassword}
              onRepeat={setRepeat}
            />
          </CreatePanel>
        ))}
      <Alert text={notice} tone="success" />
      <ListTable
        list={list}
        caption={`Users of ${account}`}
        columns={['Username', 'Type', 'Created', 'Changed']}
        actions={!readOnly}
        empty="This account has no users."
        pagerLabel="Users"
      >
        {list.items.map((user) => {
          const self = own && user.username === session.username;
          return (
            <tr key={user.username}>
              <th scope="row">
                {user.username}
                {self && <span className="muted block">You</span>}
              </th>
              <td>{user.type}</td>
              <td>
                <Time value={user.created_at} />
              </td>
              <td>
                <Time value={user.last_updated} />
              </td>
              {!readOnly && (
                <td className="row-actions">
                  {self ? (
                    // One's own password needs the current one: the account page asks for it.
                    <Link to="/account">Change your password</Link>
                  ) : (
                    <>
                      <button
                        type="button"
                        className="secondary small"
                        aria-label={`Set the password of ${user.username}`}
                        onClick={() => {
                          setNotice(null);
                          setSettingPassword(user.username);
                        }}
                      >
                        Set password
                      </button>
                      <DangerButton label={`Delete user ${user.username}`} onClick={() => askDelete(user)}>
                        Delete
                      </DangerButton>
                    </>
                  )}
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
