// What a first visit to the web app costs on the wire, as Chromium counts it (the DevTools protocol):
// each request with its type, encoding, render-blocking behaviour and bytes, headers included. The
// budget test (apps/web/e2e/first-visit-budget.test.ts) holds it; run as a script it prints them:
//   node tools/first-visit.mjs http://127.0.0.1:3000
import { fileURLToPath } from 'node:url';

/** Every request the page makes from now on, filled in as Chromium learns about it. */
export async function recordTransfers(page) {
  const cdp = await page.context().newCDPSession(page);
  const transfers = new Map();
  cdp.on('Network.requestWillBeSent', (event) => {
    transfers.set(event.requestId, {
      url: event.request.url,
      type: event.type,
      renderBlocking: event.renderBlockingBehavior,
    });
  });
  cdp.on('Network.responseReceived', (event) => {
    const header = Object.entries(event.response.headers).find(([name]) => name.toLowerCase() === 'content-encoding');
    const transfer = transfers.get(event.requestId);
    if (transfer) transfer.encoding = header?.[1];
  });
  cdp.on('Network.loadingFinished', (event) => {
    const transfer = transfers.get(event.requestId);
    if (transfer) transfer.bytes = event.encodedDataLength;
  });
  await cdp.send('Network.enable');
  return transfers;
}

/** Opens `path` in the page and waits until the network has been quiet for half a second. */
export async function visit(page, path) {
  const transfers = await recordTransfers(page);
  await page.goto(path, { waitUntil: 'networkidle' });
  return [...transfers.values()];
}

async function main(baseUrl) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await (await browser.newContext({ baseURL: baseUrl })).newPage();
    const transfers = await visit(page, '/');
    for (const { url, type, encoding, renderBlocking, bytes } of transfers) {
      console.log(
        [String(bytes).padStart(8), type, encoding ?? 'identity', renderBlocking, new URL(url).pathname].join('  '),
      );
    }
    console.log(`${String(transfers.reduce((sum, t) => sum + (t.bytes ?? 0), 0)).padStart(8)}  in all`);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv[2] ?? 'http://127.0.0.1:3000');
