/*
 * The published package, as a user gets it: `npm pack --workspace nestjs-monite-auth` builds the
 * library and writes the tarball; a separate application in a temporary directory installs that
 * tarball by package name, type-checks against its .d.ts with tsc, and gets a partner and an
 * entity-user token from a running emulator through forRootAsync + ConfigService.
 *
 * Peer dependencies (@nestjs/*, rxjs, axios, reflect-metadata) come from this repository's
 * node_modules, reached through a `node_modules` symlink in the temporary directory's root (one
 * level above the app), so the app's own node_modules holds only what the tarball installed.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEMO_CLIENT, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const TOKEN_ROUTE = 'POST /v1/auth/token';

/** The environment without what `npm test` sets for its own package, so nested npm runs are clean. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|config_workspace)/i.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

describe('packed nestjs-monite-auth in a separate Nest application', () => {
  let workDir: string;
  let appDir: string;
  let packed: PackResult;
  let emulator: MoniteEmulator;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'monite-auth-consumer-'));
    appDir = join(workDir, 'app');
    const [emulatorStarted, pack] = await Promise.all([
      startMoniteEmulator({ port: 0 }),
      // prepack builds the library from its sources: no pre-built dist needed.
      run('npm', ['pack', '--workspace', 'nestjs-monite-auth', '--pack-destination', workDir, '--json'], {
        cwd: ROOT,
        env: cleanEnv(),
        maxBuffer: 16 * 1024 * 1024,
      }),
    ]);
    emulator = emulatorStarted;
    [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as PackResult[];

    symlinkSync(join(ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
    cpSync(join(ROOT, 'test/packed-consumer/consumer-app/main.ts'), join(appDir, 'src/main.ts'));
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({ name: 'monite-consumer', private: true, type: 'module' }),
    );
    writeFileSync(
      join(appDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          types: ['node'],
          rootDir: 'src',
          outDir: 'dist',
        },
        include: ['src'],
      }),
    );
    const tarball = join(workDir, packed.filename);
    const install = ['install', '--no-audit', '--no-fund', '--no-package-lock', '--legacy-peer-deps'];
    // The library's own dependencies (lru-cache, zod) come from npm's cache; online only if missing.
    await run('npm', [...install, '--offline', tarball], { cwd: appDir, env: cleanEnv() }).catch(() =>
      run('npm', [...install, '--prefer-offline', tarball], { cwd: appDir, env: cleanEnv() }),
    );
  }, 120_000);

  afterAll(async () => {
    await emulator?.close();
    if (workDir !== undefined) {
      // The symlink first, so removing the directory can never reach this repository's node_modules.
      if (existsSync(join(workDir, 'node_modules'))) unlinkSync(join(workDir, 'node_modules'));
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('the tarball holds ESM code, type declarations, the README and the docs it links to; no sources or specs', () => {
    const paths = packed.files.map((file) => file.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'docs/permissions.md',
        'docs/replicas.md',
        'dist/index.js',
        'dist/index.d.ts',
      ]),
    );
    expect(paths.filter((path) => path.startsWith('src/') || /\.spec\./.test(path))).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(join(appDir, 'node_modules/nestjs-monite-auth/package.json'), 'utf8'),
    ) as { type: string; exports: Record<string, { types: string; import: string }> };
    expect(manifest.type).toBe('module');
    expect(manifest.exports['.']).toMatchObject({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(readFileSync(join(appDir, 'node_modules/nestjs-monite-auth/dist/index.js'), 'utf8')).toMatch(
      /^export /m,
    );
  });

  it('the app type-checks against the installed .d.ts and gets partner and entity-user tokens from the emulator', async () => {
    // tsc resolves 'nestjs-monite-auth' to app/node_modules (the tarball), before any other copy.
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: appDir, env: cleanEnv() });

    const alice = DEMO_USERS.alice.id;
    const { stdout } = await run(process.execPath, ['dist/main.js'], {
      cwd: appDir,
      env: cleanEnv({
        MONITE_CLIENT_ID: DEMO_CLIENT.clientId,
        MONITE_CLIENT_SECRET: DEMO_CLIENT.clientSecret,
        MONITE_API_URL: emulator.url,
        MONITE_ENTITY_USER_ID: alice,
      }),
    });
    const report = JSON.parse(stdout) as {
      resolvedFrom: string;
      partner: { accessToken: string; tokenType: string; expiresAt: number };
      user: { accessToken: string; tokenType: string; expiresAt: number };
    };

    // The installed copy ran, not this repository's workspace link.
    expect(fileURLToPath(report.resolvedFrom)).toContain(join(appDir, 'node_modules', 'nestjs-monite-auth'));
    expect(report.partner).toMatchObject({ tokenType: 'Bearer', expiresAt: expect.any(Number) });
    expect(report.user.accessToken).not.toBe(report.partner.accessToken);
    expect(emulator.count(TOKEN_ROUTE)).toBe(2);
    // Monite (the emulator) says whose token the user token is.
    const me = await fetch(`${emulator.url}/entity_users/me`, {
      headers: { authorization: `Bearer ${report.user.accessToken}`, 'x-monite-version': '2024-05-25' },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(alice);
  }, 60_000);
});
