import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { signUpUser, useTestApp } from '../support/test-app.js';
import { taskApi } from '../support/task-api.js';

// Built files go out as the build compressed them (a .br and a .gz beside each); API answers of 1 KB
// and more are compressed as they leave, except the auth routes, whose answers carry tokens (BREACH).

const INDEX_HTML = `<!doctype html><html lang="en"><head><title>Todo</title></head><body>${'<p>x</p>'.repeat(40)}</body></html>`;
const APP_JS = `console.log(${JSON.stringify('todo '.repeat(400))});\n`;
const webDir = mkdtempSync(path.join(tmpdir(), 'todo-web-compressed-'));
mkdirSync(path.join(webDir, 'assets'));
for (const [file, text] of [
  ['index.html', INDEX_HTML],
  ['assets/app-abc123.js', APP_JS],
]) {
  const target = path.join(webDir, file!);
  writeFileSync(target, text!);
  writeFileSync(`${target}.br`, brotliCompressSync(text!));
  writeFileSync(`${target}.gz`, gzipSync(text!));
}
afterAll(() => rmSync(webDir, { recursive: true, force: true }));

const ctx = useTestApp({ WEB_DIR: webDir });

const get = (url: string, headers: Record<string, string>) =>
  ctx.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });

function decoded(response: LightMyRequestResponse): string {
  const body = response.rawPayload;
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
  expect(encoding ?? 'identity').toBe('identity');
  return body.toString('utf8');
}

const varies = (response: LightMyRequestResponse) =>
  String(response.headers.vary ?? '')
    .toLowerCase()
    .includes('accept-encoding');

describe('the built web app', () => {
  it.each([
    ['br', 'gzip, deflate, br', 'br'],
    ['gzip', 'gzip, deflate', 'gzip'],
  ])('sends an asset as its precompressed %s copy to a browser that accepts it', async (_name, accept, encoding) => {
    const response = await get('/assets/app-abc123.js', { 'accept-encoding': accept });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(varies(response)).toBe(true);
    expect(response.rawPayload.length).toBeLessThan(APP_JS.length / 4);
    expect(decoded(response)).toBe(APP_JS);
  });

  it('sends the file itself, still varying on Accept-Encoding, to a client that accepts no encoding', async () => {
    const response = await get('/assets/app-abc123.js', {});
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe(APP_JS);
    expect(varies(response)).toBe(true);
  });

  it('sends index.html compressed, both at its own path and for a client-side route', async () => {
    for (const url of ['/', '/dashboard', '/auth/signin?next=%2Fdashboard']) {
      const response = await get(url, { 'accept-encoding': 'br' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-encoding']).toBe('br');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(decoded(response)).toBe(INDEX_HTML);
    }
  });

  it('does not serve the compressed copies as files of their own', async () => {
    for (const url of ['/assets/app-abc123.js.br', '/assets/app-abc123.js.gz', '/index.html.br']) {
      const response = await get(url, { accept: '*/*' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'Not found', code: 'not_found' });
    }
  });

  it('answers a Range in the bytes of the copy it sends, as HTTP ranges count the encoded representation', async () => {
    const brotli = brotliCompressSync(APP_JS);
    const response = await get('/assets/app-abc123.js', { 'accept-encoding': 'br', range: 'bytes=0-9' });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-range']).toBe(`bytes 0-9/${brotli.length}`);
    expect(response.rawPayload).toEqual(brotli.subarray(0, 10));
    const plain = await get('/assets/app-abc123.js', { range: 'bytes=0-9' });
    expect(plain.headers['content-range']).toBe(`bytes 0-9/${APP_JS.length}`);
    expect(plain.body).toBe(APP_JS.slice(0, 10));
  });
});

describe('API answers', () => {
  it('compresses a page of tasks of 1 KB or more for a client that accepts brotli', async () => {
    const user = await signUpUser(ctx.app);
    const tasks = taskApi(ctx.app, user);
    for (let i = 0; i < 10; i++) await tasks.create({ title: `Task number ${i} with a longer title` });
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/${user.id}/tasks`,
      headers: { ...user.auth, 'accept-encoding': 'br' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(varies(response)).toBe(true);
    const body = JSON.parse(decoded(response));
    expect(body).toHaveLength(10);
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
  });

  it('leaves an answer under 1 KB as it is', async () => {
    const user = await signUpUser(ctx.app);
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/${user.id}/tasks`,
      headers: { ...user.auth, 'accept-encoding': 'br, gzip' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.json()).toEqual([]);
  });

  it('never compresses an auth answer, however large, since it may carry a token', async () => {
    const user = await signUpUser(ctx.app);
    // Enough sign-ins for the list of sessions and of events to pass 1 KB.
    for (let i = 0; i < 8; i++) {
      const signIn = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/signin',
        headers: { 'accept-encoding': 'br, gzip' },
        payload: { email: user.email, password: user.password },
      });
      expect(signIn.statusCode).toBe(200);
      expect(signIn.headers['content-encoding']).toBeUndefined();
    }
    for (const url of ['/api/auth/sessions', '/api/auth/events']) {
      const response = await ctx.app.inject({
        method: 'GET',
        url,
        headers: { ...user.auth, 'accept-encoding': 'br, gzip' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.length).toBeGreaterThan(1024);
      expect(response.headers['content-encoding']).toBeUndefined();
    }
  });
});
