/*
 * A real redis-server for the Redis specs, started on a free loopback port with no persistence and
 * stopped afterwards. CI installs the Debian package; without it these specs fail loudly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

const REDIS_SERVER = 'redis-server';

/** A free TCP port on 127.0.0.1 (picked by the OS, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Throws a clear message when redis-server is not installed (never a silent skip). */
export function assertRedisServerInstalled(): void {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'redis-server is not on PATH: the Redis token store specs need a real one ' +
        '(Debian/Ubuntu: apt-get install -y redis-server).',
    );
  }
}

/** One redis-server process on a fixed port; `stop()` and `start()` again keep the port. */
export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    assertRedisServerInstalled();
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  async start(): Promise<void> {
    if (this.process !== undefined) return;
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = performance.now() + 10_000;
    while (!output.includes('Ready to accept connections')) {
      if (child.exitCode !== null || performance.now() > deadline) {
        this.process = undefined;
        child.kill('SIGKILL');
        throw new Error(`redis-server did not start on port ${this.port}:\n${output.slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Stops the server (SIGKILL: like a crash, nothing flushed) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined) return;
    this.process = undefined;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /**
   * A new ioredis client on this server, or on `port` (a proxy in front of it); close it with
   * `quit()` or `disconnect()`.
   */
  client(options: { commandTimeout?: number; port?: number; password?: string } = {}): Redis {
    const client = new Redis({ host: '127.0.0.1', port: this.port, ...options });
    // Connection errors while a spec stops the server are expected; ioredis would print them.
    client.on('error', () => undefined);
    return client;
  }
}
