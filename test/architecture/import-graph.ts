/*
 * Reads every import of a set of TypeScript files (static, `import type`, re-exports, dynamic
 * `import()`, `import('x').T` type queries, `require`, `import x = require`) with the TypeScript
 * parser, and resolves relative ones to files. The layering rules live in layering.spec.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import of a file: what it names and, when relative, the file it resolves to (repository path). */
export interface ImportEdge {
  /** The importing file, repository-relative with `/`. */
  from: string;
  /** The specifier as written; `(computed)` for a dynamic import whose argument is not a string literal. */
  specifier: string;
  /** The imported file, repository-relative (`.js` read as `.ts`, a folder as its `index.ts`); undefined for packages. */
  target?: string;
}

/** Every specifier a source text imports. */
export function importsOf(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node !== undefined && ts.isStringLiteralLike(node)) found.push(node.text);
    else found.push('(computed)');
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      literal(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      literal(node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      literal(node.argument.literal);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isImport || isRequire) literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every `.ts` file under `dir` (repository-relative paths with `/`), skipping `dist` and `node_modules`. */
export function listTypeScript(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'dist' && entry.name !== 'node_modules') out.push(...listTypeScript(root, path));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

/** The edges of `files`, read from disk under `root` (or from `texts` when given, for tests of the rules). */
export function importEdges(root: string, files: string[], texts?: Record<string, string>): ImportEdge[] {
  const known = new Set(files);
  return files.flatMap((from) => {
    const text = texts?.[from] ?? readFileSync(join(root, from), 'utf8');
    return importsOf(from, text).map((specifier): ImportEdge => {
      if (!specifier.startsWith('.')) return { from, specifier };
      const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
      const candidates = [joined.replace(/\.js$/, '.ts'), `${joined}.ts`, posix.join(joined, 'index.ts')];
      return { from, specifier, target: candidates.find((candidate) => known.has(candidate)) ?? joined };
    });
  });
}

/** A path relative to `root` with `/` separators. */
export function repositoryPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
