import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { visit, type Transfer } from '../../../tools/first-visit.mjs';
import { heading } from './support/browser';
import { useBrowserSuite } from './support/suite';

// A Lighthouse-style budget for a new visitor: what the first visit costs on the wire, and what holds
// back its first paint, as Chromium counts them (tools/first-visit.mjs).

const BUDGET_BYTES = 100_000;

const suite = useBrowserSuite();

/** A new visitor opens the app: / sends them on to sign-in, and everything the page wants has arrived. */
async function firstVisit(page: Page): Promise<Transfer[]> {
  const all = await visit(page, '/');
  await heading(page, 'Sign in').waitFor();
  expect(all.every((transfer) => transfer.bytes !== undefined)).toBe(true);
  return all;
}

const pathOf = (transfer: Transfer) => new URL(transfer.url).pathname;

describe('a first visit', () => {
  it(`transfers less than ${BUDGET_BYTES / 1000} KB in all`, async () => {
    const page = await suite.newPage();
    const transfers = await firstVisit(page);
    const total = transfers.reduce((sum, transfer) => sum + transfer.bytes!, 0);
    expect(total, JSON.stringify(transfers.map((t) => [pathOf(t), t.bytes]))).toBeLessThan(BUDGET_BYTES);
  });

  it('gets its page, script and stylesheet compressed', async () => {
    const page = await suite.newPage();
    const transfers = await firstVisit(page);
    const built = transfers.filter((transfer) => ['Document', 'Script', 'Stylesheet'].includes(transfer.type!));
    expect(built.map((transfer) => transfer.type).sort()).toEqual(
      expect.arrayContaining(['Document', 'Script', 'Stylesheet']),
    );
    for (const transfer of built) expect([pathOf(transfer), transfer.encoding]).toEqual([pathOf(transfer), 'br']);
  });

  it('holds back its first render for one stylesheet and at most one script, nothing else', async () => {
    const page = await suite.newPage();
    const transfers = await firstVisit(page);
    const blocking = transfers.filter(
      (transfer) => transfer.renderBlocking !== undefined && !transfer.renderBlocking.startsWith('NonBlocking'),
    );
    expect(blocking.filter((transfer) => transfer.type === 'Stylesheet')).toHaveLength(1);
    expect(blocking.filter((transfer) => transfer.type === 'Script').length).toBeLessThanOrEqual(1);
    expect(blocking.filter((transfer) => !['Stylesheet', 'Script'].includes(transfer.type!))).toEqual([]);
  });

  it('loads neither the task list nor the form rules before they are needed', async () => {
    const page = await suite.newPage();
    const scripts = (await firstVisit(page)).filter((transfer) => transfer.type === 'Script');
    expect(scripts.map(pathOf)).toEqual([expect.stringMatching(/^\/assets\/index-[\w-]+\.js$/)]);
  });
});
