// Browser tests: Debian's Chromium driven by playwright-core against the test run's local stack.
// One browser per test file (2 cores), a context per person. Every request the page makes is checked:
// anything outside the stack's own origins (the gateway, which also serves the app and its
// /config.json, the S3 emulator for uploads, and the demo host platform under both its names) is refused and
// recorded, so a test can assert that the app makes no third-party requests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { buildWeb } from '../../../web/build.js';
import type { StoredEmail } from '../../support/mailbox.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotDir = join(process.cwd(), 'test-results', 'e2e');

/** Bounded waits on visible state; generous because two cores run the stack and the browser together. */
export const visible = { state: 'visible', timeout: 30_000 } as const;

export interface BrowserSession {
  browser: Browser;
  /** A fresh, isolated context (cookies, storage) with one page: one person. */
  person(options?: { phone?: boolean }): Promise<Page>;
  /** Screenshots of every open page, for a test that failed. */
  snapshotAll(label: string): Promise<void>;
  /** Requests the pages tried to send anywhere but the stack. */
  thirdPartyRequests: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const stack = inject('stack');
  await buildWeb();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const hostDemo = stack.hostDemoUrl ? [stack.hostDemoUrl, unconfiguredHostUrl('/')] : [];
  const ownOrigins = new Set([stack.httpUrl, stack.s3Url, ...hostDemo].map((u) => new URL(u).origin));
  const thirdPartyRequests: string[] = [];
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  return {
    browser,
    thirdPartyRequests,
    async person(options = {}) {
      const context = await browser.newContext({
        locale: 'pt-BR',
        viewport: options.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      });
      contexts.push(context);
      await context.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        if (ownOrigins.has(url.origin) || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
        thirdPartyRequests.push(url.href);
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      pages.push(page);
      page.setDefaultTimeout(visible.timeout);
      page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`[console] ${message.text()}`);
      });
      return page;
    },
    async snapshotAll(label) {
      const slug = label.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      for (const [i, page] of pages.entries()) {
        if (!page.isClosed()) await screenshot(page, `failed-${slug}-${i + 1}`).catch(() => {});
      }
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}

/**
 * The test file's browser: opened before its tests, closed after them, and every page pictured when a test
 * fails. Call at the top of the file; the returned function gives the browser inside tests.
 */
export function browserForThisFile(): () => BrowserSession {
  let session: BrowserSession | undefined;
  beforeAll(async () => {
    session = await openBrowser();
  }, 120_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await session?.snapshotAll(context.task.name);
  });
  afterAll(async () => {
    await session?.close();
  });
  return () => {
    if (!session) throw new Error('the browser is opened in beforeAll');
    return session;
  };
}

/** Keeps a picture of the screen as a test artifact (test-results/e2e/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

export const appUrl = (path: string): string => new URL(path, inject('stack').httpUrl).toString();

/** A page of the demo host platform, on its configured origin (http://localhost:<port>). */
export function hostUrl(path: string): string {
  const { hostDemoUrl } = inject('stack');
  if (!hostDemoUrl) throw new Error('the test stack runs the demo host platform (HOST_DEMO_PORT)');
  return new URL(path, hostDemoUrl).toString();
}

/** The same demo host server under another origin (http://127.0.0.1:<port>), which is not configured to embed. */
export function unconfiguredHostUrl(path: string): string {
  const url = new URL(hostUrl(path));
  url.hostname = '127.0.0.1';
  return url.toString();
}

/** Signs in on the demo host platform (its own sign-in, not Atende's) and waits for its page. */
export async function signInToHost(page: Page, name: string, email: string, url = hostUrl('/')): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Nome').fill(name);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: /DANFE/ }).waitFor(visible);
}

/** The text of a locator once it is visible. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor(visible);
  return (await locator.textContent()) ?? '';
}

/** An agent signed in at the console with the chat queue loaded (other tests may have chats waiting too). */
export async function agentAtConsole(page: Page, email: string, password: string): Promise<Locator> {
  await signIn(page, email, password);
  await page.waitForURL('**/agent');
  const queue = page.getByRole('region', { name: /Fila de chats/ });
  await queue.getByRole('heading', { name: /Fila de chats \(\d+\)/ }).waitFor(visible);
  return queue;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(appUrl('/login'));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Senha').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Chooses `item` from the signed-in person's menu (the header's button with their name). */
export async function fromPersonMenu(page: Page, name: string, item: string): Promise<void> {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page
    .getByRole('banner')
    .getByRole('button', { name: new RegExp(`^${escaped} \\(`) })
    .click();
  await page.locator('#person-menu').getByText(item, { exact: true }).click();
}

/** The first link in an e-mail whose path is `path` (e.g. `/accept-invite`), whole, as a person follows it. */
export function linkIn(email: StoredEmail, path: string): string | undefined {
  const text = `${email.body.text ?? ''} ${email.body.html ?? ''}`;
  const match = text.match(new RegExp(`https?://[^\\s"'<>]+${path.replace('/', '\\/')}#token=[A-Za-z0-9_%.-]+`));
  return match?.[0].replaceAll('&amp;', '&');
}
