import type { MoniteEmulator } from 'monite-emulator';

/** Injection token of the validated {@link DemoSettings} (from `ConfigService.get(DEMO_SETTINGS_KEY)`). */
export const DEMO_SETTINGS = Symbol('DEMO_SETTINGS');

/** Where the validated settings sit in `ConfigService`. */
export const DEMO_SETTINGS_KEY = 'demo';

/** How the demo application is put together; `npm start` uses the defaults. */
export interface DemoAppOptions {
  /**
   * The environment to read instead of `.env` and `process.env` (tests). Default: `.env` in the
   * working directory, then the process environment on top.
   */
  env?: Record<string, string | undefined>;
  /** Use this running emulator instead of starting one when no Monite credentials are set (tests). */
  emulator?: MoniteEmulator;
}
