/*
 * `npm start` with no .env: the compiled demo, spawned as its own process in a directory without
 * a .env, starts the emulator in-process, answers within 20 seconds and prints curl lines that
 * work as printed. It is compiled once, into a private folder, so that this test neither needs
 * nor disturbs the libraries' own dist/ folders that other tests and builds use.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = process.cwd();
const BUILD = join(ROOT, 'node_modules', '.cache', 'monite-demo-e2e', randomUUID());
const OUT = join(BUILD, 'out');
const MAIN = join(OUT, 'src', 'main.js');
const CANARY = 'canary-secret-7d1e-never-print-me';

/** Compiles the demo and both libraries from source into OUT, wired up as packages. */
async function buildDemo(): Promise<void> {
  await mkdir(BUILD, { recursive: true });
  const tsconfig = {
    extends: join(ROOT, 'tsconfig.base.json'),
    compilerOptions: {
      rootDir: ROOT,
      outDir: OUT,
      noEmit: false,
      declaration: false,
      sourceMap: false,
      typeRoots: [join(ROOT, 'node_modules/@types')],
      // Type errors are the type-check's business; this test is about starting.
      noCheck: true,
      paths: {
        'nestjs-monite-auth': [join(ROOT, 'libs/monite-auth/src/index.ts')],
        'nestjs-monite-auth/swagger': [join(ROOT, 'libs/monite-auth/src/swagger/index.ts')],
        'monite-emulator': [join(ROOT, 'libs/monite-emulator/src/index.ts')],
        'monite-emulator/domain': [join(ROOT, 'libs/monite-emulator/src/domain.ts')],
      },
    },
    include: [join(ROOT, 'src'), join(ROOT, 'libs/monite-auth/src'), join(ROOT, 'libs/monite-emulator/src')],
    exclude: [
      join(ROOT, 'src/**/*.spec.ts'),
      join(ROOT, 'libs/*/src/**/*.spec.ts'),
      join(ROOT, 'libs/monite-emulator/src/testing'),
    ],
  };
  await writeFile(join(BUILD, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  try {
    await run(process.execPath, [tsc, '-p', join(BUILD, 'tsconfig.json')], { timeout: 200_000 });
  } catch (error) {
    throw new Error(`compiling the demo failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`, {
      cause: error,
    });
  }
  await writeFile(join(OUT, 'package.json'), JSON.stringify({ type: 'module' }));
  await mkdir(join(OUT, 'node_modules'), { recursive: true });
  for (const [name, dir, exports] of [
    [
      'nestjs-monite-auth',
      'libs/monite-auth',
      { '.': './src/index.js', './swagger': './src/swagger/index.js' },
    ],
    ['monite-emulator', 'libs/monite-emulator', { '.': './src/index.js', './domain': './src/domain.js' }],
  ] as const) {
    await writeFile(join(OUT, dir, 'package.json'), JSON.stringify({ name, type: 'module', exports }));
    await symlink(join(OUT, dir), join(OUT, 'node_modules', name), 'dir');
  }
}

/** The environment of a fresh shell: none of the demo's variables set. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(MONITE_|DEMO_|PORT$|HOST$)/.test(name)) delete env[name];
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

async function spawnDemo(cwd: string, extra: Record<string, string>): Promise<Spawned> {
  const child = spawn(process.execPath, [MAIN], { cwd, env: cleanEnv(extra) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves when `pattern` appears in the output; fails after `ms` or when the process exits. */
async function waitFor(spawned: Spawned, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  let exited = false;
  void spawned.exited.then(() => (exited = true));
  for (;;) {
    const match = spawned.output().match(pattern);
    if (match) return match;
    if (exited || Date.now() > deadline) {
      throw new Error(`the demo did not print ${pattern} within ${ms} ms; it printed:\n${spawned.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start with no .env (the compiled demo as a process)', () => {
  let cwd: string;
  let demo: Spawned | undefined;

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'monite-demo-start-'));
    await buildDemo();
  }, 240_000);

  afterEach(async () => {
    if (demo && demo.child.exitCode === null) {
      demo.child.kill('SIGTERM');
      await demo.exited;
    }
    demo = undefined;
  });

  afterAll(async () => {
    await rm(BUILD, { recursive: true, force: true });
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('answers within 20 seconds, prints the URL, the users and curl lines that work as printed', async () => {
    demo = await spawnDemo(cwd, { PORT: '0' });
    const [, baseUrl] = await waitFor(demo, /Demo listening on (http:\/\/127\.0\.0\.1:\d+)/, 20_000);
    await waitFor(demo, /Stop with Ctrl\+C/, 5_000);
    const home = await fetch(`${baseUrl}/`);
    expect(home.status).toBe(200);

    const printed = demo.output();
    expect(printed).toContain(`API docs: ${baseUrl}/docs`);
    expect(printed).toMatch(/carol +AP clerk +Carol Clerk/);
    expect(printed).not.toContain('demo-secret-not-for-production');

    // The printed lines, cookie jars moved to a private folder.
    const commands = printed
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('curl '))
      .map((line) => line.replaceAll('/tmp/', `${cwd}/`));
    expect(commands).toHaveLength(6);
    const answers: Record<string, unknown>[] = [];
    for (const command of commands) {
      const { stdout } = await run('/bin/sh', ['-c', command], { timeout: 15_000 });
      answers.push(JSON.parse(stdout) as Record<string, unknown>);
    }
    const [bob, carol, allowed, denied, ownOnly, logout] = answers;
    expect(bob).toHaveProperty('token');
    expect(carol).toHaveProperty('token');
    expect(allowed).toMatchObject({ status: 'waiting_to_be_paid' });
    expect(denied).toMatchObject({ statusCode: 403, permission: 'payable.approve' });
    expect((ownOnly as { data: unknown[] }).data).toHaveLength(2);
    expect(logout).toEqual({ loggedOut: true, moniteTokenRevoked: true });
  }, 60_000);

  it('stops cleanly on SIGTERM, emulator included', async () => {
    demo = await spawnDemo(cwd, { PORT: '0' });
    const [, emulatorUrl] = await waitFor(demo, /local emulator at (http:\/\/127\.0\.0\.1:\d+\/v1)/, 20_000);
    await waitFor(demo, /Stop with Ctrl\+C/, 5_000);
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    // The in-process emulator went with it.
    await expect(fetch(`${emulatorUrl}/entity_users/me`)).rejects.toThrow();
  }, 60_000);

  it('a bad variable stops the start with a message naming it, never its value', async () => {
    demo = await spawnDemo(cwd, {
      PORT: '0',
      MONITE_SECURITY_MODEL: 'everyone-is-admin',
      MONITE_CLIENT_SECRET: CANARY,
    });
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toMatch(
      /Cannot start: Invalid configuration: .*MONITE_SECURITY_MODEL must be monite-managed, partner-managed or hybrid/,
    );
    // One clear line, not a stack trace.
    expect(demo.output()).not.toMatch(/\n\s+at /);
    expect(demo.output()).not.toContain(CANARY);
    expect(demo.output()).not.toContain('Demo listening');
  }, 60_000);
});
