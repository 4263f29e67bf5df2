/*
 * The published package, as a user gets it: `npm pack` builds the emulator and writes the tarball;
 * a separate project in a temporary directory installs that tarball (and zod, from npm's cache or
 * the registry), runs its `monite-emulator` bin, and type-checks and runs a TypeScript file that
 * imports `startMoniteEmulator` and `monite-emulator/domain` from the installed package.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

/** The environment without what `npm test` sets for its own package, so nested npm runs are clean. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|config_workspace)/i.test(name)) delete env[name];
  }
  return env;
}

describe('packed monite-emulator in a separate project', () => {
  let workDir: string;
  let appDir: string;
  let files: string[];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'monite-emulator-consumer-'));
    appDir = join(workDir, 'app');
    mkdirSync(join(appDir, 'src'), { recursive: true });
    // prepack builds the emulator from its sources.
    const pack = await run(
      'npm',
      ['pack', '--workspace', 'monite-emulator', '--pack-destination', workDir, '--json'],
      {
        cwd: ROOT,
        env: cleanEnv(),
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = packed!.files.map((f) => f.path);
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({ name: 'emulator-user', private: true, type: 'module' }),
    );
    const install = ['install', '--no-audit', '--no-fund', '--no-package-lock', '-D'];
    const tarball = join(workDir, packed!.filename);
    await run('npm', [...install, '--offline', tarball], { cwd: appDir, env: cleanEnv() }).catch(() =>
      run('npm', [...install, '--prefer-offline', tarball], { cwd: appDir, env: cleanEnv() }),
    );
  }, 180_000);

  afterAll(() => {
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  it('the tarball holds the build, its declarations, the bin and the README; no sources, specs or test helpers', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'bin/monite-emulator.js',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/domain.js',
        'dist/domain.d.ts',
        'dist/cli.js',
      ]),
    );
    expect(files.filter((f) => /\.spec\.|\.ts$(?<!\.d\.ts)|testing\/|\.map$/.test(f))).toEqual([]);
  });

  it('monite-emulator/domain loads nothing else', () => {
    const domain = readFileSync(join(appDir, 'node_modules/monite-emulator/dist/domain.js'), 'utf8');
    expect(domain).not.toMatch(/^\s*(import|export \* from|export \{[^}]*\} from)/m);
    expect(domain).toContain('PAYABLE_STATUSES');
  });

  it('its bin starts on a free port, serves the owned types, prints the demo users and stops on SIGTERM', async () => {
    const bin = join(appDir, 'node_modules/.bin/monite-emulator');
    const child = spawn(bin, ['--port', '0', '--quiet'], { cwd: appDir, env: cleanEnv() });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line in: ${output}`)), 20_000);
        child.stdout.on('data', () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
      });
      expect(output).toContain('client_secret  demo-secret-not-for-production');
      expect(output).toMatch(/carol\s+00000000-0000-4000-8000-000000003003\s+AP clerk/);
      const answer = await fetch(`${url}/receivables`, { headers: { 'x-monite-version': '2024-05-25' } });
      expect(answer.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('a TypeScript file importing startMoniteEmulator type-checks against the package and runs', async () => {
    copyFileSync(
      join(ROOT, 'libs/monite-emulator/src/testing/packed-consumer.ts'),
      join(appDir, 'src/main.ts'),
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
          skipLibCheck: false,
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
          rootDir: 'src',
          outDir: 'dist',
        },
        include: ['src'],
      }),
    );
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: appDir });
    const { stdout } = await run(process.execPath, ['dist/main.js'], { cwd: appDir });
    expect(stdout.trim()).toBe('consumer: 200 00000000-0000-4000-8000-000000003003 draft');
  }, 60_000);
});
