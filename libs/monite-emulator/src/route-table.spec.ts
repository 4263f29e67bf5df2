import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startMoniteEmulator } from './emulator.js';
import { EMULATOR_PERMISSION_MATRIX } from './permission-matrix.js';
import { routeTable, withRouteTable } from './route-table.js';

const README = new URL('../README.md', import.meta.url);

/** The text with the padding a formatter adds to Markdown tables taken out. */
function tableShape(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith('|') ? line.replace(/ +/g, ' ').replace(/-{3,}/g, '---') : line))
    .join('\n');
}

describe('the route table', () => {
  it('the README lists every route with its permission, exactly as the route table says', () => {
    const readme = readFileSync(README, 'utf8');
    // On failure: `npm run readme --workspace monite-emulator` rewrites the table (then `npm run format`).
    expect(tableShape(readme)).toBe(tableShape(withRouteTable(readme)));
  });

  it('has a row for every route the emulator serves', async () => {
    const emulator = await startMoniteEmulator({ port: 0 });
    try {
      const keys = routeTable().map((row) => `${row.method} ${row.path.replace(/\{([a-z_]+)\}/g, ':$1')}`);
      expect(keys.toSorted()).toEqual(emulator.routes());
    } finally {
      await emulator.close();
    }
  });

  it("every permission a route checks is a pair of the emulator's own matrix", () => {
    for (const { access, method, path } of routeTable()) {
      if (access.kind !== 'permission') continue;
      expect({ route: `${method} ${path}`, allowed: EMULATOR_PERMISSION_MATRIX[access.objectType] }).toEqual({
        route: `${method} ${path}`,
        allowed: expect.arrayContaining([access.action]),
      });
    }
  });
});
