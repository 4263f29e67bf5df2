/*
 * A TCP proxy on loopback between Redis clients and a redis-server, for injected latency: when a
 * client sends bytes holding a marker (say, a key name only a write uses), that client's traffic to
 * the server is held for a while, the marked command and everything after it, in order, as a slow
 * link would. Replies flow back untouched. Commands are never reordered or lost, so the client's
 * reply matching stays right; a command its sender gave up on still lands, late. `cut()` takes the
 * link down for its clients alone (a partition), `restore()` brings it back.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface HoldRule {
  marker: Buffer;
  ms: number;
  /** How many more matches to hold; the rule goes after that. */
  remaining: number;
}

export class LatencyProxy {
  /** Marked commands held so far, and how many of them reached the server. */
  held = 0;
  released = 0;
  private readonly sockets = new Set<Socket>();
  private rules: HoldRule[] = [];
  private down = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free loopback port and forwards to `127.0.0.1:targetPort`. */
  static async start(targetPort: number): Promise<LatencyProxy> {
    let proxy: LatencyProxy | undefined;
    const server = createServer((client) => proxy!.connect(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    proxy = new LatencyProxy(server, address.port);
    return proxy;
  }

  /** Holds a client's traffic for `ms` when it sends `marker`, the next `times` times. */
  holdWhen(marker: string, ms: number, times = 1): void {
    this.rules.push({ marker: Buffer.from(marker), ms, remaining: times });
  }

  /** Resolves once every held command has been passed on to the server. */
  async drained(): Promise<void> {
    while (this.released < this.held) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Drops every connection and refuses new ones until `restore()`. */
  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private connect(client: Socket, targetPort: number): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    // Client -> server goes through a queue, so a held chunk delays everything after it.
    let queue: Promise<void> = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      const rule = this.rules.find((candidate) => chunk.includes(candidate.marker));
      if (rule !== undefined && --rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      if (rule !== undefined) this.held++;
      queue = queue.then(async () => {
        if (rule !== undefined) await new Promise((resolve) => setTimeout(resolve, rule.ms));
        if (!upstream.destroyed) upstream.write(chunk);
        if (rule !== undefined) this.released++;
      });
    });
  }
}
