import { connect, type Socket } from 'node:net';

/**
 * Just enough of a Redis client (RESP2 over a socket) for the fault tests to look at the queue's
 * keys and delete them afterwards, without a client library the test workspace does not declare.
 */

export type RedisReply = string | number | null | RedisReply[];

interface Pending {
  resolve(value: RedisReply): void;
  reject(error: Error): void;
}

/** One reply parsed from `buffer` at `offset`, or undefined while it is incomplete. */
function parse(buffer: Buffer, offset: number): { value: RedisReply | Error; next: number } | undefined {
  const end = buffer.indexOf('\r\n', offset);
  if (end < 0) return undefined;
  const type = String.fromCharCode(buffer[offset] as number);
  const line = buffer.toString('utf8', offset + 1, end);
  const next = end + 2;
  if (type === '+') return { value: line, next };
  if (type === '-') return { value: new Error(`redis: ${line}`), next };
  if (type === ':') return { value: Number(line), next };
  if (type === '$') {
    const length = Number(line);
    if (length < 0) return { value: null, next };
    if (buffer.length < next + length + 2) return undefined;
    return { value: buffer.toString('utf8', next, next + length), next: next + length + 2 };
  }
  if (type === '*') {
    const count = Number(line);
    if (count < 0) return { value: null, next };
    const items: RedisReply[] = [];
    let at = next;
    for (let i = 0; i < count; i++) {
      const item = parse(buffer, at);
      if (!item) return undefined;
      if (item.value instanceof Error) return item;
      items.push(item.value);
      at = item.next;
    }
    return { value: items, next: at };
  }
  throw new Error(`redis: unexpected reply type ${JSON.stringify(type)}`);
}

export class RedisConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('redis: connection closed')));
  }

  /** Connects to `redis://host:port[/db]`; rejects with a clear message when nothing answers. */
  static async open(url: string): Promise<RedisConnection> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'redis:') throw new Error(`only redis:// URLs are supported here, not ${parsed.protocol}`);
    const socket = connect({ host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379) });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5_000);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    }).catch((error: unknown) => {
      socket.destroy();
      throw new Error(
        `Redis does not answer at ${parsed.host} (${error instanceof Error ? error.message : String(error)}); ` +
          'start it (.ci/run does) or point AUXIL_TEST_REDIS_URL at one',
      );
    });
    const connection = new RedisConnection(socket);
    if (parsed.password)
      await connection.command('AUTH', ...(parsed.username ? [parsed.username] : []), decodeURIComponent(parsed.password));
    const db = parsed.pathname.replace(/^\//, '');
    if (db !== '') await connection.command('SELECT', db);
    return connection;
  }

  command(...args: string[]): Promise<RedisReply> {
    if (this.failure) return Promise.reject(this.failure);
    const parts = [`*${args.length}\r\n`];
    for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(parts.join(''));
    });
  }

  /** Every key matching `pattern` (SCAN, so a large keyspace is not blocked). */
  async keys(pattern: string): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = (await this.command('SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000')) as [string, string[]];
      for (const key of batch) found.add(key);
      cursor = next;
    } while (cursor !== '0');
    return [...found];
  }

  /** Deletes every key that starts with `prefix`; returns how many there were. */
  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
    for (let i = 0; i < keys.length; i += 500) await this.command('DEL', ...keys.slice(i, i + 500));
    return keys.length;
  }

  close(): void {
    this.failure ??= new Error('redis: connection closed');
    this.socket.end();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    for (;;) {
      const reply = offset < this.buffer.length ? parse(this.buffer, offset) : undefined;
      if (!reply) break;
      offset = reply.next;
      const waiter = this.pending.shift();
      if (reply.value instanceof Error) waiter?.reject(reply.value);
      else waiter?.resolve(reply.value);
    }
    this.buffer = this.buffer.subarray(offset);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(error);
  }
}
