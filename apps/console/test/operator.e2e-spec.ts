import { readFileSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { type Credentials, eventually, randomPassword, TestStack } from '@keyward/testing';
import { clipboardText, focused, launchBrowser, newConsolePage, openSection, screenshot, signIn, unlabelledControls } from './browser';

/**
 * An operator's work in the console without the command line: the users of an account, their
 * passwords, exports and everyone's tokens. Each test makes its own account, users and tab, so
 * any one of them runs alone or in any order.
 */
describe('Console: users, passwords, exports and everyone’s tokens', () => {
  let stack: TestStack;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([TestStack.start(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function signedIn(who: Credentials): Promise<Page> {
    const page = await newConsolePage(browser, stack.gatewayUrls[0] ?? '');
    pages.push(page);
    await signIn(page, who);
    return page;
  }

  async function newToken(who: Credentials, name: string): Promise<string> {
    const created = await stack.client().as(who).post<{ token: string }>('/v1/user/tokens', { name, expiresInDays: 1 });
    expect(created.status).toBe(201);
    return created.body.token;
  }

  const statusWith = async (token: string) => (await stack.client().withToken(token, 'bearer').get('/v1/user')).status;

  it('adds a user to the account, sets their password and deletes them, saying the rules in words', async () => {
    const account = await stack.newAccount();
    const member = await stack.newUser(account);
    const elsewhere = await stack.newUser(await stack.newAccount());
    const page = await signedIn(member);
    await openSection(page, 'Users');
    const own = page.getByRole('row', { name: new RegExp(`^${member.username}\\s*You`) });
    await own.getByRole('link', { name: 'Change your password' }).waitFor();
    expect(await own.getByRole('button').count()).toBe(0);
    await page.getByText('Usernames are unique across every account.').waitFor();

    // The rules the API enforces, said before asking it; then its own refusal, next to the field.
    await page.getByLabel('Username').fill('-bad');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('#new-user-username-error').filter({ hasText: 'letter or digit first and last' }).waitFor();
    expect((await focused(page)).id).toBe('new-user-username');
    await page.getByLabel('Username').fill(elsewhere.username);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Password again').fill('short');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('#new-user-value-error').filter({ hasText: '6 to 128 characters' }).waitFor();
    const first = randomPassword();
    await page.getByLabel('Password', { exact: true }).fill(first);
    await page.getByLabel('Password again').fill(first);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('#new-user-username-error').filter({ hasText: 'This username is taken, in this or another account' }).waitFor();

    const added = { username: `ops-${Date.now().toString(36)}`, password: first };
    await page.getByLabel('Username').fill(added.username);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.getByText(`User ${added.username} added to ${account}.`).waitFor();
    await page.getByRole('row', { name: new RegExp(`^${added.username}`) }).waitFor();
    expect((await stack.client().as(added).get<{ username: string }>('/v1/user')).body.username).toBe(added.username);
    await screenshot(page, 'users');
    expect(await unlabelledControls(page)).toEqual([]);

    // A new password, and their tokens revoked with it.
    const token = await newToken(added, 'build');
    expect(await statusWith(token)).toBe(200);
    await page.getByRole('button', { name: `Set the password of ${added.username}` }).click();
    await page.getByRole('heading', { name: `Set the password of ${added.username}` }).waitFor();
    const second = randomPassword();
    await page.getByLabel('New password', { exact: true }).fill(second);
    await page.getByLabel('New password again').fill(`${second}x`);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.locator('#set-password-repeat-error').filter({ hasText: 'The two passwords differ.' }).waitFor();
    await page.getByLabel('New password again').fill(second);
    await page.getByLabel('Also revoke their API tokens').check();
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText(`The password of ${added.username} is set. Their sessions have ended, and their API tokens are revoked.`).waitFor();
    expect((await stack.client().as(added).get('/v1/user')).status).toBe(401);
    expect(
      (
        await stack
          .client()
          .as({ ...added, password: second })
          .get('/v1/user')
      ).status,
    ).toBe(200);
    expect(await statusWith(token)).toBe(401);

    // Deleting asks first, with the keyboard: Cancel has the focus, Escape closes, nothing is deleted.
    const remove = page.getByRole('button', { name: `Delete user ${added.username}` });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Delete user ${added.username}?` });
    await dialog.waitFor();
    expect((await focused(page)).text).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await stack.client().as(member).get(`/v1/accounts/${account}/users/${added.username}`)).status).toBe(200);
    await remove.click();
    await dialog.getByRole('button', { name: 'Delete user' }).click();
    await page.getByText(`User ${added.username} deleted.`).waitFor();
    await page.getByRole('row', { name: new RegExp(`^${added.username}`) }).waitFor({ state: 'detached' });
    expect((await stack.client().as(member).get(`/v1/accounts/${account}/users/${added.username}`)).status).toBe(404);
  });

  it('lets an administrator manage the users of any account, and staff only look', async () => {
    const account = await stack.newAccount();
    const member = await stack.newUser(account);
    const admin = await signedIn(stack.admin);
    await admin.getByLabel('Working in account').selectOption(account);
    await openSection(admin, 'Users');
    await admin.getByRole('row', { name: new RegExp(`^${member.username}`) }).waitFor();
    const password = randomPassword();
    await admin.getByRole('button', { name: `Set the password of ${member.username}` }).click();
    await admin.getByLabel('New password', { exact: true }).fill(password);
    await admin.getByLabel('New password again').fill(password);
    await admin.getByRole('button', { name: 'Set password' }).click();
    await admin.getByText(`The password of ${member.username} is set. Their sessions have ended.`).waitFor();
    expect(
      (
        await stack
          .client()
          .as({ ...member, password })
          .get('/v1/user')
      ).status,
    ).toBe(200);

    const inspector = await stack.newUser(await stack.newAccount());
    expect((await stack.adminClient().patch(`/v1/admin/users/${inspector.username}`, { staff: true })).status).toBe(200);
    const staff = await signedIn(inspector);
    await staff.getByLabel('Working in account').selectOption(account);
    await openSection(staff, 'Users');
    await staff.getByRole('row', { name: new RegExp(`^${member.username}`) }).waitFor();
    await staff.getByText('As staff, you can see the users of this account, not change them.').waitFor();
    expect(await staff.getByRole('heading', { name: 'New user' }).count()).toBe(0);
    expect(await staff.getByRole('button', { name: /^(Delete user|Set the password)/ }).count()).toBe(0);
  });

  it('exports a credential once, to copy or download, and the audit log records it', async () => {
    const account = await stack.newAccount();
    const member = await stack.newUser(account);
    const values = { url: 'registry.example.test', username: 'robot', password: 'Exported-7d1e' };
    const created = await stack
      .client()
      .as(member)
      .post<{ id: string }>('/v1/credentials', { name: 'registry', type: 'docker-registry', scope: 'all', values });
    expect(created.status).toBe(201);
    const page = await signedIn(member);
    await page.getByRole('link', { name: 'registry', exact: true }).click();
    await page.getByRole('heading', { name: 'Credential registry' }).waitFor();
    expect(await page.getByText(values.password).count()).toBe(0);
    expect(await page.getByLabel('Format').locator('option').allTextContents()).toEqual([
      'Docker config.json (dockerconfigjson)',
      'Kubernetes Secret manifest',
      'Environment variables (.env)',
    ]);
    await page.getByText('Every export is recorded in the audit log').waitFor();
    await page.getByRole('button', { name: 'Export' }).click();
    const shown = page.getByLabel('Export of registry');
    await shown.waitFor();
    const text = (await shown.textContent()) ?? '';
    const config = JSON.parse(text) as { auths: Record<string, { username: string; password: string; auth: string }> };
    expect(config.auths[values.url]).toEqual({
      username: 'robot',
      password: values.password,
      auth: Buffer.from(`robot:${values.password}`).toString('base64'),
    });
    expect((await focused(page)).id).toBe('export-shown-heading');
    await screenshot(page, 'credential-export');

    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await clipboardText(page)).toBe(text);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download config.json' }).click()]);
    expect(download.suggestedFilename()).toBe('config.json');
    expect(readFileSync((await download.path()) ?? '', 'utf8')).toBe(text);
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    expect(await page.getByText(values.password).count()).toBe(0);

    await page.getByLabel('Format').selectOption({ label: 'Environment variables (.env)' });
    await page.getByRole('button', { name: 'Export' }).click();
    expect(await page.getByLabel('Export of registry').textContent()).toBe(
      `DOCKER_REGISTRY_URL='${values.url}'\nDOCKER_USERNAME='robot'\nDOCKER_PASSWORD='${values.password}'\n`,
    );
    await page.getByRole('button', { name: 'Done, hide it' }).click();

    const audit = await stack
      .adminClient()
      .get<{ action: string; actor: { username?: string }; resource: { id?: string } }[]>(`/v1/admin/audit?action=credential.export&actor=${member.username}`);
    expect(audit.body.filter((record) => record.resource.id === created.body.id)).toHaveLength(2);

    // A credential that is not a registry login has no Docker config to give.
    const login = await stack
      .client()
      .as(member)
      .post<{ id: string }>('/v1/credentials', { name: 'db', type: 'password', scope: 'all', values: { username: 'u', password: 'p-123456' } });
    await page.goto(`/credentials/${login.body.id}`);
    await page.getByRole('heading', { name: 'Credential db' }).waitFor();
    expect(await page.getByLabel('Format').locator('option').allTextContents()).toEqual(['Kubernetes Secret manifest', 'Environment variables (.env)']);
    await page.getByRole('button', { name: 'Export' }).click();
    const manifest = JSON.parse((await page.getByLabel('Export of db').textContent()) ?? '') as {
      kind: string;
      metadata: { name: string };
      data: Record<string, string>;
    };
    expect(manifest).toMatchObject({ kind: 'Secret', metadata: { name: 'db' } });
    expect(Buffer.from(manifest.data['password'] ?? '', 'base64').toString()).toBe('p-123456');

    // Staff looking at the account have no Export to press.
    const inspector = await stack.newUser(await stack.newAccount());
    await stack.adminClient().patch(`/v1/admin/users/${inspector.username}`, { staff: true });
    const staff = await signedIn(inspector);
    await staff.getByLabel('Working in account').selectOption(account);
    await staff.goto(`/credentials/${created.body.id}`);
    await staff.getByRole('heading', { name: 'Credential registry' }).waitFor();
    await staff.getByRole('heading', { name: 'Delivery' }).waitFor();
    expect(await staff.getByRole('heading', { name: 'Export' }).count()).toBe(0);
  });

  it('shows administrators every user’s tokens, to revoke one or all of a user’s', async () => {
    const account = await stack.newAccount();
    const [carol, dave] = [await stack.newUser(account), await stack.newUser(account)];
    const carolCi = await newToken(carol, 'ci');
    const carolLaptop = await newToken(carol, 'laptop');
    const daveCi = await newToken(dave, 'ci');
    const admin = await signedIn(stack.admin);
    await openSection(admin, 'Admin');
    await admin.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Tokens' }).click();
    await admin.getByLabel('Account', { exact: true }).fill(account);
    const rows = () => admin.getByRole('table', { name: 'API tokens of every user' }).locator('tbody tr');
    await eventually('the tokens of the account', async () => ((await rows().count()) === 3 ? true : undefined));
    await admin.getByLabel('Username').fill(carol.username);
    await eventually('the tokens of carol', async () => ((await rows().count()) === 2 ? true : undefined));
    await admin.getByLabel('Username').fill('');
    await eventually('the tokens of the account again', async () => ((await rows().count()) === 3 ? true : undefined));
    await screenshot(admin, 'admin-tokens');
    expect(await unlabelledControls(admin)).toEqual([]);

    await admin.getByRole('button', { name: `Revoke token ci of ${dave.username}` }).click();
    await admin
      .getByRole('dialog', { name: `Revoke token ci of ${dave.username}?` })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await admin.getByText(`Token ci of ${dave.username} revoked.`).waitFor();
    expect(await statusWith(daveCi)).toBe(401);
    expect(await statusWith(carolCi)).toBe(200);

    await admin
      .getByRole('button', { name: `Revoke all tokens of ${carol.username}` })
      .first()
      .click();
    await admin
      .getByRole('dialog', { name: `Revoke all tokens of ${carol.username}?` })
      .getByRole('button', { name: 'Revoke all' })
      .click();
    await admin.getByText(`2 tokens and sessions of ${carol.username} revoked.`).waitFor();
    expect(await statusWith(carolCi)).toBe(401);
    expect(await statusWith(carolLaptop)).toBe(401);
    await eventually('no token left in the account', async () => ((await rows().count()) === 0 ? true : undefined));
    await admin.getByText('No token matches these filters.').waitFor();

    // Staff see the list, without a button that would change it.
    const survivor = await newToken(dave, 'kept');
    const inspector = await stack.newUser(await stack.newAccount());
    await stack.adminClient().patch(`/v1/admin/users/${inspector.username}`, { staff: true });
    const staff = await signedIn(inspector);
    await staff.goto('/admin/tokens');
    await staff.getByLabel('Account', { exact: true }).fill(account);
    await staff.getByRole('row', { name: /^kept/ }).waitFor();
    await staff.getByText('As staff, you can see every token, not revoke them.').waitFor();
    expect(await staff.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    expect(await statusWith(survivor)).toBe(200);
  });
});
