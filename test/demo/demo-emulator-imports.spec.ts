/*
 * With real Monite credentials the demo loads nothing of the emulator but its domain types
 * (`monite-emulator/domain`): every other use is type-only, or the dynamic import that starts the
 * embedded emulator when no credentials are set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SRC = join(process.cwd(), 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

it("the demo's static imports of the emulator are type-only, but for its domain types", () => {
  const offending: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(monite-emulator[^']*)'/gms)) {
      const [, typeOnly, specifier] = match;
      if (typeOnly === undefined && specifier !== 'monite-emulator/domain') {
        offending.push(`${file.slice(SRC.length + 1)}: ${specifier}`);
      }
    }
  }
  expect(offending).toEqual([]);
});

it('the embedded emulator is loaded by one dynamic import', () => {
  const text = readFileSync(join(SRC, 'monite/monite-connection.ts'), 'utf8');
  expect(text).toContain("await import('monite-emulator')");
});
