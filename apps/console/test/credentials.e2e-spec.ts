import { type Browser, type Page } from 'playwright-core';
import { type ApiClient, type Credentials, eventually, TestStack } from '@keyward/testing';
import {
  clipboardText,
  focused,
  launchBrowser,
  newConsolePage,
  openSection,
  otherStorage,
  screenshot,
  signIn,
  storedSession,
  unlabelledControls,
} from './browser';

const CLUSTER_WIDE = { 'keyward.io/cluster-wide-credentials': 'true' };
const PROJECT_WIDE = { 'keyward.io/credentials': 'true' };

/** What a test starts from: a user of a new account, in a tab of their own, and what the API made for it. */
interface Desk {
  page: Page;
  user: Credentials;
  api: ApiClient;
  /** Two projects; namespaces are unique across accounts, so each test names its own. */
  teamA: string;
  teamB: string;
}

/**
 * A user's work in the console: signing in, projects, existing secrets, a credential of each type,
 * an existing secret leaving the picker once used, tokens, signing out. Each test starts from its
 * own account, made through the API to the point the test needs, so any one of them runs alone
 * or in any order.
 */
describe('Console: credentials, projects, secrets and tokens', () => {
  let stack: TestStack;
  let browser: Browser;
  let desks = 0;
  const secretValue = 'Never-Shown-9f2c';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([TestStack.start(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function desk(ready: { signedIn?: boolean; projects?: boolean; secrets?: boolean; credentials?: boolean } = {}): Promise<Desk> {
    const user = await stack.newUser(await stack.newAccount());
    const api = stack.client().as(user);
    desks += 1;
    const suffix = `${desks}${Date.now().toString(36).slice(-5)}`;
    const made = { page: await newConsolePage(browser, stack.gatewayUrls[0] ?? ''), user, api, teamA: `team-a-${suffix}`, teamB: `team-b-${suffix}` };
    const expectMade = async (request: Promise<{ status: number; body: unknown }>) => {
      const response = await request;
      if (response.status !== 201 && response.status !== 200)
        throw new Error(`Setting up the test failed: ${response.status} ${JSON.stringify(response.body)}`);
    };
    if (ready.projects || ready.secrets || ready.credentials) {
      for (const name of [made.teamA, made.teamB]) await expectMade(api.post('/v1/projects', { name }));
    }
    if (ready.secrets || ready.credentials) {
      await expectMade(
        api.post('/v1/secrets', {
          namespace: 'keyward',
          name: 'shared-registry',
          labels: CLUSTER_WIDE,
          data: { url: 'registry.example.com', username: 'robot', password: secretValue },
        }),
      );
      await expectMade(api.post('/v1/secrets', { namespace: `keyward-${made.teamA}`, name: 'team-token', labels: PROJECT_WIDE, data: { token: secretValue } }));
    }
    if (ready.credentials) {
      const credentials = [
        {
          name: 'registry-login',
          type: 'docker-registry',
          scope: 'project',
          project: made.teamA,
          values: { url: 'registry.example.com', username: 'robot', password: secretValue },
        },
        { name: 'object-store', type: 'access-key', scope: 'all', values: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secretValue } },
        { name: 'database', type: 'password', scope: 'project', project: made.teamB, values: { username: 'app', password: secretValue } },
        { name: 'shared-registry', type: 'docker-registry', scope: 'all', existingSecret: 'keyward/shared-registry' },
        { name: 'team-token', type: 'kubernetes-secret', scope: 'project', project: made.teamA, existingSecret: `keyward-${made.teamA}/team-token` },
      ];
      for (const credential of credentials) await expectMade(api.post('/v1/credentials', credential));
    }
    if (ready.signedIn !== false) await signIn(made.page, user);
    return made;
  }

  async function newCredential(
    page: Page,
    options: { type: string; scope: string; name: string; values?: Record<string, string>; existingSecret?: string },
  ): Promise<void> {
    await page.getByRole('link', { name: 'New credential' }).click();
    await page.getByRole('heading', { name: 'New credential' }).waitFor();
    await page.getByRole('radio', { name: options.type }).check();
    await page.getByLabel('Scope').selectOption({ label: options.scope });
    await page.getByLabel('Credential name').fill(options.name);
    if (options.existingSecret) {
      await page.getByRole('radio', { name: 'Existing secret' }).check();
      await page.getByLabel('Existing secret to use').selectOption(options.existingSecret);
    }
    for (const [label, value] of Object.entries(options.values ?? {})) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: 'Create credential' }).click();
    await page.getByText(`Credential ${options.name} created.`).waitFor();
  }

  /** The picker asks the API again for each scope: wait until it offers what that scope may use. */
  const offering = (page: Page, expected: string[]) =>
    eventually(`the picker to offer ${expected.join(', ') || 'nothing'}`, async () => {
      const offered = (await page.getByLabel('Existing secret to use').locator('option').allTextContents()).filter((text) => text.includes('/')).sort();
      return JSON.stringify(offered) === JSON.stringify([...expected].sort()) ? true : undefined;
    });

  it('says in words when the password is wrong, then signs in', async () => {
    const { page, user } = await desk({ signedIn: false });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');
    expect(await unlabelledControls(page)).toEqual([]);
    // With the keyboard alone: the username has the focus, Tab leads to the password, Enter signs in.
    await page.waitForFunction("document.activeElement?.id === 'sign-in-username'");
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not-the-password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'The username or password is not right.' }).waitFor();

    await signIn(page, user);
    await page.getByRole('heading', { name: 'Credentials', level: 1 }).waitFor();
    await page.getByText('No credentials yet.').waitFor();
    const stored = await storedSession(page);
    expect(stored?.token).toMatch(/^kwt_/);
    expect(await otherStorage(page)).toBe(0);
    // An ordinary user has no Admin section.
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });

  it('creates projects, and shows a refusal next to the field that caused it', async () => {
    const { page, teamA, teamB } = await desk();
    await openSection(page, 'Projects');
    for (const name of [teamA, teamB]) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Create project' }).click();
      await page.getByText(`Project ${name} created, namespace keyward-${name}.`).waitFor();
      await page.getByRole('row', { name: new RegExp(`^${name} keyward-${name}`) }).waitFor();
    }
    await screenshot(page, 'projects');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Name', { exact: true }).fill(teamA);
    await page.getByRole('button', { name: 'Create project' }).click();
    const error = page.locator('#new-project-name-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('A project with this name already exists.');
    const name = page.getByLabel('Name', { exact: true });
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await name.getAttribute('aria-describedby')).toContain('new-project-name-error');
    expect((await focused(page)).id).toBe('new-project-name');

    await page.getByLabel('Name', { exact: true }).fill('Team A!');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.locator('#new-project-name-error').filter({ hasText: 'lowercase letters' }).waitFor();
  });

  it('registers existing secrets; their data is never shown back', async () => {
    const { page, teamA } = await desk({ projects: true });
    await openSection(page, 'Secrets');
    // A cluster-wide secret with a Docker registry's keys.
    await page.getByLabel('Name', { exact: true }).fill('shared-registry');
    const rows: [string, string][] = [
      ['url', 'registry.example.com'],
      ['username', 'robot'],
      ['password', secretValue],
    ];
    for (const [index, [key, value]] of rows.entries()) {
      if (index > 0) await page.getByRole('button', { name: 'Add a key' }).click();
      await page.getByLabel(`Key ${index + 1}`, { exact: true }).fill(key);
      await page.getByLabel(`Value ${index + 1}`, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: 'Register secret' }).click();
    await page.getByText('Secret keyward/shared-registry registered with the keys password, url, username.').waitFor();

    // One for one project only, in its namespace.
    await page.getByLabel('Available to').selectOption({ label: 'The project whose namespace it is in' });
    await page.getByLabel('Namespace').fill(`keyward-${teamA}`);
    await page.getByLabel('Name', { exact: true }).fill('team-token');
    await page.getByLabel('Key 1', { exact: true }).fill('token');
    await page.getByLabel('Value 1', { exact: true }).fill(secretValue);
    await page.getByRole('button', { name: 'Register secret' }).click();
    await page.getByText(`Secret keyward-${teamA}/team-token registered with the keys token.`).waitFor();
    const teamRow = page.getByRole('row', { name: new RegExp(`keyward-${teamA}/team-token`) });
    await teamRow.waitFor();
    await screenshot(page, 'secrets');
    expect(await unlabelledControls(page)).toEqual([]);

    // The same again is refused next to the name.
    await page.getByLabel('Available to').selectOption({ label: 'The project whose namespace it is in' });
    await page.getByLabel('Namespace').fill(`keyward-${teamA}`);
    await page.getByLabel('Name', { exact: true }).fill('team-token');
    await page.getByLabel('Key 1', { exact: true }).fill('token');
    await page.getByLabel('Value 1', { exact: true }).fill('x');
    await page.getByRole('button', { name: 'Register secret' }).click();
    await page.locator('#new-secret-name-error').filter({ hasText: 'A secret with this namespace and name is already registered.' }).waitFor();

    await teamRow.getByText(`Project of namespace keyward-${teamA}`).waitFor();
    await page
      .getByRole('row', { name: /keyward\/shared-registry/ })
      .getByText('Every project and All')
      .waitFor();
    expect(await page.content()).not.toContain(secretValue);
  });

  it('creates a credential of each type with a new secret, never showing the secret back', async () => {
    const { page, user, api, teamA, teamB } = await desk({ projects: true });
    await openSection(page, 'Credentials');
    await newCredential(page, {
      type: 'Docker registry',
      scope: `Project ${teamA}`,
      name: 'registry-login',
      values: { 'Registry URL': 'registry.example.com', Username: 'robot', Password: secretValue },
    });
    await newCredential(page, {
      type: 'Access key',
      scope: 'All projects',
      name: 'object-store',
      values: { 'Access key ID': 'AKIAEXAMPLE', 'Secret access key': secretValue },
    });
    await newCredential(page, { type: 'Username & password', scope: `Project ${teamB}`, name: 'database', values: { Username: 'app', Password: secretValue } });

    const table = page.getByRole('table');
    await table.getByRole('row', { name: new RegExp(`registry-login.*Docker registry.*Project.*${teamA}.*New secret`) }).waitFor();
    await table.getByRole('row', { name: /object-store.*Access key.*All projects.*New secret/ }).waitFor();
    await table.getByRole('row', { name: new RegExp(`database.*Username & password.*Project.*${teamB}.*New secret`) }).waitFor();
    expect(await table.getByRole('row', { name: /registry-login/ }).textContent()).toContain(user.username);
    expect(await page.content()).not.toContain(secretValue);

    const stored = await api.get<{ name: string; type: string; values: Record<string, string> }[]>('/v1/credentials');
    expect(stored.body.map((credential) => [credential.name, credential.type]).sort()).toEqual([
      ['database', 'password'],
      ['object-store', 'access-key'],
      ['registry-login', 'docker-registry'],
    ]);
    expect(JSON.stringify(stored.body)).not.toContain(secretValue);
  });

  it('refuses a credential whose name is taken in its scope, next to the name', async () => {
    const { page, teamB } = await desk({ credentials: true });
    await page.getByRole('link', { name: 'New credential' }).click();
    await page.getByRole('radio', { name: 'Username & password' }).check();
    await page.getByLabel('Scope').selectOption({ label: `Project ${teamB}` });
    await page.getByLabel('Credential name').fill('database');
    await page.getByLabel('Username', { exact: true }).fill('app');
    await page.getByLabel('Password', { exact: true }).fill(secretValue);
    await page.getByRole('button', { name: 'Create credential' }).click();
    await page.locator('#new-credential-name-error').filter({ hasText: 'A credential with this name already exists in this scope.' }).waitFor();
    // The secret field is emptied after a refusal: it is typed again, never kept.
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await page.getByRole('link', { name: 'Cancel' }).click();
  });

  it('uses an existing secret, which then disappears from the picker', async () => {
    const { page, teamA, teamB } = await desk({ secrets: true });
    const teamToken = `keyward-${teamA}/team-token`;
    await page.getByRole('link', { name: 'New credential' }).click();
    await page.getByRole('radio', { name: 'Kubernetes secret' }).check();
    expect(await page.getByRole('radio', { name: 'New secret' }).isDisabled()).toBe(true);
    await page.getByLabel('Scope').selectOption({ label: `Project ${teamA}` });
    await page.getByLabel('Existing secret to use').locator('option', { hasText: teamToken }).waitFor({ state: 'attached' });
    await offering(page, [teamToken, 'keyward/shared-registry']);
    await page.getByLabel('Scope').selectOption({ label: `Project ${teamB}` });
    await offering(page, ['keyward/shared-registry']);
    await page.getByRole('link', { name: 'Cancel' }).click();

    await newCredential(page, { type: 'Kubernetes secret', scope: `Project ${teamA}`, name: 'team-token', existingSecret: teamToken });
    await page.getByRole('row', { name: new RegExp(`team-token.*Kubernetes secret.*${teamA}.*Existing secret ${teamToken}`) }).waitFor();
    await screenshot(page, 'credentials');
    expect(await unlabelledControls(page)).toEqual([]);

    await page.getByRole('link', { name: 'New credential' }).click();
    await page.getByRole('radio', { name: 'Kubernetes secret' }).check();
    await page.getByLabel('Scope').selectOption({ label: `Project ${teamA}` });
    await offering(page, ['keyward/shared-registry']);

    // A Docker registry credential for All may use the cluster-wide secret, which holds its keys.
    await page.getByRole('radio', { name: 'Docker registry' }).check();
    await page.getByRole('radio', { name: 'Existing secret' }).check();
    await page.getByLabel('Scope').selectOption({ label: 'All projects' });
    await offering(page, ['keyward/shared-registry']);
    await page.getByLabel('Credential name').fill('shared-registry');
    await screenshot(page, 'new-credential');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Existing secret to use').selectOption('keyward/shared-registry');
    await page.getByRole('button', { name: 'Create credential' }).click();
    await page.getByText('Credential shared-registry created.').waitFor();

    await page.getByRole('link', { name: 'New credential' }).click();
    await page.getByRole('radio', { name: 'Kubernetes secret' }).check();
    await page.getByLabel('Scope').selectOption({ label: 'All projects' });
    await page.getByText('No unused secret is available to this scope.').waitFor();
    await offering(page, []);
    await page.getByRole('link', { name: 'Cancel' }).click();
  });

  it('filters the credentials by type, scope and project', async () => {
    const { page, teamA } = await desk({ credentials: true });
    // Each filter asks the API again: wait until the table shows what that filter gives.
    const showing = (expected: string[]) =>
      eventually(`the table to show ${expected.join(', ')}`, async () => {
        const names = (await page.getByRole('table').locator('tbody th .cell-name').allTextContents()).sort();
        return JSON.stringify(names) === JSON.stringify(expected) ? true : undefined;
      });
    await showing(['database', 'object-store', 'registry-login', 'shared-registry', 'team-token']);
    await page.getByLabel('Type').selectOption({ label: 'Access key' });
    await showing(['object-store']);
    await page.getByLabel('Type').selectOption({ label: 'Any type' });
    await page.getByLabel('Scope').selectOption({ label: 'All projects' });
    await showing(['object-store', 'shared-registry']);
    await page.getByLabel('Scope').selectOption({ label: 'Any scope' });
    await page.getByLabel('Project').selectOption({ label: teamA });
    await showing(['registry-login', 'team-token']);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await showing(['database', 'object-store', 'registry-login', 'shared-registry', 'team-token']);
  });

  it('deletes a credential only once confirmed, with the keyboard', async () => {
    const { page, teamA } = await desk({ credentials: true });
    await page.getByRole('button', { name: 'Delete credential team-token' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete credential team-token?' });
    await dialog.waitFor();
    // Cancel has the focus: Enter does not destroy. Escape closes.
    expect((await focused(page)).text).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('row', { name: /team-token/ }).count()).toBe(1);

    await page.getByRole('button', { name: 'Delete credential team-token' }).click();
    await dialog.getByRole('button', { name: 'Delete credential' }).click();
    await page.getByText('Credential team-token deleted.').waitFor();
    await page.getByRole('row', { name: /team-token/ }).waitFor({ state: 'detached' });

    // Its secret is free again: the picker offers it.
    await page.getByRole('link', { name: 'New credential' }).click();
    await page.getByRole('radio', { name: 'Kubernetes secret' }).check();
    await page.getByLabel('Scope').selectOption({ label: `Project ${teamA}` });
    await page
      .getByLabel('Existing secret to use')
      .locator('option', { hasText: `keyward-${teamA}/team-token` })
      .waitFor({ state: 'attached' });
    await page.getByRole('link', { name: 'Cancel' }).click();
  });

  it('refuses to delete a project that has credentials, saying why', async () => {
    const { page, teamA } = await desk({ credentials: true });
    await openSection(page, 'Projects');
    await page.getByRole('button', { name: `Delete project ${teamA}` }).click();
    const dialog = page.getByRole('dialog', { name: `Delete project ${teamA}?` });
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'This project still has credentials. Delete them first.' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('creates a token, shows its ~/.keyward once with a copy button, and revokes it', async () => {
    const { page, user } = await desk();
    await openSection(page, 'Tokens');
    await page.getByLabel('Name', { exact: true }).fill('laptop');
    await page.getByLabel('Expires in (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('heading', { name: 'Token laptop created' }).waitFor();
    const shown = JSON.parse((await page.getByLabel('Contents of ~/.keyward').textContent()) ?? '') as {
      registry: { token: string; username: string; base: string };
    };
    expect(shown.registry.token).toMatch(/^kwt_[0-9a-f]{16}_[0-9a-f]{64}$/);
    expect(shown.registry.username).toBe(user.username);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(JSON.parse(await clipboardText(page))).toEqual(shown);
    await screenshot(page, 'token-created');

    const bearer = (token: string) => fetch(`${stack.gatewayUrls[0]}/v1/account`, { headers: { authorization: `Bearer ${token}` } });
    expect((await bearer(shown.registry.token)).status).toBe(200);

    await page.getByRole('button', { name: 'Done, I saved it' }).click();
    // Shown once: the list never shows the secret part again.
    expect(await page.content()).not.toContain(shown.registry.token);
    await page.getByRole('row', { name: /laptop.*Read and write/ }).waitFor();
    await screenshot(page, 'tokens');
    expect(await unlabelledControls(page)).toEqual([]);
    await page.getByLabel('Name', { exact: true }).fill('laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#new-token-name-error').filter({ hasText: 'You already have a token with this name.' }).waitFor();

    await page.getByRole('button', { name: 'Revoke token laptop' }).click();
    await page.getByRole('dialog', { name: 'Revoke token laptop?' }).getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('Token laptop revoked.').waitFor();
    await page.getByText('You have no tokens.').waitFor();
    expect((await bearer(shown.registry.token)).status).toBe(401);
  });

  it('signs out: the session ends on the server too', async () => {
    const { page } = await desk();
    const token = (await storedSession(page))?.token;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('You are signed out.').waitFor();
    expect(await storedSession(page)).toBeNull();
    const after = await fetch(`${stack.gatewayUrls[0]}/v1/account`, { headers: { authorization: `Bearer ${token ?? ''}` } });
    expect(after.status).toBe(401);
    await page.goto('/credentials');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });
});
