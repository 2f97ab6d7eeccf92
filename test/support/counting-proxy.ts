import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a client and a real server that counts what the client sends: bytes, and
 * HTTP requests by method and path (read from the request lines on the wire). Tests measure a
 * client's traffic with it without trusting the client's own account; the upstream port can be
 * changed while it runs, and `reset` starts a new count.
 */
export class CountingProxy {
  bytes = 0;
  /** `METHOD /path` (query left out) → requests seen. */
  readonly requests = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private tail = '';

  private constructor(
    private readonly server: Server,
    private upstreamPort: number,
  ) {}

  static async start(upstreamPort: number): Promise<CountingProxy> {
    const server = createServer();
    const proxy = new CountingProxy(server, upstreamPort);
    server.on('connection', (client) => proxy.relay(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Requests whose `METHOD /path` matches. */
  count(pattern: RegExp): number {
    let total = 0;
    for (const [request, count] of this.requests) if (pattern.test(request)) total += count;
    return total;
  }

  reset(): void {
    this.bytes = 0;
    this.requests.clear();
  }

  /** Drops every relayed connection, as a server that died would. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.scan(chunk.toString('latin1'));
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }

  /** Counts request lines; a line cut between two chunks is completed by the next one. */
  private scan(text: string): void {
    const joined = this.tail + text;
    let counted = 0;
    for (const match of joined.matchAll(/(GET|PUT|POST|DELETE) (\/[^ ?\r\n]*)[^ \r\n]* HTTP\/1\.1\r\n/g)) {
      const key = `${match[1]} ${decodeURIComponent(match[2] as string)}`;
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      counted = (match.index ?? 0) + match[0].length;
    }
    // What was not counted yet and may be the start of a request line split across chunks.
    this.tail = joined.slice(Math.max(counted, joined.length - 200));
  }
}
