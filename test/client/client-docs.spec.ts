/*
 * The code on the MoniteClient pages (the README's "MoniteClient" section and docs/client.md):
 * every block compiles on its own, imports included, and is the code client-readme.examples.ts
 * runs (so the e2e suite proves what the page shows).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8');
/** Whitespace-insensitive form of code, so formatting differences do not matter. */
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const blocksOf = (page: string) => [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
const withoutImports = (block: string) => block.replace(/^import [\s\S]*?;\n/gm, '');

async function pageBlocks(): Promise<Map<string, string>> {
  const readme = await read('libs/monite-auth/README.md');
  const section = readme.slice(
    readme.indexOf('## MoniteClient\n'),
    readme.indexOf('\n## ', readme.indexOf('## MoniteClient\n') + 1),
  );
  const docs = await read('libs/monite-auth/docs/client.md');
  const blocks = new Map<string, string>();
  blocksOf(section).forEach((block, i) => blocks.set(`README MoniteClient #${i + 1}`, block));
  blocksOf(docs).forEach((block, i) => blocks.set(`docs/client.md #${i + 1}`, block));
  return blocks;
}

describe('MoniteClient docs', () => {
  it('every block is code that client-readme.examples.ts runs', async () => {
    const examples = squash(await read('test/client/client-readme.examples.ts'));
    const blocks = await pageBlocks();
    expect(blocks.size).toBeGreaterThanOrEqual(3);
    const missing = [...blocks].filter(([, block]) => !examples.includes(squash(withoutImports(block))));
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('every block compiles on its own, with its own imports and nothing undefined', async () => {
    const configPath = fileURLToPath(new URL('tsconfig.json', root));
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
    const blocks = await pageBlocks();
    // Each block is a module of its own beside this spec, so the workspace's path mapping applies.
    const files = new Map(
      [...blocks.values()].map((block, i) => [
        fileURLToPath(new URL(`test/client/doc-block-${i}.ts`, root)),
        block,
      ]),
    );
    const host = ts.createCompilerHost(config.options);
    const readOriginal = host.readFile.bind(host);
    const getOriginal = host.getSourceFile.bind(host);
    host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
    host.readFile = (name) => files.get(name) ?? readOriginal(name);
    host.getSourceFile = (name, language, onError, create) => {
      const text = files.get(name);
      return text === undefined
        ? getOriginal(name, language, onError, create)
        : ts.createSourceFile(name, text, language);
    };
    const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true }, host);
    // Only the blocks are checked (the library behind them is type-checked by `npm run typecheck`).
    const problems = [...files.keys()]
      .map((name) => program.getSourceFile(name)!)
      .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(problems).toEqual([]);
  });
});
