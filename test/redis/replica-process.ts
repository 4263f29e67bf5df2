/* Starts and talks to replica-app.mjs processes: real, separate Node processes, one Nest app each. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./replica-app.mjs', import.meta.url));

export interface ReplicaSettings {
  adapter: 'express' | 'fastify';
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Without it, the replica keeps tokens in its own memory (the default store). A proxy's port works. */
  redisPort?: number;
  lockTtlMs?: number;
  /** The store's `encryptionKey` list (base64), current first; without it, the derived key. */
  encryptionKeys?: string[];
}

export class Replica {
  /** Everything the process printed (stdout and stderr). */
  output = '';
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  static async spawn(settings: ReplicaSettings): Promise<Replica> {
    const child = fork(ENTRY, [], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH,
        NO_COLOR: '1',
        ADAPTER: settings.adapter,
        MONITE_API_URL: settings.apiUrl,
        MONITE_CLIENT_ID: settings.clientId,
        MONITE_CLIENT_SECRET: settings.clientSecret,
        ...(settings.redisPort === undefined ? {} : { REDIS_PORT: String(settings.redisPort) }),
        ...(settings.lockTtlMs === undefined ? {} : { LOCK_TTL_MS: String(settings.lockTtlMs) }),
        ...(settings.encryptionKeys === undefined
          ? {}
          : { ENCRYPTION_KEYS: settings.encryptionKeys.join(',') }),
      },
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica did not start:\n${output}`)), 30_000);
      child.once('message', (message: { port: number }) => {
        clearTimeout(timer);
        resolve(message.port);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`replica exited with ${code}:\n${output}`));
      });
    });
    const replica = new Replica(child, port);
    replica.output = output;
    child.stdout!.on('data', (chunk: Buffer) => (replica.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (replica.output += chunk.toString()));
    return replica;
  }

  /** GET a JSON body; throws on a non-2xx answer. */
  async get<T>(path: string): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${this.port}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** GET with headers; the status only. */
  async status(path: string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.port}${path}`, { headers });
    await response.arrayBuffer();
    return response.status;
  }

  async token(path: string): Promise<string> {
    return (await this.get<{ accessToken: string }>(path)).accessToken;
  }

  async post(path: string, body: unknown): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** How often the process printed `text`. */
  occurrences(text: string): number {
    return this.output.split(text).length - 1;
  }

  /** Ends the process (SIGKILL by default: no shutdown hook, no lock release) and waits for it. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
