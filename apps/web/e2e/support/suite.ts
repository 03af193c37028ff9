import type { Browser, BrowserContext, BrowserContextOptions, Cookie, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchBrowser, newContext, newPerson, signUpViaUi, type Person } from './browser';
import { HOOK_TIMEOUT_MS, startServer, type E2eServer } from './server';

export interface SignedIn {
  context: BrowserContext;
  page: Page;
  person: Person;
}

export interface BrowserSuite {
  /** Started in beforeAll: read it inside hooks and tests, not at the top of the file. */
  readonly server: E2eServer;
  /** Started in beforeAll, like `server`. */
  readonly browser: Browser;
  /** A fresh browser profile, closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a fresh browser profile, closed after the test. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** A fresh browser profile with a new person signed up through the form and on the (empty) dashboard. */
  signedIn(label: string, options?: BrowserContextOptions): Promise<SignedIn>;
  /** The todo_session cookie this browser profile holds for the server; throws when it holds none. */
  sessionCookie(context: BrowserContext): Promise<Cookie>;
}

/**
 * One server and one browser for the test file that calls it (at its top level, once), and a fresh
 * browser profile per test.
 */
export function useBrowserSuite(): BrowserSuite {
  let server: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, HOOK_TIMEOUT_MS);
  // A failing test shows what the server logged (warnings and errors only), to tell a product fault from a
  // slow machine.
  beforeEach(({ onTestFailed }) =>
    onTestFailed(() => console.error(`server output:\n${server?.output().slice(-4000) || '(nothing)'}`)),
  );
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  }, HOOK_TIMEOUT_MS);

  async function openContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await newContext(browser, server.baseUrl, options);
    contexts.push(context);
    return context;
  }

  async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
    return (await openContext(options)).newPage();
  }

  return {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    newContext: openContext,
    newPage: openPage,
    async signedIn(label, options = {}) {
      const context = await openContext(options);
      const page = await context.newPage();
      const person = newPerson(label);
      await signUpViaUi(page, person);
      return { context, page, person };
    },
    async sessionCookie(context) {
      const cookie = (await context.cookies(server.baseUrl)).find((candidate) => candidate.name === 'todo_session');
      if (!cookie) throw new Error('the server set no todo_session cookie');
      return cookie;
    },
  };
}
