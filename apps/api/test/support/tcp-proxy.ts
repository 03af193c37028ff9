import net from 'node:net';

export interface TcpProxy {
  /** The local port clients connect to; it stays the same across stop() and start(). */
  readonly port: number;
  /** Stops listening and cuts every open connection, as if the server behind had gone away. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /**
   * A partition: connections stay open and new ones are accepted, but no byte passes either way until
   * thaw(), as when a network drops packets instead of refusing them.
   */
  freeze(): void;
  /** Lets bytes pass again, those held back first. */
  thaw(): void;
}

/**
 * A TCP forwarder from 127.0.0.1:<port> to a target, so a test can take "the database" away and bring it
 * back without touching the real server.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const links = new Set<[net.Socket, net.Socket]>();
  let server: net.Server | undefined;
  let port = 0;
  let frozen = false;

  const connect = ([client, upstream]: [net.Socket, net.Socket]) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const disconnect = ([client, upstream]: [net.Socket, net.Socket]) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        track(client);
        track(upstream);
        // Either side failing ends both, as a real network failure would.
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        const link: [net.Socket, net.Socket] = [client, upstream];
        links.add(link);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => links.delete(link));
        if (!frozen) connect(link);
      });
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject);
        port = (next.address() as net.AddressInfo).port;
        server = next;
        resolve();
      });
    });

  await listen();

  return {
    get port() {
      return port;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      const closed = new Promise<void>((resolve) => current.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async start() {
      if (server) return;
      await listen();
    },
    freeze() {
      if (frozen) return;
      frozen = true;
      links.forEach(disconnect);
    },
    thaw() {
      if (!frozen) return;
      frozen = false;
      links.forEach(connect);
    },
  };
}
