/*
 * @nestjs/graphql, @nestjs/websockets and @nestjs/microservices (and what comes with them) stay
 * optional: no library file imports them when it loads. Checked twice: on the sources (no static
 * import, re-export or require of them outside specs; `import type` is erased, a dynamic import()
 * waits for a call), and by loading the main entry with every one of them made to fail.
 */
import { jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { listTypeScript } from '../architecture/import-graph.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIB = 'libs/monite-auth/src';

/** Packages an app brings only for a transport it uses. */
const OPTIONAL = [
  '@nestjs/graphql',
  '@nestjs/apollo',
  '@nestjs/mercurius',
  '@nestjs/websockets',
  '@nestjs/platform-socket.io',
  '@nestjs/platform-ws',
  '@nestjs/microservices',
  '@apollo/server',
  'mercurius',
  'graphql',
  'socket.io',
  'ws',
];
const isOptional = (specifier: string) =>
  OPTIONAL.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** Imports of optional packages in `text` that run when the file loads. */
export function loadTimeImports(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const note = (node: ts.Expression | undefined) => {
    if (node !== undefined && ts.isStringLiteralLike(node) && isOptional(node.text)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const named = node.importClause?.namedBindings;
      const onlyTypes =
        node.importClause !== undefined &&
        node.importClause.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes) note(node.moduleSpecifier);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly) {
      note(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      if (!node.isTypeOnly) note(node.moduleReference.expression);
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'require'
    ) {
      note(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the optional transport packages are never imported when the library loads', () => {
  it('no library file (specs aside) imports one statically', () => {
    const files = listTypeScript(ROOT, LIB).filter((file) => !file.endsWith('.spec.ts'));
    expect(files.length).toBeGreaterThan(50);
    const problems = files.flatMap((file) =>
      loadTimeImports(file, readFileSync(`${ROOT}${file}`, 'utf8')).map((name) => `${file}: ${name}`),
    );
    expect(problems).toEqual([]);
  });

  it.each([
    [`import { WsException } from '@nestjs/websockets';`, ['@nestjs/websockets']],
    [`import '@nestjs/microservices';`, ['@nestjs/microservices']],
    [`import { type Args, Query } from '@nestjs/graphql';`, ['@nestjs/graphql']],
    [
      `export { RpcException } from '@nestjs/microservices/exceptions/index.js';`,
      ['@nestjs/microservices/exceptions/index.js'],
    ],
    [`const graphql = require('graphql');`, ['graphql']],
    [`import type { Socket } from 'socket.io';`, []],
    [`import { type GqlContextType } from '@nestjs/graphql';`, []],
    [`export type { RpcException } from '@nestjs/microservices';`, []],
    [`const ws = await import('@nestjs/websockets');`, []],
    [`import { Injectable } from '@nestjs/common';`, []],
  ])('the check reads %s as %j', (text, expected) => {
    expect(loadTimeImports('file.ts', text)).toEqual(expected);
  });

  it('the main entry loads, guard included, with every optional package failing to load', async () => {
    for (const name of OPTIONAL) {
      jest.unstable_mockModule(
        name,
        () => {
          throw new Error(`${name} was imported`);
        },
        // Some are not installed here at all (e.g. Mercurius).
        { virtual: true },
      );
    }
    const library = await import('nestjs-monite-auth');
    expect(typeof library.MonitePermissionGuard).toBe('function');
    expect(typeof library.MoniteAuthModule).toBe('function');
  });
});
