import { type Browser, type Page } from 'playwright-core';
import { type Credentials, FakeKubernetes, TestStack } from '@keyward/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newConsolePage, screenshot, signIn, unlabelledControls } from './browser';

/** A credential's page shows where it stands in each namespace of the cluster, in words. */
describe('Console: delivery status of a credential', () => {
  let stack: TestStack;
  let fake: FakeKubernetes;
  let dir: string;
  let browser: Browser;
  let page: Page;
  let user: Credentials;

  beforeAll(async () => {
    fake = await FakeKubernetes.start();
    dir = mkdtempSync(join(tmpdir(), 'keyward-console-delivery-'));
    [stack, browser] = await Promise.all([TestStack.start({ credentialsEnv: { KEYWARD_KUBECONFIG: fake.writeKubeconfig(dir) } }), launchBrowser()]);
    user = await stack.newUser(await stack.newAccount());
    page = await newConsolePage(browser, stack.gatewayUrls[0] ?? '');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists each namespace with its state, and says what to fix where delivery failed', async () => {
    const api = stack.client().as(user);
    const ready = await api.post<{ namespace: string }>('/v1/projects', { name: 'web-ready' });
    const missing = await api.post<{ namespace: string }>('/v1/projects', { name: 'web-missing' });
    fake.namespaces.add(ready.body.namespace);
    const created = await api.post<{ id: string }>('/v1/credentials', {
      name: 'pull-secret',
      type: 'password',
      scope: 'all',
      values: { username: 'u', password: 'Never-Shown-77' },
    });
    expect(created.status).toBe(201);

    await signIn(page, user);
    await page.getByRole('link', { name: 'pull-secret' }).click();
    await page.getByRole('heading', { name: 'Credential pull-secret' }).waitFor();
    const table = page.getByRole('table', { name: 'Where the credential stands in each namespace' });
    await table.getByRole('row', { name: new RegExp(`^${ready.body.namespace} Synced`) }).waitFor({ timeout: 15_000 });
    await table
      .getByRole('row', { name: new RegExp(`^${missing.body.namespace} Error .*namespace ${missing.body.namespace} does not exist in the cluster`) })
      .waitFor({ timeout: 15_000 });
    expect(await page.content()).not.toContain('Never-Shown-77');
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'credential-delivery');

    // The page follows delivery: once the namespace exists, the error turns to synced.
    fake.namespaces.add(missing.body.namespace);
    await table.getByRole('row', { name: new RegExp(`^${missing.body.namespace} Synced`) }).waitFor({ timeout: 40_000 });
  });
});
