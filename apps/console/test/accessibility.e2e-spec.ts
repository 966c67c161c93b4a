import { type Browser, type Page } from 'playwright-core';
import { TestStack } from '@keyward/testing';
import { accessibilityViolations, horizontalOverflow, launchBrowser, newConsolePage, screenshot, signIn, unlabelledControls } from './browser';

const VIEWPORTS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/**
 * Every page of the console, as an administrator sees it (the most on screen), checked by axe-core
 * against WCAG 2 A and AA, for labels on every control and for a layout that never scrolls
 * sideways, at a laptop's size and a phone's. Each size is its own test, on its own tab.
 */
describe('Console: accessibility of every page', () => {
  let stack: TestStack;
  let browser: Browser;
  let credentialId: string;
  let pages: { path: string; ready: (page: Page) => Promise<unknown> }[];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([TestStack.start(), launchBrowser()]);
    const admin = stack.adminClient();
    await admin.post('/v1/projects', { name: 'a11y', description: 'Pages checked for accessibility' });
    const created = await admin.post<{ id: string }>('/v1/credentials', {
      name: 'registry-login-with-a-long-name',
      type: 'docker-registry',
      scope: 'all',
      values: { url: 'registry.example.test', username: 'robot', password: 'Checked-3b9a' },
    });
    credentialId = created.body.id;
    await admin.post('/v1/user/tokens', { name: 'a11y-token', expiresInDays: 30 });
    const heading = (name: string) => (page: Page) => page.getByRole('heading', { level: 1, name }).waitFor();
    const row = (name: RegExp) => (page: Page) => page.getByRole('row', { name }).first().waitFor();
    pages = [
      { path: '/credentials', ready: row(/^registry-login-with-a-long-name/) },
      { path: '/credentials/new', ready: heading('New credential') },
      { path: `/credentials/${credentialId}`, ready: (page) => page.getByRole('heading', { name: 'Export' }).waitFor() },
      { path: '/projects', ready: row(/^a11y/) },
      { path: '/secrets', ready: heading('Secrets') },
      { path: '/users', ready: row(/^admin/) },
      { path: '/tokens', ready: row(/^a11y-token/) },
      { path: '/account', ready: heading('Your account') },
      { path: '/admin', ready: row(/^admin/) },
      { path: '/admin/accounts', ready: row(/^admin/) },
      { path: '/admin/tokens', ready: row(/^a11y-token/) },
      { path: '/admin/audit', ready: row(/credential\.create/) },
      { path: '/no-such-page', ready: heading('Page not found') },
    ];
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function problemsOf(page: Page, where: string): Promise<string[]> {
    const [violations, overflow, unlabelled] = await Promise.all([accessibilityViolations(page), horizontalOverflow(page), unlabelledControls(page)]);
    return [
      ...violations.map((text) => `${where}: ${text}`),
      ...overflow.map((text) => `${where}: wider than the window: ${text}`),
      ...unlabelled.map((text) => `${where}: no label: ${text}`),
    ];
  }

  it.each(VIEWPORTS)('has no serious violation, unlabelled control or sideways scroll on any page at $name size ($width x $height)', async (viewport) => {
    const page = await newConsolePage(browser, stack.gatewayUrls[0] ?? '', { width: viewport.width, height: viewport.height });
    const problems: string[] = [];

    await page.goto('/sign-in');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    problems.push(...(await problemsOf(page, 'sign-in')));
    await signIn(page, stack.admin);

    for (const { path, ready } of pages) {
      await page.goto(path);
      await ready(page);
      problems.push(...(await problemsOf(page, path)));
      if (viewport.name === 'phone' && path === '/users') await screenshot(page, 'phone-users');
    }

    // A dialog open over a page, and the panels that appear on demand.
    await page.goto('/tokens');
    await page.getByRole('button', { name: 'Revoke token a11y-token' }).click();
    await page.getByRole('dialog').waitFor();
    problems.push(...(await problemsOf(page, 'dialog on /tokens')));
    await page.keyboard.press('Escape');
    await page.goto(`/credentials/${credentialId}`);
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByLabel('Export of registry-login-with-a-long-name').waitFor();
    problems.push(...(await problemsOf(page, 'export shown')));
    await page.goto('/users');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('#new-user-username-error').waitFor();
    problems.push(...(await problemsOf(page, 'users form errors')));

    expect(problems).toEqual([]);
  });
});
