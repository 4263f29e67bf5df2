import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './cli.js';
import { DEMO_CLIENT, DEMO_SEED, DEMO_USERS } from './demo-seed.js';
import type { MoniteEmulator } from './emulator.types.js';
import { buildEmulatorIfStale } from './testing/build-emulator.js';

const BIN = join(process.cwd(), 'libs/monite-emulator/bin/monite-emulator.js');

describe('monite-emulator CLI', () => {
  let stdout: string[];
  let stderr: string[];
  let running: MoniteEmulator | undefined;

  beforeEach(() => {
    stdout = [];
    stderr = [];
    process.exitCode = undefined;
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    await running?.close();
    running = undefined;
    process.exitCode = undefined;
  });

  it('starts on 127.0.0.1 with the demo seed and prints its URL and the demo users', async () => {
    running = await main(['--port', '0', '--quiet']);
    const printed = stdout.join('');
    expect(running?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(printed).toContain(`Monite emulator listening on ${running!.url}`);
    expect(printed).toContain(DEMO_CLIENT.clientId);
    expect(printed).toContain(DEMO_USERS.alice.id);
    expect(printed).toContain('x-monite-version');
  });

  it('loads a seed file and does not print its secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'monite-emulator-cli-'));
    const file = join(dir, 'seed.json');
    const secret = 'canary-secret-4711-do-not-print';
    writeFileSync(
      file,
      JSON.stringify({ ...DEMO_SEED, clients: [{ ...DEMO_CLIENT, clientSecret: secret }] }),
    );
    running = await main(['--port', '0', '--seed', file, '--quiet']);
    const printed = stdout.join('');
    expect(printed).toMatch(/Seed: 1 client\(s\)/);
    expect(printed).not.toContain(secret);
  });

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--token-lifetime', '0']],
    [['--rate-limit', '-1']],
    [['--unknown']],
  ])('refuses bad arguments %j with exit code 2 and a usage hint', async (args) => {
    await expect(main(args)).resolves.toBeUndefined();
    expect(process.exitCode).toBe(2);
    expect(stderr.join('')).toMatch(/^monite-emulator: .*\nRun monite-emulator --help for usage\.\n$/s);
  });

  it('names a port already in use instead of crashing', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(main(['--port', String(port)])).resolves.toBeUndefined();
      expect(process.exitCode).toBe(1);
      expect(stderr.join('')).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('prints help', async () => {
    await expect(main(['--help'])).resolves.toBeUndefined();
    expect(stdout.join('')).toContain('Usage:');
  });
});

describe('monite-emulator bin (a real process)', () => {
  it('serves requests and stops cleanly on SIGTERM', async () => {
    // The bin runs the built CLI.
    buildEmulatorIfStale();
    expect(existsSync(join(process.cwd(), 'libs/monite-emulator/dist/cli.js'))).toBe(true);
    const child = spawn(process.execPath, [BIN, '--port', '0', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed; output: ${output}`)), 15_000);
        child.stdout.on('data', () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      const res = await fetch(`${url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-monite-version': '2024-05-25' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: DEMO_CLIENT.clientId,
          client_secret: DEMO_CLIENT.clientSecret,
        }),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });
    } finally {
      child.kill('SIGTERM');
    }
    await expect(exited).resolves.toBe(0);
    expect(output).toContain('Received SIGTERM, stopping the Monite emulator.');
  }, 120_000);
});
