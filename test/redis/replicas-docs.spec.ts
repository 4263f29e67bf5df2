/*
 * Every TypeScript snippet of libs/monite-auth/docs/replicas.md is a file of docs-examples/, as
 * printed, so `npm run typecheck` compiles each one with its own imports; and the two never drift.
 */
import { readdirSync, readFileSync } from 'node:fs';

const DOC = new URL('../../libs/monite-auth/docs/replicas.md', import.meta.url);
const EXAMPLES = new URL('./docs-examples/', import.meta.url);

/** An example file without its one-line header comment: the snippet. */
function snippetOf(file: string): string {
  return readFileSync(new URL(file, EXAMPLES), 'utf8').replace(/^\/\*.*\*\/\n\n/, '');
}

describe('docs/replicas.md', () => {
  it('each TypeScript snippet is a type-checked example file, and each example is in the page', () => {
    const snippets = [...readFileSync(DOC, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map(
      (match) => match[1],
    );
    const examples = readdirSync(EXAMPLES)
      .filter((file) => file.endsWith('.ts'))
      .map(snippetOf);

    expect(snippets.length).toBeGreaterThan(0);
    expect(snippets.toSorted()).toEqual(examples.toSorted());
  });
});
