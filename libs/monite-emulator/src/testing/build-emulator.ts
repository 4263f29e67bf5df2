/** Test helper (not part of the build): builds dist/ when it is missing or older than the sources. */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));

function newestSourceMs(): number {
  return Math.max(
    ...readdirSync(join(PACKAGE, 'src'), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.spec.ts'))
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  );
}

export function buildEmulatorIfStale(): void {
  let builtMs = 0;
  try {
    builtMs = statSync(join(PACKAGE, 'dist/cli.js')).mtimeMs;
  } catch {
    // not built yet
  }
  if (builtMs > newestSourceMs()) return;
  execFileSync('npm', ['run', 'build'], { cwd: PACKAGE, stdio: 'pipe' });
}
