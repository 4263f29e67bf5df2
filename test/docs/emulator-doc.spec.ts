/*
 * libs/monite-auth/docs/emulator.md stays true: each TypeScript block is, character for
 * character, a file of test/docs/emulator-examples/ (type-checked by `npm run typecheck`), the
 * Jest suite it shows runs here for real, and the banner it shows is what the CLI prints.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../../libs/monite-emulator/src/cli.js';
// The documented suite: importing it registers its describe block in this file.
import './emulator-examples/receivables.suite.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOC = readFileSync(`${ROOT}libs/monite-auth/docs/emulator.md`, 'utf8');

/** The fenced block right after `<!-- example: NAME -->`. */
function example(name: string): string {
  const marker = `<!-- example: ${name} -->`;
  const at = DOC.indexOf(marker);
  if (at === -1) throw new Error(`docs/emulator.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(DOC.slice(at + marker.length));
  if (!match) throw new Error(`no code block after ${marker}`);
  return match[1]!;
}

describe('docs/emulator.md', () => {
  it.each([
    'test/docs/emulator-examples/point-at-emulator.ts',
    'test/docs/emulator-examples/monite-emulator.ts',
    'test/docs/emulator-examples/receivables.suite.ts',
  ])('its code block is %s', (file) => {
    expect(example(file)).toBe(readFileSync(`${ROOT}${file}`, 'utf8'));
  });

  describe('the banner', () => {
    let printed: string[];
    beforeEach(() => {
      printed = [];
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
    });
    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('is what `npx monite-emulator` prints with the demo seed', async () => {
      const signals = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
      const emulator = await main(['--port', '0', '--quiet']);
      try {
        const port = new URL(emulator!.url).port;
        expect(printed.join('').replaceAll(`:${port}/`, ':4010/')).toBe(example('banner'));
      } finally {
        await emulator!.close();
        // Only the CLI's own stop handlers, not the test runner's.
        for (const [signal, before] of Object.entries(signals)) {
          for (const listener of process.listeners(signal as NodeJS.Signals)) {
            if (!before.includes(listener)) process.off(signal, listener);
          }
        }
      }
    });
  });
});
