/* Builds libs/monite-auth (dist) when it is missing or older than its sources: the replica processes import the build. */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const LIBRARY_DIST = join(ROOT, 'libs/monite-auth/dist');
const LIBRARY_SRC = join(ROOT, 'libs/monite-auth/src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function newestSourceMs(): number {
  return Math.max(
    ...files(LIBRARY_SRC)
      .filter((f) => !f.endsWith('.spec.ts'))
      .map((f) => statSync(f).mtimeMs),
  );
}

export function buildLibraryIfStale(): void {
  let builtMs = 0;
  try {
    builtMs = statSync(join(LIBRARY_DIST, 'index.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (builtMs > newestSourceMs()) return;
  execFileSync('npm', ['run', 'build', '--workspace', 'nestjs-monite-auth'], { cwd: ROOT, stdio: 'pipe' });
}

/** Files of the build, for checks on what it imports. */
export function builtFiles(): string[] {
  return files(LIBRARY_DIST);
}
