/*
 * Code blocks of the Markdown pages, and a check that each compiles as a module of its own: its
 * imports included, nothing undefined (issue 11, "docs that compile whole").
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = new URL('../../', import.meta.url);

/** A page of the repository, by path from its root. */
export const readPage = (path: string): Promise<string> => readFile(new URL(path, ROOT), 'utf8');

/** The ```ts blocks of a page, in order. */
export const tsBlocksOf = (page: string): string[] =>
  [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

/**
 * Type-checks each block as a module of its own, placed in `dir` (so the workspace's path mapping
 * applies), with the repository's tsconfig. Returns `name: message` for every problem.
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
    const file = fileURLToPath(new URL(`${dir}/doc-block-${i}.ts`, ROOT));
    names.set(file, name);
    files.set(file, block);
  });
  const host = ts.createCompilerHost(config.options);
  const readOriginal = host.readFile.bind(host);
  const getOriginal = host.getSourceFile.bind(host);
  host.fileExists = (file) => files.has(file) || ts.sys.fileExists(file);
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
