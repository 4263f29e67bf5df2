/*
 * The published package, as users get it, in the apps they have: `npm pack` builds the library
 * and writes the tarball; a Nest 11 CommonJS app and a Nest 12 ESM app (each as its Nest starter
 * makes it) install that tarball with a plain `npm install` from the registry, compile with their
 * own tsc against the installed declarations, and serve tokens, the guard, the client and the
 * OpenAPI document against the emulator, on Express and Fastify. The Nest 11 app also runs its
 * own Jest, configured as its starter configures it, over a test that imports the library.
 *
 * Needs the npm registry (or npm's cache); installs go to temporary directories.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { DEMO_CLIENT, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { expectOpenApiDocument, expectTokensGuardAndClient } from './consumer-checks.js';
import {
  compile,
  installProject,
  INSTALL_TIMEOUT_MS,
  packLibrary,
  run,
  RUN_TIMEOUT_MS,
  startApp,
  writeProject,
  cleanEnv,
  type PackedLibrary,
} from './consumer-kit.js';
import {
  NEST11_COMMONJS,
  NEST12_ESM,
  NEST12_STARTER_COMMONJS,
  type ConsumerProject,
} from './consumer-projects.js';

const ADAPTERS = ['express', 'fastify'] as const;
const ENTRIES = ['nestjs-monite-auth', 'nestjs-monite-auth/testing', 'nestjs-monite-auth/swagger'];

interface OneCopyReport {
  swaggerLoadedByMain: boolean;
  entries: Record<
    string,
    { importedFrom: string; requiredFrom: string; names: number; sameNames: boolean; notIdentical: string[] }
  >;
}

const PROJECTS = [NEST11_COMMONJS, NEST12_ESM];

let workDir: string;
let library: PackedLibrary;
let emulator: MoniteEmulator;
let appEnv: Record<string, string>;
const installOutput = new Map<ConsumerProject, string>();
const appDir = (project: ConsumerProject) => join(workDir, `nest${project.nest}-${project.moduleSystem}`);

// Packs once, then installs both apps at the same time (mostly waiting on the network or disk).
beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'monite-auth-consumers-'));
  [library, emulator] = await Promise.all([packLibrary(workDir), startMoniteEmulator({ port: 0 })]);
  appEnv = {
    MONITE_CLIENT_ID: DEMO_CLIENT.clientId,
    MONITE_CLIENT_SECRET: DEMO_CLIENT.clientSecret,
    MONITE_API_URL: emulator.url,
  };
  await Promise.all(
    PROJECTS.map(async (project) =>
      installOutput.set(project, await installProject(appDir(project), project, library.tarball)),
    ),
  );
}, RUN_TIMEOUT_MS + INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await emulator?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

it('the tarball holds the CommonJS build with its declarations, the ESM entry files, the README and its docs; no sources or specs', () => {
  expect(library.files).toEqual(
    expect.arrayContaining([
      'package.json',
      'README.md',
      'docs/permissions.md',
      'docs/replicas.md',
      'dist/cjs/package.json',
      ...['index', 'testing/index', 'swagger/index'].flatMap((entry) => [
        `dist/${entry}.js`,
        `dist/${entry}.d.ts`,
        `dist/cjs/${entry}.js`,
        `dist/cjs/${entry}.d.ts`,
      ]),
    ]),
  );
  expect(library.files.filter((path) => path.startsWith('src/') || /\.spec\.|\.map$/.test(path))).toEqual([]);
});

/** Loads every entry with require and with import from `dir`, in a process of its own. */
async function expectOneCopy(dir: string, nodeModules: string): Promise<void> {
  const { stdout } = await run(process.execPath, ['check-one-copy.mjs'], dir);
  const report = JSON.parse(stdout) as OneCopyReport;
  expect(report.swaggerLoadedByMain).toBe(false);
  const installed = join(nodeModules, 'nestjs-monite-auth', 'dist') + sep;
  for (const entry of ENTRIES) {
    const loaded = report.entries[entry]!;
    // The installed tarball, not this repository's workspace copy; ESM file for import, CommonJS for require.
    expect(loaded.importedFrom.startsWith(installed)).toBe(true);
    expect(loaded.importedFrom).not.toContain(`${sep}cjs${sep}`);
    expect(loaded.requiredFrom.startsWith(join(installed, 'cjs') + sep)).toBe(true);
    expect(loaded).toMatchObject({ sameNames: true, notIdentical: [] });
    expect(loaded.names).toBeGreaterThan(0);
  }
}

describe.each(PROJECTS)('$title', (project: ConsumerProject) => {
  let dir: string;
  beforeAll(() => {
    dir = appDir(project);
  });

  it(`installs with a plain npm install, on Nest ${project.nest}`, () => {
    const version = (name: string) =>
      (
        JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    expect(version('@nestjs/core')).toMatch(new RegExp(`^${project.nest}\\.`));
    expect(version('nestjs-monite-auth')).toBeDefined();
    // One copy of Nest: the library uses the app's. No peer conflict, not even as a warning.
    expect(existsSync(join(dir, 'node_modules/nestjs-monite-auth/node_modules/@nestjs'))).toBe(false);
    expect(installOutput.get(project)).not.toMatch(/ERESOLVE|peer dep/i);
  });

  it(
    "compiles with the app's own tsc against the installed declarations",
    async () => {
      await compile(dir, dir);
      expect(existsSync(join(dir, 'dist/main.js'))).toBe(true);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'require and import give the same exports, from the installed copy; the main entry loads no @nestjs/swagger',
    async () => {
      await expectOneCopy(dir, join(dir, 'node_modules'));
    },
    RUN_TIMEOUT_MS,
  );

  it.each(ADAPTERS)(
    'on %s: tokens, guard and client against the emulator; the OpenAPI document',
    async (adapter) => {
      const app = await startApp(dir, { ...appEnv, ADAPTER: adapter });
      try {
        await expectTokensGuardAndClient(app.url, emulator);
        await expectOpenApiDocument(app.url);
      } finally {
        await app.stop();
      }
    },
    RUN_TIMEOUT_MS,
  );

  if (project.ownJest) {
    it(
      "the app's own Jest, configured as its starter configures it, runs a test that imports the library",
      async () => {
        const jestConfig = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { jest: object })
          .jest;
        expect(jestConfig).not.toHaveProperty('transformIgnorePatterns');
        const { stderr } = await run(process.execPath, ['node_modules/jest/bin/jest.js', '--ci'], dir, {
          env: cleanEnv({
            ...appEnv,
            CONSUMER_USER_ID: DEMO_USERS.alice.id,
            CONSUMER_USER_ENTITY: DEMO_USERS.alice.entityId,
          }),
        });
        expect(stderr).toMatch(/Tests:\s+2 passed, 2 total/);
      },
      RUN_TIMEOUT_MS,
    );
  }

  if (project.nest === 12) {
    it(
      `${NEST12_STARTER_COMMONJS.title}: compiles, loads one copy, and serves`,
      async () => {
        const starterDir = join(dir, NEST12_STARTER_COMMONJS.directory);
        writeProject(starterDir, NEST12_STARTER_COMMONJS);
        await compile(starterDir, dir);
        await expectOneCopy(starterDir, join(dir, 'node_modules'));
        const app = await startApp(starterDir, { ...appEnv, ADAPTER: 'express' });
        try {
          await expectTokensGuardAndClient(app.url, emulator);
        } finally {
          await app.stop();
        }
      },
      RUN_TIMEOUT_MS,
    );
  }
});
