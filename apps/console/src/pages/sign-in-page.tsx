import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { ApiError, describeError } from '../api/errors';
import { type SessionView } from '../api/types';
import { Alert, TextField } from '../components/fields';

export function SignInPage({ notice, onSignedIn }: { notice: string | null; onSignedIn: (session: SessionView) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Keyward';
    usernameRef.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(username, password));
    } catch (failure: unknown) {
      // The API never says which of the two was wrong, and neither does the console.
      setError(failure instanceof ApiError && failure.status === 401 ? 'The username or password is not right.' : describeError(failure));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <p className="brand brand-large" aria-hidden="true">
          Keyward
        </p>
        <h1>Sign in</h1>
        <Alert text={notice} tone="info" />
        <form onSubmit={(event) => void submit(event)} noValidate aria-describedby={error ? 'sign-in-error' : undefined}>
          <TextField
            ref={usernameRef}
            label="Username"
            id="sign-in-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            required
          />
          <TextField
            label="Password"
            id="sign-in-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
          />
          <div id="sign-in-error">
            <Alert text={error} />
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
