// monite-emulator.ts
import { startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';

/**
 * One Monite emulator for the current suite: started on a free port before its first test,
 * back to its seed after every test, stopped after its last. Call it inside a `describe`.
 */
export function useMoniteEmulator(): { readonly current: MoniteEmulator } {
  let emulator: MoniteEmulator | undefined;
  beforeAll(async () => {
    emulator = await startMoniteEmulator({ port: 0 });
  });
  afterEach(() => emulator?.reset());
  afterAll(() => emulator?.close());
  return {
    get current(): MoniteEmulator {
      if (!emulator) throw new Error('The emulator starts in beforeAll; use it inside a test');
      return emulator;
    },
  };
}
