import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureStdoutLog, type LogCapture } from '../support/log-capture.js';
import { useTestApp } from '../support/test-app.js';

// What @fastify/static and @fastify/send refuse (the web app's files and the /docs page's) is the
// client's mistake: it keeps its status in the contract's shape, and the log says so at info level.

const ASSET = 'x'.repeat(100);
const webDir = mkdtempSync(path.join(tmpdir(), 'todo-web-'));
mkdirSync(path.join(webDir, 'assets'));
writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Todo</title>');
writeFileSync(path.join(webDir, 'assets', 'app-abc123.js'), ASSET);

let log: LogCapture;
// Registered before the app is built, so the app's logger writes into the capture.
beforeAll(() => {
  log = captureStdoutLog();
});
afterAll(() => {
  log?.restore();
  rmSync(webDir, { recursive: true, force: true });
});

const ctx = useTestApp({ WEB_DIR: webDir, LOG_LEVEL: 'info' });

/** The log lines of one request, by its id. */
const linesOf = (requestId: unknown) => log.lines().filter((line) => line.reqId === requestId);

const NOT_FOUND = { error: 'Not found', code: 'not_found' };
const RANGE = { error: 'The requested range is not within the file', code: 'range_not_satisfiable' };
const PRECONDITION = { error: "The file does not meet the request's conditions", code: 'precondition_failed' };
const CSS = '/docs/static/index.css';

const refusals: Array<[string, string, Record<string, string>, number, object, string | undefined]> = [
  ['an empty path segment (a traversal refusal)', '/docs/static//index.css', {}, 404, NOT_FOUND, undefined],
  ['a backslash traversal', '/docs/static/a/..%5c..%5cpackage.json', {}, 404, NOT_FOUND, undefined],
  ['a NUL in the path', '/docs/static/%00', {}, 404, NOT_FOUND, undefined],
  ['a Range past the end of an asset', '/assets/app-abc123.js', { range: 'bytes=500-600' }, 416, RANGE, 'bytes */100'],
  ['a Range that ends before it starts', '/assets/app-abc123.js', { range: 'bytes=50-10' }, 416, RANGE, 'bytes */100'],
  ['a Range past the end of a /docs file', CSS, { range: 'bytes=99999999-' }, 416, RANGE, expect.any(String)],
  ['an If-Match that does not match', '/assets/app-abc123.js', { 'if-match': '"nope"' }, 412, PRECONDITION, undefined],
  [
    'an If-Unmodified-Since in the past',
    '/assets/app-abc123.js',
    { 'if-unmodified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' },
    412,
    PRECONDITION,
    undefined,
  ],
];

describe('files the static server refuses', () => {
  it.each(refusals)(
    'answers %s with its own status in the contract shape, logged at info',
    async (_case, url, headers, status, body, contentRange) => {
      const response = await ctx.app.inject({ method: 'GET', url, headers });
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual(body);
      expect(response.headers['content-range']).toEqual(contentRange);
      const lines = linesOf(response.headers['x-request-id']);
      expect(lines.filter((line) => Number(line.level) >= 40)).toEqual([]);
      expect(lines.find((line) => line.msg === 'request refused')).toMatchObject({ level: 30 });
      expect(JSON.stringify(lines)).not.toContain('"stack"');
    },
  );

  it('still serves a Range it can satisfy', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { range: 'bytes=0-9' },
    });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe('bytes 0-9/100');
    expect(response.body).toBe(ASSET.slice(0, 10));
  });
});

describe('a client that hangs up while sending its body', () => {
  it('is not an error in the log', async () => {
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const before = log.lines().length;
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /api/auth/signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
            'Content-Length: 1000\r\n\r\n{"name":"Half a bo',
        );
        // Hang up only once the server holds the request: on a busy machine a fixed delay can end the
        // connection before any request exists, and then there is nothing to log.
        void expect
          .poll(
            () =>
              log
                .lines()
                .slice(before)
                .some((line) => line.msg === 'incoming request'),
            { timeout: 10_000 },
          )
          .toBe(true)
          .then(() => socket.destroy(), reject);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const lines = () => log.lines().slice(before);
    await expect
      .poll(
        () => lines().some((line) => line.msg === 'the client closed the connection before its request was complete'),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(lines().filter((line) => Number(line.level) >= 40)).toEqual([]);
  });
});
