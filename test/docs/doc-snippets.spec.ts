/*
 * Every TypeScript block of every README and doc page compiles on its own: its imports included,
 * nothing undefined. Pages with suites of their own (client, permissions, replicas, transports,
 * emulator, the README's token sections) also run their code; this spec is the floor under all.
 */
import { readdir } from 'node:fs/promises';
import { compileBlocks, readPage, tsBlocksOf } from '../support/doc-blocks.js';

const PAGES = [
  'README.md',
  'libs/monite-auth/README.md',
  'libs/monite-emulator/README.md',
  'bench/README.md',
];

async function allPages(): Promise<string[]> {
  const docs = await readdir(new URL('../../libs/monite-auth/docs/', import.meta.url));
  return [
    ...PAGES,
    ...docs.filter((name) => name.endsWith('.md')).map((name) => `libs/monite-auth/docs/${name}`),
  ];
}

it('every ```ts block of every page compiles as a module of its own', async () => {
  const blocks = new Map<string, string>();
  for (const page of await allPages()) {
    tsBlocksOf(await readPage(page)).forEach((block, i) => blocks.set(`${page} #${i + 1}`, block));
  }
  expect(blocks.size).toBeGreaterThan(30);
  expect(compileBlocks(blocks, 'test/docs')).toEqual([]);
}, 60_000);
