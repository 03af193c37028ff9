import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTaskViaUi,
  completeSignUp,
  heading,
  launchBrowser,
  newContext,
  newPerson,
  taskItem,
} from './support/browser';
import { HOOK_TIMEOUT_MS, startServer, type E2eServer } from './support/server';

// A server reached over plain http by a name that is not localhost, as the README's HOST=0.0.0.0 set-up
// is from another machine on the network: Chromium resolves the name to the test server.
const LAN_NAME = 'todo-on-the-lan.test';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer(),
    launchBrowser([`--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1`]),
  ]);
}, HOOK_TIMEOUT_MS);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, HOOK_TIMEOUT_MS);

describe('the web app over plain http under a host name other than localhost', () => {
  it('renders, loads its assets over http, and lets a person sign up and add a task', async () => {
    const lanUrl = server.baseUrl.replace('127.0.0.1', LAN_NAME);
    const context = await newContext(browser, lanUrl);
    try {
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('requestfailed', (request) => refused.push(request.url()));
      const document = await page.goto('/auth/signup');
      await heading(page, 'Create your account').waitFor();
      expect(document?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
      await completeSignUp(page, newPerson('lan'));
      await addTaskViaUi(page, 'Reached over the LAN');
      await taskItem(page, 'Reached over the LAN').waitFor();
      expect(refused).toEqual([]);
      expect(new URL(page.url()).protocol).toBe('http:');
    } finally {
      await context.close();
    }
  });
});
