/*
 * How the packed-consumer suite builds its apps: packs the library as npm publishes it, writes a
 * consumer project into a temporary directory, installs it with a plain `npm install` (the
 * tarball and the registry's Nest packages, through npm's own cache), compiles it with the app's
 * own tsc, and starts it. Every command has a bounded timeout, so a hung registry fails the suite
 * instead of stalling CI.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ConsumerProject } from './consumer-projects.js';

const execFileAsync = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_SOURCES = join(ROOT, 'test/packed-consumer/consumer-app');

/** Longest an `npm install` may take: cold downloads on a slow link, well under the suite's limit. */
export const INSTALL_TIMEOUT_MS = 8 * 60_000;
/** Longest a compile or a test run of a consumer app may take. */
export const RUN_TIMEOUT_MS = 3 * 60_000;

/** The environment without what `npm test` sets for its own package, so nested npm runs are clean. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|config_(workspace|local_prefix|prefix))/i.test(name)) delete env[name];
  }
  return { ...env, ...extra };
}

export function run(
  command: string,
  args: string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(command, args, {
    cwd,
    env: options.env ?? cleanEnv(),
    timeout: options.timeoutMs ?? RUN_TIMEOUT_MS,
    maxBuffer: 32 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    // The child's own output says why; execFile's message alone does not.
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}\n${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`,
    );
  });
}

export interface PackedLibrary {
  tarball: string;
  files: string[];
}

/** `npm pack` of the workspace package; its prepack script builds it from the sources. */
export async function packLibrary(destination: string): Promise<PackedLibrary> {
  const { stdout } = await run(
    'npm',
    ['pack', '--workspace', 'nestjs-monite-auth', '--pack-destination', destination, '--json'],
    ROOT,
  );
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  return { tarball: join(destination, packed!.filename), files: packed!.files.map((file) => file.path) };
}

/** Writes the project's files and the shared app sources into `dir`. */
export function writeProject(
  dir: string,
  files: Pick<ConsumerProject, 'packageJson' | 'tsconfig' | 'tsconfigBuild' | 'relativeImports'>,
  options: { ownJest?: boolean } = {},
): void {
  mkdirSync(dir, { recursive: true });
  const json = (name: string, value: unknown) =>
    writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  json('package.json', files.packageJson);
  json('tsconfig.json', files.tsconfig);
  json('tsconfig.build.json', files.tsconfigBuild);
  cpSync(join(APP_SOURCES, 'src'), join(dir, 'src'), {
    recursive: true,
    filter: (source) => !source.endsWith('.in-app-spec.ts'),
  });
  cpSync(join(APP_SOURCES, 'check-one-copy.mjs'), join(dir, 'check-one-copy.mjs'));
  if (options.ownJest) {
    cpSync(join(APP_SOURCES, 'src/consumer.in-app-spec.ts'), join(dir, 'src/consumer.spec.ts'));
  }
  if (files.relativeImports === 'extensionless') {
    for (const name of readdirSync(join(dir, 'src'))) {
      const file = join(dir, 'src', name);
      writeFileSync(file, readFileSync(file, 'utf8').replace(/(from '\.{1,2}\/[^']+)\.js'/g, "$1'"));
    }
  }
}

/** Writes the project with the tarball as a dependency and installs it with a plain `npm install`; returns npm's output. */
export async function installProject(
  dir: string,
  project: ConsumerProject,
  tarball: string,
): Promise<string> {
  const packageJson = {
    ...project.packageJson,
    dependencies: {
      ...(project.packageJson.dependencies as Record<string, string>),
      'nestjs-monite-auth': `file:${tarball}`,
    },
  };
  writeProject(dir, { ...project, packageJson }, { ownJest: project.ownJest });
  // --prefer-offline: what npm's cache holds is used without asking the registry again.
  const { stdout, stderr } = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline'],
    dir,
    {
      timeoutMs: INSTALL_TIMEOUT_MS,
    },
  );
  return `${stdout}${stderr}`;
}

/** `tsc -p tsconfig.build.json` with the TypeScript the app installed. */
export async function compile(dir: string, typescriptDir: string): Promise<void> {
  await run(
    process.execPath,
    [join(typescriptDir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    dir,
  );
}

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** Starts `node dist/main.js` and waits for the port it prints. */
export async function startApp(dir: string, env: Record<string, string>): Promise<RunningApp> {
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    cwd: dir,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in 60 s\n${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code} before listening\n${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
