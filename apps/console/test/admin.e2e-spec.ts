import { type Browser, type Page } from 'playwright-core';
import { type Credentials, eventually, randomPassword, ServiceProcess, TestStack } from '@keyward/testing';
import { launchBrowser, newConsolePage, openSection, screenshot, signIn, storedSession, unlabelledControls } from './browser';

/**
 * The Admin section and how sessions end: administrators' and users' tabs side by side. Each test
 * makes its own accounts, users and tabs, so any one of them runs alone or in any order.
 */
describe('Console: admin, roles and the end of sessions', () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([TestStack.start({ reaperEnv: { KEYWARD_REAPER_SWEEP_SECONDS: '1' } }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A new tab, signed in as `who`. */
  async function signedIn(who: Credentials): Promise<Page> {
    const page = await newConsolePage(browser, stack.gatewayUrls[0] ?? '');
    await signIn(page, who);
    return page;
  }

  /** An account of its own with two users. */
  async function team(): Promise<{ account: string; alice: Credentials; bob: Credentials }> {
    const account = await stack.newAccount();
    return { account, alice: await stack.newUser(account), bob: await stack.newUser(account) };
  }

  /** A user of a new account made staff. */
  async function staffUser(): Promise<Credentials> {
    const user = await stack.newUser(await stack.newAccount());
    expect((await stack.adminClient().patch(`/v1/admin/users/${user.username}`, { staff: true })).status).toBe(200);
    return user;
  }

  /** An account with a project and two credentials, for others to look into. */
  async function stocked(): Promise<string> {
    const account = await stack.newAccount();
    const client = stack.adminClient().inAccount(account);
    await client.post('/v1/projects', { name: 'ml' });
    for (const name of ['registry', 'bucket']) {
      await client.post('/v1/credentials', { name, type: 'password', scope: 'all', values: { username: 'u', password: 'p-123456' } });
    }
    return account;
  }

  // Each filter asks the API again: wait until the table lists what that filter gives.
  const listing = (page: Page, expected: string[]) =>
    eventually(`the users ${expected.join(', ')}`, async () => {
      const names = (await page.getByRole('table').locator('tbody th').allTextContents()).sort();
      return JSON.stringify(names) === JSON.stringify([...expected].sort()) ? true : undefined;
    });

  it('lists the users of every account, with filters', async () => {
    const { account, alice, bob } = await team();
    const admin = await signedIn(stack.admin);
    await openSection(admin, 'Admin');
    await admin.getByRole('row', { name: /^admin admin/ }).waitFor();
    await admin.getByLabel('Account', { exact: true }).fill(account);
    await listing(admin, [alice.username, bob.username]);
    await admin.getByLabel('Username starts with').fill(alice.username.slice(0, -2));
    await listing(admin, [alice.username]);
    await admin.getByLabel('Username starts with').fill('');
    await admin.getByLabel('Superuser', { exact: true }).selectOption({ label: 'Superuser' });
    await admin.getByText('No user matches these filters.').waitFor();
    await admin.getByLabel('Superuser', { exact: true }).selectOption({ label: 'Any' });
    await listing(admin, [alice.username, bob.username]);
  });

  it("toggles a user's staff flag, and the audit log tells who did it", async () => {
    const { account, alice, bob } = await team();
    const admin = await signedIn(stack.admin);
    await openSection(admin, 'Admin');
    await admin.getByLabel('Account', { exact: true }).fill(account);
    await listing(admin, [alice.username, bob.username]);
    const staff = admin.getByRole('checkbox', { name: `Staff: ${alice.username}` });
    expect(await staff.isChecked()).toBe(false);
    await staff.check();
    await admin.getByText(`${alice.username} is now staff.`, { exact: false }).waitFor();
    const roles = await stack.adminClient().get<{ username: string; staff: boolean; superuser: boolean }[]>(`/v1/admin/users?username=${alice.username}`);
    expect(roles.body).toEqual([expect.objectContaining({ username: alice.username, staff: true, superuser: false })]);

    await admin.getByLabel('Staff', { exact: true }).selectOption({ label: 'Staff' });
    await listing(admin, [alice.username]);
    await admin.getByLabel('Staff', { exact: true }).selectOption({ label: 'Any' });
    await listing(admin, [alice.username, bob.username]);
    await screenshot(admin, 'admin-users');
    expect(await unlabelledControls(admin)).toEqual([]);

    await admin.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Audit log' }).click();
    await admin.getByLabel('Resource').selectOption({ label: 'user' });
    await admin.getByLabel('Changed by (username)').fill('admin');
    const roleChange = admin.getByRole('row', { name: new RegExp(`user\\.update-roles ${alice.username}`) }).first();
    await roleChange.waitFor();
    expect(await roleChange.textContent()).toContain('admin of admin (console)');
    await roleChange.getByText('Details').click();
    expect(await roleChange.locator('dd').first().textContent()).toContain('staff: false');
  });

  it('shows the audit log: refusals and failures on their own', async () => {
    // A refusal of its own to find: deleting an account that is still enabled.
    const { account } = await team();
    expect((await stack.adminClient().delete(`/v1/accounts/${account}`)).status).toBe(400);
    const admin = await signedIn(stack.admin);
    await admin.goto('/admin/audit');
    await admin.getByLabel('Result').selectOption({ label: 'Refused or failed' });
    await admin.getByRole('row', { name: new RegExp(`account\\.delete ${account}`) }).waitFor();
    await eventually('only refusals listed', async () => {
      const results = await admin.getByRole('table').locator('tbody td:nth-child(6)').allTextContents();
      return results.length > 0 && results.every((text) => text.startsWith('Refused')) ? true : undefined;
    });
    await admin.getByLabel('Result').selectOption({ label: 'Any' });
    await screenshot(admin, 'admin-audit');
    expect(await unlabelledControls(admin)).toEqual([]);
  });

  it('shows staff the Admin section to look at, never to change', async () => {
    const { account } = await team();
    const member = await signedIn(await staffUser());
    await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await member.getByRole('row', { name: new RegExp(`^${account}`) }).waitFor();
    expect(await member.getByRole('button', { name: /^(Disable|Delete|Enable) account/ }).count()).toBe(0);
    expect(await member.getByRole('heading', { name: 'New account' }).count()).toBe(0);
    await member.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Users' }).click();
    await member.getByText('Only administrators and superusers see the users of every account').waitFor();
  });

  it("lets administrators work in another account's resources, and staff look at them", async () => {
    const doomed = await stocked();
    const admin = await signedIn(stack.admin);
    await admin.getByLabel('Working in account').selectOption(doomed);
    await admin
      .getByRole('status')
      .filter({ hasText: `You are working in account ${doomed}.` })
      .waitFor();
    await openSection(admin, 'Credentials');
    await admin.getByRole('row', { name: /^registry/ }).waitFor();
    await admin.getByRole('row', { name: /^bucket/ }).waitFor();
    await screenshot(admin, 'working-in-account');
    expect(await unlabelledControls(admin)).toEqual([]);
    await openSection(admin, 'Projects');
    await admin.getByRole('row', { name: /^ml keyward-ml/ }).waitFor();
    await admin.getByLabel('Name', { exact: true }).fill('from-console');
    await admin.getByRole('button', { name: 'Create project' }).click();
    await admin.getByText('Project from-console created, namespace keyward-from-console.').waitFor();
    const projects = await stack.adminClient().inAccount(doomed).get<{ name: string }[]>('/v1/projects');
    expect(projects.body.map((project) => project.name).sort()).toEqual(['from-console', 'ml']);
    await admin.getByRole('button', { name: 'Back to my account' }).click();
    await admin.getByRole('row', { name: /^ml / }).waitFor({ state: 'detached' });
    expect(await admin.getByLabel('Working in account').inputValue()).toBe('admin');

    const member = await signedIn(await staffUser());
    await member.getByLabel('Working in account').selectOption(doomed);
    await member.getByRole('status').filter({ hasText: 'as staff, you can look, not change' }).waitFor();
    await openSection(member, 'Credentials');
    await member.getByRole('row', { name: /^registry/ }).waitFor();
    expect(await member.getByRole('link', { name: 'New credential' }).count()).toBe(0);
    expect(await member.getByRole('button', { name: /^Delete credential/ }).count()).toBe(0);
    await member.getByRole('button', { name: 'Back to my account' }).click();
    await member.getByRole('row', { name: /^registry/ }).waitFor({ state: 'detached' });
  });

  it('ends the session when the password changes', async () => {
    let { alice } = await team();
    const member = await signedIn(alice);
    const before = (await storedSession(member))?.token ?? '';
    await member.getByRole('link', { name: new RegExp(alice.username) }).click();
    await member.getByRole('heading', { name: 'Your account' }).waitFor();
    await member.getByLabel('Current password').fill(alice.password);
    await member.getByLabel('New password', { exact: true }).fill('short');
    await member.getByLabel('New password again').fill('short');
    await member.getByRole('button', { name: 'Change password' }).click();
    await member.locator('#change-password-value-error').filter({ hasText: '6 to 128 characters' }).waitFor();

    const password = randomPassword();
    await member.getByLabel('Current password').fill('not-the-password');
    await member.getByLabel('New password', { exact: true }).fill(password);
    await member.getByLabel('New password again').fill(password);
    await member.getByRole('button', { name: 'Change password' }).click();
    await member.locator('#change-password-currentPassword-error').filter({ hasText: 'not your current password' }).waitFor();

    await member.getByLabel('Current password').fill(alice.password);
    await member.getByLabel('New password', { exact: true }).fill(password);
    await member.getByLabel('New password again').fill(password);
    await member.getByRole('button', { name: 'Change password' }).click();
    await member.getByText('Your password is changed — sign in again with the new one.').waitFor();
    const old = await fetch(`${stack.gatewayUrls[0]}/v1/account`, { headers: { authorization: `Bearer ${before}` } });
    expect(old.status).toBe(401);
    alice = { ...alice, password };
    await signIn(member, alice);
  });

  it('disables an account, which ends its sessions', async () => {
    const { account, alice } = await team();
    const [admin, member] = await Promise.all([signedIn(stack.admin), signedIn(alice)]);
    await openSection(admin, 'Admin');
    await admin.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Accounts' }).click();
    await admin.getByRole('button', { name: `Disable account ${account}` }).click();
    await admin.getByText(`Account ${account} disabled`).waitFor();
    await admin.getByRole('row', { name: new RegExp(`^${account}.*Disabled`) }).waitFor();

    await member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
    await member.getByRole('heading', { name: 'Sign in' }).waitFor();
    await member.getByText('Your account is disabled: ask an administrator to enable it.').waitFor();
    await member.getByLabel('Username').fill(alice.username);
    await member.getByLabel('Password').fill(alice.password);
    await member.getByRole('button', { name: 'Sign in' }).click();
    await member.getByRole('alert').filter({ hasText: 'Your account is disabled. Ask an administrator to enable it.' }).waitFor();

    await admin.getByRole('button', { name: `Enable account ${account}` }).click();
    await admin.getByRole('row', { name: new RegExp(`^${account}.*Enabled`) }).waitFor();
    await signIn(member, alice);
  });

  it('refuses to delete an enabled account, saying why, then shows its deletion until it is gone', async () => {
    const doomed = await stocked();
    const admin = await signedIn(stack.admin);
    await admin.goto('/admin/accounts');
    await admin.getByRole('button', { name: `Delete account ${doomed}` }).click();
    const dialog = admin.getByRole('dialog', { name: `Delete account ${doomed}?` });
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Disable the account before deleting it.' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // With the reaper stopped, the account waits in `deleting`; a new reaper then finishes it.
    await Promise.all(stack.reapers.map((reaper) => reaper.stop()));
    try {
      await admin.getByRole('button', { name: `Disable account ${doomed}` }).click();
      await admin.getByRole('button', { name: `Delete account ${doomed}` }).click();
      await dialog.getByRole('button', { name: 'Delete account' }).click();
      await admin.getByText(`Account ${doomed} is being deleted.`).waitFor();
      const row = admin.getByRole('row', { name: new RegExp(`^${doomed}`) });
      await row.getByText('Deleting').waitFor();
      await row.getByText('Waiting for the reaper to start…').waitFor();
      await screenshot(admin, 'admin-accounts');
      expect(await unlabelledControls(admin)).toEqual([]);
    } finally {
      stack.reapers.splice(0, stack.reapers.length, ServiceProcess.start('reaper', { ...stack.envOf('reaper'), KEYWARD_REAPER_SWEEP_SECONDS: '1' }));
    }
    await admin.getByText(`Account ${doomed} is deleted: its name is free again.`).waitFor({ timeout: 30_000 });
    await eventually('the account to be gone', async () => ((await stack.adminClient().get(`/v1/accounts/${doomed}`)).status === 404 ? true : undefined));
  });
});
