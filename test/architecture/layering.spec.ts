/*
 * The library's layers (CONTRACTS: errors <- tokens <- client <- rbac; redis -> tokens and errors
 * only), checked on every import of libs/monite-auth/src, static or dynamic, `import type`
 * included. Root files are neutral (the identity, role and hook types: any folder may import them,
 * they import nothing but errors/) or composition (options, module, index, and the subpath
 * entries testing/ and swagger/: they put the folders together). A folder file that imports a
 * composition file is held to what that file imports in turn; a spec may boot the module. The library imports neither the demo nor the
 * emulator (a spec may start the emulator as its test server), and the emulator imports nothing
 * of the library.
 */
import { fileURLToPath } from 'node:url';
import { importEdges, listTypeScript, type ImportEdge } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIB = 'libs/monite-auth/src';
const EMULATOR = 'libs/monite-emulator/src';

/** Each folder of the library and the folders it may import besides itself. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  tokens: ['errors'],
  client: ['errors', 'tokens'],
  rbac: ['errors', 'tokens', 'client'],
  redis: ['errors', 'tokens'],
};
const NEUTRAL_FILES = new Set(['monite-identity.ts', 'monite-role.ts', 'monite-auth.hooks.ts']);
const COMPOSITION_FILES = /^(index|monite-auth\.(options|module)[\w.-]*)\.ts$/;

type Unit =
  { kind: 'folder'; name: string } | { kind: 'neutral' | 'composition' | 'outside' | 'unclassified' };

/** Where a library path belongs. */
function unitOf(path: string): Unit {
  if (!path.startsWith(`${LIB}/`)) return { kind: 'outside' };
  const [first, ...rest] = path.slice(LIB.length + 1).split('/');
  if (rest.length > 0) {
    // The subpath entries (`nestjs-monite-auth/testing`, `/swagger`) sit above everything.
    if (first === 'testing' || first === 'swagger') return { kind: 'composition' };
    return first in MAY_IMPORT ? { kind: 'folder', name: first } : { kind: 'unclassified' };
  }
  const file = first.replace(/\.spec\.ts$/, '.ts');
  if (NEUTRAL_FILES.has(file)) return { kind: 'neutral' };
  return COMPOSITION_FILES.test(file) ? { kind: 'composition' } : { kind: 'unclassified' };
}

const describeUnit = (unit: Unit) => (unit.kind === 'folder' ? `${unit.name}/` : unit.kind);

/** Every import of the library and the emulator that goes against the layering, as readable lines. */
export function layeringViolations(files: string[], edges: ImportEdge[]): string[] {
  const byFile = new Map<string, ImportEdge[]>();
  for (const edge of edges) byFile.set(edge.from, [...(byFile.get(edge.from) ?? []), edge]);
  const problems: string[] = [];

  for (const edge of edges) {
    if (edge.from.startsWith(`${EMULATOR}/`)) {
      const intoLibrary =
        edge.specifier.startsWith('nestjs-monite-auth') ||
        (edge.target?.startsWith('libs/monite-auth/') ?? false);
      if (intoLibrary) problems.push(`${edge.from}: the emulator imports the library (${edge.specifier})`);
    }
  }

  /** Checks the imports of `file` as if `origin` made them (origin: a library file, file: it or a composition file it reaches). */
  const check = (origin: string, file: string, seen: Set<string>): void => {
    const unit = unitOf(origin);
    for (const edge of byFile.get(file) ?? []) {
      const via = file === origin ? '' : ` (through ${file})`;
      const say = (why: string) => problems.push(`${origin}: ${why}: ${edge.specifier}${via}`);
      if (edge.specifier === '(computed)') {
        say('a dynamic import the layering cannot check');
        continue;
      }
      if (edge.target === undefined) {
        // A spec may start the emulator (a test server); shipped code never.
        const emulator = edge.specifier === 'monite-emulator' && !origin.endsWith('.spec.ts');
        if (emulator || edge.specifier.startsWith('nestjs-monite-auth')) {
          say('the library imports the emulator or itself by package name');
        }
        continue;
      }
      const target = unitOf(edge.target);
      if (target.kind === 'outside') say('the library imports outside itself (the demo or the emulator)');
      else if (target.kind === 'unclassified') say(`imports ${edge.target}, which no layer claims`);
      else if (unit.kind === 'composition' || target.kind === 'neutral') continue;
      else if (target.kind === 'folder') {
        const allowed =
          unit.kind === 'folder'
            ? target.name === unit.name || MAY_IMPORT[unit.name].includes(target.name)
            : target.name === 'errors';
        if (!allowed) say(`${describeUnit(unit)} may not import ${describeUnit(target)}`);
      } else if (unit.kind === 'neutral') say('a neutral root file imports a composition file');
      else if (!origin.endsWith('.spec.ts') && !seen.has(edge.target)) {
        seen.add(edge.target);
        check(origin, edge.target, seen);
      }
    }
  };
  for (const file of files) {
    if (!file.startsWith(`${LIB}/`)) continue;
    if (unitOf(file).kind === 'unclassified') problems.push(`${file}: no layer claims this file`);
    check(file, file, new Set([file]));
  }
  return problems;
}

function violationsOf(texts: Record<string, string>): string[] {
  const files = Object.keys(texts);
  return layeringViolations(files, importEdges(ROOT, files, texts));
}

describe('layering of libs/monite-auth/src', () => {
  it('holds on the code as it is: every import, static, dynamic and type-only', () => {
    const files = [...listTypeScript(ROOT, LIB), ...listTypeScript(ROOT, EMULATOR)];
    const edges = importEdges(ROOT, files);
    expect(edges.length).toBeGreaterThan(200);
    expect(layeringViolations(files, edges)).toEqual([]);
  });

  // The rules can fail: each of these files breaks one, in each way an import can be written.
  const GOOD = {
    [`${LIB}/errors/index.ts`]: `export class E extends Error {}`,
    [`${LIB}/tokens/clock.ts`]: `import { E } from '../errors/index.js';`,
    [`${LIB}/monite-identity.ts`]: `import type { E } from './errors/index.js';`,
    [`${LIB}/monite-auth.options.ts`]: `import type { C } from './tokens/clock.js';`,
    [`${LIB}/rbac/guard.ts`]: `import { C } from '../tokens/clock.js'; import { O } from '../monite-auth.options.js';`,
    [`${LIB}/client/client.ts`]: `export type { C } from '../tokens/clock.js';`,
    [`${LIB}/redis/store.ts`]: `const clock = await import('../tokens/clock.js');`,
    [`${LIB}/index.ts`]: `export * from './rbac/guard.js'; export * from './redis/store.js';`,
    [`${LIB}/tokens/service.spec.ts`]: `import { M } from '../index.js';`,
    [`${EMULATOR}/server.ts`]: `import { z } from 'zod';`,
  };

  it('passes a well-layered set of files', () => {
    expect(violationsOf(GOOD)).toEqual([]);
  });

  it.each([
    [
      'tokens -> rbac, import type',
      `${LIB}/tokens/bad.ts`,
      `import type { G } from '../rbac/guard.js';`,
      'tokens/ may not import rbac/',
    ],
    [
      'tokens -> client, dynamic import',
      `${LIB}/tokens/bad.ts`,
      `const c = await import('../client/client.js');`,
      'tokens/ may not import client/',
    ],
    [
      'redis -> client, type query',
      `${LIB}/redis/bad.ts`,
      `type T = import('../client/client.js').C;`,
      'redis/ may not import client/',
    ],
    [
      'redis -> rbac, re-export',
      `${LIB}/redis/bad.ts`,
      `export { G } from '../rbac/guard.js';`,
      'redis/ may not import rbac/',
    ],
    [
      'client -> rbac, require',
      `${LIB}/client/bad.ts`,
      `const g = require('../rbac/guard.js');`,
      'client/ may not import rbac/',
    ],
    [
      'errors -> tokens',
      `${LIB}/errors/bad.ts`,
      `import { C } from '../tokens/clock.js';`,
      'errors/ may not import tokens/',
    ],
    [
      'a neutral file -> tokens',
      `${LIB}/monite-role.ts`,
      `import type { C } from './tokens/clock.js';`,
      'neutral may not import tokens/',
    ],
    [
      'a neutral file -> the module',
      `${LIB}/monite-role.ts`,
      `import { O } from './monite-auth.options.js';`,
      'a neutral root file imports a composition file',
    ],
    [
      'tokens -> index (every folder)',
      `${LIB}/tokens/bad.ts`,
      `import { G } from '../index.js';`,
      'tokens/ may not import rbac/: ./rbac/guard.js (through',
    ],
    [
      'the library -> the demo',
      `${LIB}/rbac/bad.ts`,
      `import { AppModule } from '../../../../src/app.module.js';`,
      'the library imports outside itself',
    ],
    [
      'the library -> the emulator',
      `${LIB}/rbac/bad.ts`,
      `import { startMoniteEmulator } from 'monite-emulator';`,
      'the library imports the emulator',
    ],
    [
      'a computed dynamic import',
      `${LIB}/rbac/bad.ts`,
      `const m = await import(name);`,
      'a dynamic import the layering cannot check',
    ],
    ['a root file no layer claims', `${LIB}/helpers.ts`, `export const x = 1;`, 'no layer claims this file'],
    [
      'the emulator -> the library',
      `${EMULATOR}/bad.ts`,
      `import { MoniteClient } from 'nestjs-monite-auth';`,
      'the emulator imports the library',
    ],
    [
      'the emulator -> the library by path',
      `${EMULATOR}/bad.ts`,
      `import { E } from '../../monite-auth/src/errors/index.js';`,
      'the emulator imports the library',
    ],
  ])('fails on %s', (_name, file, text, problem) => {
    const problems = violationsOf({ ...GOOD, [file]: text });
    expect(problems).toContainEqual(expect.stringContaining(problem));
    expect(problems.every((line) => line.startsWith(`${file}: `))).toBe(true);
  });
});
