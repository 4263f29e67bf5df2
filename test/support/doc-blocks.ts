/*
 * Code blocks of the Markdown pages, and a check that each compiles as a module of its own: its
 * imports included, nothing undefined (issue 11, "docs that compile whole").
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = new URL('../../', import.meta.url);

/** The first line of a block that is a whole file of the reader's app: `// payables.controller.ts`. */
const FILE_LINE = /^\/\/ ([\w.-]+\.ts)\n/;

/** A page of the repository, by path from its root. */
export const readPage = (path: string): Promise<string> => readFile(new URL(path, ROOT), 'utf8');

/** The ```ts blocks of a page, in order. */
export const tsBlocksOf = (page: string): string[] =>
  [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

/** Whitespace-insensitive form of code, so formatting differences do not matter. */
export const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * A block's code as an examples file holds it, where the blocks of a page share one module: without
 * the line naming its file and without its imports, whitespace squashed.
 */
export const codeOf = (block: string): string =>
  squash(block.replace(FILE_LINE, '').replace(/^import [\s\S]*?;\n/gm, ''));

/**
 * Type-checks each block as a module of its own, with the repository's tsconfig; returns
 * `name: message` for every problem. The blocks of one page (their names up to ` #`) share a
 * folder under `dir` (so the workspace's path mapping applies). A block whose first line names its
 * file (`// payables.controller.ts`) is that file there, so the page's other blocks import it as the
 * reader's app would (`./payables.controller.js`).
 */
export function compileBlocks(blocks: ReadonlyMap<string, string>, dir: string): string[] {
  const configPath = fileURLToPath(new URL('tsconfig.json', ROOT));
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  )!;
  const names = new Map<string, string>();
  const files = new Map<string, string>();
  [...blocks].forEach(([name, block], i) => {
    const page = name.replace(/ #\d+$/, '').replace(/[^\w.-]+/g, '-');
    const fileName = FILE_LINE.exec(block)?.[1] ?? `block-${i}.ts`;
    const file = fileURLToPath(new URL(`${dir}/doc-blocks/${page}/${fileName}`, ROOT));
    if (files.has(file)) throw new Error(`${name} and ${names.get(file)} are both ${fileName}`);
    names.set(file, name);
    files.set(file, block);
  });
  const host = ts.createCompilerHost(config.options);
  const readOriginal = host.readFile.bind(host);
  const getOriginal = host.getSourceFile.bind(host);
  const folders = new Set([...files.keys()].map((file) => dirname(file)));
  host.fileExists = (file) => files.has(file) || ts.sys.fileExists(file);
  host.directoryExists = (folder) => folders.has(folder) || ts.sys.directoryExists(folder);
  host.readFile = (file) => files.get(file) ?? readOriginal(file);
  host.getSourceFile = (file, language, onError, create) => {
    const text = files.get(file);
    return text === undefined
      ? getOriginal(file, language, onError, create)
      : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true }, host);
  // Only the blocks are checked (the code behind them is type-checked by `npm run typecheck`).
  return [...files.keys()].flatMap((file) => {
    const source = program.getSourceFile(file)!;
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
      (diagnostic) => `${names.get(file)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  });
}
