/*
 * The built library (libs/monite-auth/dist) as this repository's own ESM code loads it by package
 * name (test/redis/replica-app.mjs, bench/), and as a CommonJS app requires it: one CommonJS build,
 * with a thin ESM file per entry point re-exporting it, so `import` and `require` give the very
 * same classes. The packed-consumer suite does the same from installed tarballs in real apps.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { buildLibraryIfStale, builtFiles, LIBRARY_DIST } from '../redis/build-library.js';

const ROOT = join(LIBRARY_DIST, '../../..');
const LIBRARY = join(LIBRARY_DIST, '..');
const ENTRIES = { '.': 'index', './testing': 'testing/index', './swagger': 'swagger/index' } as const;

interface OneCopyReport {
  swaggerLoadedByMain: boolean;
  entries: Record<
    string,
    { importedFrom: string; requiredFrom: string; sameNames: boolean; notIdentical: string[] }
  >;
}

describe('module formats of the built library', () => {
  beforeAll(() => buildLibraryIfStale(), 120_000);

  it('the exports map sends import to the ESM file and require to the CommonJS build, each with its declarations', () => {
    const manifest = JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      types: string;
      main: string;
    };
    for (const [subpath, entry] of Object.entries(ENTRIES)) {
      expect(manifest.exports[subpath]).toEqual({
        import: { types: `./dist/${entry}.d.ts`, default: `./dist/${entry}.js` },
        require: { types: `./dist/cjs/${entry}.d.ts`, default: `./dist/cjs/${entry}.js` },
      });
      for (const file of [`${entry}.js`, `${entry}.d.ts`, `cjs/${entry}.js`, `cjs/${entry}.d.ts`]) {
        expect([file, existsSync(join(LIBRARY_DIST, file))]).toEqual([file, true]);
      }
    }
    // Resolvers that read no exports map (TypeScript's node10, older tools) get the CommonJS build.
    expect(manifest).toMatchObject({ main: './dist/cjs/index.js', types: './dist/cjs/index.d.ts' });
    expect(JSON.parse(readFileSync(join(LIBRARY_DIST, 'cjs/package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
  });

  it('import (from an .mjs file, by package name) and require give the same exports, the same classes', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'test/packed-consumer/consumer-app/check-one-copy.mjs')],
      { cwd: ROOT },
    );
    const report = JSON.parse(stdout) as OneCopyReport;
    expect(report.swaggerLoadedByMain).toBe(false);
    for (const [subpath, entry] of Object.entries(ENTRIES)) {
      const loaded = report.entries[join('nestjs-monite-auth', subpath)]!;
      expect(loaded.importedFrom).toBe(join(LIBRARY_DIST, `${entry}.js`));
      expect(loaded.requiredFrom).toBe(join(LIBRARY_DIST, 'cjs', `${entry}.js`));
      expect(loaded).toMatchObject({ sameNames: true, notIdentical: [] });
    }
  });

  it('only the swagger entry loads @nestjs/swagger: the main entry works without that optional peer', () => {
    const loadsSwagger = /require\(\s*["']@nestjs\/swagger["']\s*\)|from\s*["']@nestjs\/swagger["']/;
    const swaggerDir = join(LIBRARY_DIST, 'cjs', 'swagger') + sep;
    const offenders = builtFiles()
      .filter((file) => /\.(?:js|d\.ts)$/.test(file) && !file.startsWith(swaggerDir))
      .filter((file) => !file.startsWith(join(LIBRARY_DIST, 'swagger') + sep))
      .filter((file) => loadsSwagger.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
    // And the swagger entry does load it, so the pattern above is the right one.
    expect(readFileSync(join(swaggerDir, 'apply-monite-swagger.js'), 'utf8')).toMatch(loadsSwagger);
  });
});
