import type { Page } from 'playwright-core';

export interface Transfer {
  url: string;
  /** Chromium's resource type: Document, Script, Stylesheet, Fetch, … */
  type?: string;
  renderBlocking?: 'Blocking' | 'InBodyParserBlocking' | 'NonBlocking' | 'NonBlockingDynamic' | 'PotentiallyBlocking';
  encoding?: string;
  /** Bytes on the wire, headers included; set once the request has finished. */
  bytes?: number;
}

export function recordTransfers(page: Page): Promise<Map<string, Transfer>>;
export function visit(page: Page, path: string): Promise<Transfer[]>;
