/*
 * The code on the MoniteClient pages (the README's "MoniteClient" section and docs/client.md):
 * every block compiles on its own, imports included, and is the code client-readme.examples.ts
 * runs (so the e2e suite proves what the page shows).
 */
import { codeOf, compileBlocks, readPage, squash, tsBlocksOf } from '../support/doc-blocks.js';

async function pageBlocks(): Promise<Map<string, string>> {
  const readme = await readPage('libs/monite-auth/README.md');
  const section = readme.slice(
    readme.indexOf('## MoniteClient\n'),
    readme.indexOf('\n## ', readme.indexOf('## MoniteClient\n') + 1),
  );
  const docs = await readPage('libs/monite-auth/docs/client.md');
  const blocks = new Map<string, string>();
  tsBlocksOf(section).forEach((block, i) => blocks.set(`README MoniteClient #${i + 1}`, block));
  tsBlocksOf(docs).forEach((block, i) => blocks.set(`docs/client.md #${i + 1}`, block));
  return blocks;
}

describe('MoniteClient docs', () => {
  it('every block is code that client-readme.examples.ts runs', async () => {
    const examples = squash(await readPage('test/client/client-readme.examples.ts'));
    const blocks = await pageBlocks();
    expect(blocks.size).toBeGreaterThanOrEqual(3);
    const missing = [...blocks].filter(([, block]) => !examples.includes(codeOf(block)));
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('every block compiles on its own, with its own imports and nothing undefined', async () => {
    expect(compileBlocks(await pageBlocks(), 'test/client')).toEqual([]);
  });
});
