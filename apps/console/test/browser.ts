import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { REPO_ROOT, type Credentials } from '@keyward/testing';

/** Debian's chromium package; `npm test` installs it where it can (tools/test.mjs). */
export const CHROMIUM = process.env['KEYWARD_CHROMIUM'] ?? '/usr/bin/chromium';

/** One headless Chromium per test file; pages are reused within it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set KEYWARD_CHROMIUM to a Chromium binary`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh tab (its own sessionStorage) on the console at `baseUrl`. */
export async function newConsolePage(browser: Browser, baseUrl: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: 'en-GB', timezoneId: 'UTC' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Signs in through the sign-in form and waits for the console to show the user. */
export async function signIn(page: Page, who: Credentials): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Opens a section of the console from the main navigation, as a person would. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page
    .getByRole('heading', { level: 1 })
    .filter({ hasText: name === 'Admin' ? 'Admin' : name })
    .waitFor();
}

/**
 * With KEYWARD_SCREENSHOTS set to a folder (`npm run screenshots` sets docs/console), saves a
 * PNG of the page there; otherwise does nothing, so test runs leave the work tree alone.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env['KEYWARD_SCREENSHOTS'];
  if (!dir) return;
  const target = join(REPO_ROOT, dir);
  mkdirSync(target, { recursive: true });
  await page.screenshot({ path: join(target, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
}

// The test code compiles for Node, without the DOM's types: what runs in the page is written
// as an expression and typed where it is used.
function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

/** The form controls of the page that have no label a screen reader would read: none, always. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return inPage(
    page,
    `Array.from(document.querySelectorAll('input, select, textarea'))
      .filter((control) => !(control.labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby')))
      .map((control) => control.outerHTML)`,
  );
}

/** The console's session as the tab keeps it in sessionStorage, or null. */
export async function storedSession(page: Page): Promise<{ token: string } | null> {
  return JSON.parse((await inPage<string | null>(page, "sessionStorage.getItem('keyward.session')")) ?? 'null') as { token: string } | null;
}

/** What the page keeps anywhere else than sessionStorage: localStorage entries and cookies. */
export function otherStorage(page: Page): Promise<number> {
  return inPage(page, 'localStorage.length + document.cookie.length');
}

/** The id and text of the element that has the focus. */
export function focused(page: Page): Promise<{ id: string; text: string }> {
  return inPage(page, "({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent ?? '' })");
}

export function clipboardText(page: Page): Promise<string> {
  return inPage(page, 'navigator.clipboard.readText()');
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * What axe-core finds against WCAG 2 A and AA on the page as it stands, of serious or critical
 * impact: one line per violation and element, so a failing test says what to fix and where.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await inPage<boolean>(page, "typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  const violations = await inPage<{ id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]>(
    page,
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String) })) })))",
  );
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${violation.help} at ${node.target.join(' ')}`));
}

/** The elements wider than the window, which make a phone scroll sideways: none, always (a table scrolls in its own frame). */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return inPage(
    page,
    `document.documentElement.scrollWidth <= window.innerWidth ? [] :
      Array.from(document.querySelectorAll('body *'))
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1 && !element.closest('.table-wrap, pre'))
        .slice(0, 10)
        .map((element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + (element.className ? '.' + String(element.className).split(' ').join('.') : '') + ' ' + Math.round(element.getBoundingClientRect().right) + 'px')`,
  );
}
