import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueEmail, useTestApp } from '../support/test-app.js';

// A stand-in for `npm run build`: the folders must exist before useTestApp builds the app.
const INDEX_HTML =
  '<!doctype html><html lang="en"><head><title>Todo</title><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>';
const APP_JS = 'document.getElementById("root").textContent = "Todo";\n';
const webDir = mkdtempSync(path.join(tmpdir(), 'todo-web-'));
mkdirSync(path.join(webDir, 'assets'));
writeFileSync(path.join(webDir, 'index.html'), INDEX_HTML);
writeFileSync(path.join(webDir, 'assets', 'app-abc123.js'), APP_JS);
const emptyWebDir = mkdtempSync(path.join(tmpdir(), 'todo-web-empty-'));

afterAll(() => {
  rmSync(webDir, { recursive: true, force: true });
  rmSync(emptyWebDir, { recursive: true, force: true });
});

const ctx = useTestApp({ WEB_DIR: webDir });

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const NOT_FOUND = { error: 'Not found', code: 'not_found' };

const get = (url: string, headers: Record<string, string> = HTML) => ctx.app.inject({ method: 'GET', url, headers });

function expectPage(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/html/);
  expect(response.body).toBe(INDEX_HTML);
  expect(response.headers['cache-control']).toBe('no-cache');
}

function expectJsonError(response: LightMyRequestResponse, status: number, body: object) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.json()).toEqual(body);
  expect(response.body).not.toContain('<!doctype html>');
}

/** The Content-Security-Policy as a map from directive to its sources. */
function cspOf(response: LightMyRequestResponse): Map<string, string[]> {
  const header = response.headers['content-security-policy'];
  expect(typeof header).toBe('string');
  return new Map(
    (header as string)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

describe('the single-page app', () => {
  it('serves index.html at / for a browser', async () => {
    expectPage(await get('/'));
  });

  it.each(['/dashboard', '/auth/signin', '/auth/signup', '/dashboard?filter=pending'])(
    'answers the client route %s with the same index.html, not cached without revalidation',
    async (url) => {
      expectPage(await get(url));
    },
  );

  it('serves a hashed asset with a long, immutable cache lifetime', async () => {
    const response = await get('/assets/app-abc123.js', { accept: '*/*' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.body).toBe(APP_JS);
    const cacheControl = String(response.headers['cache-control']);
    expect(cacheControl).toContain('immutable');
    expect(cacheControl).toContain('max-age=31536000');
  });

  it('answers a missing asset with 404 not_found JSON, not the page', async () => {
    expectJsonError(await get('/assets/app-gone999.js', { accept: '*/*' }), 404, NOT_FOUND);
  });

  it('does not answer a client route with the page when the client asks for JSON', async () => {
    expectJsonError(await get('/dashboard', { accept: 'application/json' }), 404, NOT_FOUND);
  });
});

describe('API paths next to the single-page app', () => {
  it.each(['/api/nope', '/api', '/api/auth/nope', '/health/nope'])(
    'answers GET %s with 404 not_found JSON even when the client accepts text/html',
    async (url) => {
      expectJsonError(await get(url), 404, NOT_FOUND);
    },
  );

  it('answers POST /dashboard with 404 not_found JSON, not the page', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/dashboard',
      headers: HTML,
      payload: { title: 'x' },
    });
    expectJsonError(response, 404, NOT_FOUND);
  });

  it('answers GET /api/auth/signup with 405 method_not_allowed and Allow: POST, even for a browser', async () => {
    const response = await get('/api/auth/signup');
    expect(response.statusCode).toBe(405);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json().code).toBe('method_not_allowed');
    expect(response.headers.allow).toBe('POST');
  });

  it('still answers the API with JSON: signup 201 and GET /health 200', async () => {
    const signup = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Web', email: uniqueEmail('web'), password: 'correct horse battery' },
    });
    expect(signup.statusCode).toBe(201);
    expect(signup.json().token).toEqual(expect.any(String));
    const health = await get('/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
  });
});

describe('security headers on the page', () => {
  it.each([
    ['/', HTML],
    ['/dashboard', HTML],
    ['/assets/app-abc123.js', { accept: '*/*' }],
  ])('GET %s carries a CSP that allows only our own origin, no inline script and no framing', async (url, headers) => {
    const response = await get(url, headers);
    expect(response.statusCode).toBe(200);
    const csp = cspOf(response);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    // No directive that governs scripts may let inline or foreign script run.
    for (const directive of ['default-src', 'script-src', 'script-src-elem', 'script-src-attr']) {
      const sources = csp.get(directive) ?? [];
      expect(sources).not.toContain("'unsafe-inline'");
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources).not.toContain('*');
    }
  });

  it.each([
    ['/', HTML],
    ['/auth/signin', HTML],
    ['/assets/app-abc123.js', { accept: '*/*' }],
  ])('GET %s forbids MIME sniffing, sets a Referrer-Policy and does not advertise the server', async (url, headers) => {
    const response = await get(url, headers);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // None of these sends a page's path to other sites.
    expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']).toContain(
      response.headers['referrer-policy'],
    );
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('without a web app build', () => {
  const apiOnly = useTestApp({ WEB_DIR: emptyWebDir });

  it.each(['/', '/dashboard'])('answers GET %s with 404 not_found JSON', async (url) => {
    const response = await apiOnly.app.inject({ method: 'GET', url, headers: HTML });
    expectJsonError(response, 404, NOT_FOUND);
  });

  it('still serves the API', async () => {
    const response = await apiOnly.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { name: 'Api Only', email: uniqueEmail('apionly'), password: 'correct horse battery' },
    });
    expect(response.statusCode).toBe(201);
    const me = await apiOnly.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${response.json().token}` },
    });
    expect(me.statusCode).toBe(200);
  });
});
