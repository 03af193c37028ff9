import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type TestContext } from '../support/test-app.js';

// Slow clients, over a real socket: Fastify's default request timeout is none, so a client that sent
// its headers and then trickled its body one byte every 10 s held its socket for ever, and ~1,100 of
// them made the server unreachable. Each app here listens on a port of its own.

const REQUEST_TIMED_OUT = { error: 'The request took too long to arrive', code: 'request_timeout' };
const HEALTH = 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n';

interface Client {
  socket: net.Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves with the milliseconds from connecting to the socket closing. */
  closed: Promise<number>;
  /** Sends one request and waits until the answer holds `until`. */
  ask(request: string, until: string): Promise<void>;
}

/** The port an app listens on: a free one, picked for it before its tests. */
function listenOnAPort(ctx: TestContext): () => number {
  let port = 0;
  beforeAll(async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as AddressInfo).port;
  });
  return () => port;
}

// A failing test must not leave sockets open: the app would wait for them when it closes.
const sockets = new Set<net.Socket>();
afterEach(() => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
});

async function connect(port: number): Promise<Client> {
  const socket = net.connect(port, '127.0.0.1');
  sockets.add(socket);
  const opened = Date.now();
  let data = '';
  const watchers = new Set<() => void>();
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    data += chunk;
    for (const watch of watchers) watch();
  });
  socket.on('error', () => {}); // a reset is one way of being closed
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => data,
    closed,
    ask: (request, until) =>
      new Promise<void>((resolve, reject) => {
        const from = data.length;
        const watch = () => {
          if (!data.slice(from).includes(until)) return;
          watchers.delete(watch);
          resolve();
        };
        watchers.add(watch);
        void closed.then(() => reject(new Error(`closed before answering; received ${JSON.stringify(data)}`)));
        socket.write(request);
      }),
  };
}

/** Writes `chunk` every `everyMs` until the socket closes: a client trickling its request. */
function trickle(client: Client, chunk: string, everyMs = 200): void {
  const timer = setInterval(() => client.socket.write(chunk), everyMs);
  void client.closed.then(() => clearInterval(timer));
}

/** The JSON body of the one raw HTTP answer received. */
function bodyOf(raw: string): unknown {
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
}

const stillOpenAfter = (client: Client, ms: number) =>
  Promise.race([client.closed.then(() => false), new Promise<boolean>((resolve) => setTimeout(resolve, ms, true))]);

describe('a client that takes too long to send its request (REQUEST_TIMEOUT 1 s)', () => {
  const ctx = useTestApp({ REQUEST_TIMEOUT: 1 });
  const port = listenOnAPort(ctx);

  it.each<[string, (client: Client) => void]>([
    ['connects and sends nothing', () => {}],
    [
      'sends half its headers, then one more header line every 200 ms',
      (client) => {
        client.socket.write('POST /api/auth/signin HTTP/1.1\r\nHost: localhost\r\n');
        trickle(client, 'X-Slow: 1\r\n');
      },
    ],
    [
      'sends its headers and part of its body, then one byte every 200 ms',
      (client) => {
        client.socket.write(
          'POST /api/auth/signin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
            'Content-Length: 65536\r\n\r\n{"email":"',
        );
        trickle(client, 'a');
      },
    ],
  ])('is answered 408 request_timeout and its socket closed within 2 s when it %s', async (_case, behave) => {
    const client = await connect(port());

    behave(client);
    const closedAfterMs = await client.closed;

    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(2_500);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(client.received()).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    expect(client.received()).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    expect(bodyOf(client.received())).toEqual(REQUEST_TIMED_OUT);
  });

  it('keeps the socket of a client that sent its whole request in time, for the next one', async () => {
    const client = await connect(port());
    await client.ask(HEALTH, '{"status":"ok"}');

    expect(await stillOpenAfter(client, 2_000)).toBe(true);
    await client.ask(HEALTH, '{"status":"ok"}'); // answered again on the same socket
  });
});

describe('connection limits', () => {
  describe('with the defaults', () => {
    const ctx = useTestApp();

    it('sets a 30 s request timeout, a 10 s headers timeout, a 72 s keep-alive and 4096 connections in all', () => {
      const server = ctx.app.server;
      expect({
        requestTimeout: server.requestTimeout,
        headersTimeout: server.headersTimeout,
        keepAliveTimeout: server.keepAliveTimeout,
        maxConnections: server.maxConnections,
      }).toEqual({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 72_000, maxConnections: 4096 });
    });
  });

  // The ways one client could take every slot: many sockets from one address, or, behind a proxy
  // (where the peer is the proxy and only the total applies), more sockets than the server allows.
  describe.each([
    ['from one address (MAX_CONNECTIONS_PER_ADDRESS 3)', { MAX_CONNECTIONS_PER_ADDRESS: 3 }],
    [
      'in all, behind a proxy (MAX_CONNECTIONS 3, TRUST_PROXY true)',
      { MAX_CONNECTIONS: 3, TRUST_PROXY: true as const },
    ],
  ])('at most 3 open connections %s', (_case, overrides) => {
    const ctx = useTestApp(overrides);
    const port = listenOnAPort(ctx);

    it('closes a 4th connection at once, unanswered, and accepts one again once a connection has closed', async () => {
      const held = [];
      for (let index = 0; index < 3; index++) {
        const client = await connect(port());
        await client.ask(HEALTH, '{"status":"ok"}'); // accepted and answered: the server counts it
        held.push(client);
      }

      const fourth = await connect(port());
      expect(await fourth.closed).toBeLessThan(1_000);
      expect(fourth.received()).toBe('');

      held.shift()!.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100)); // the server sees the close
      const next = await connect(port());
      await next.ask(HEALTH, '{"status":"ok"}');
    });
  });
});
