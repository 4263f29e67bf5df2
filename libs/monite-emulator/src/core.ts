import { createHash, timingSafeEqual } from 'node:crypto';
import { EmulatorClock } from './clock.js';
import { DEMO_SEED } from './demo-seed.js';
import { EmulatorState, type StoredClient } from './store/state.js';
import { TokenRegistry } from './store/token-registry.js';

/** Settings that can change while the emulator runs. */
export interface EmulatorSettings {
  tokenLifetimeSeconds: number;
  oauth2SuccessStatus: 200 | 201;
}

/** What route handlers share: the data, the issued tokens, the clock and the settings. */
export interface EmulatorCore {
  readonly clock: EmulatorClock;
  readonly tokens: TokenRegistry;
  readonly settings: EmulatorSettings;
  /** Current data; replaced on `reset()`, so always read it through the core. */
  readonly state: EmulatorState;
}

/** A core on the demo seed with the default settings (token lifetime 1800 s, OAuth2 answers 200). */
export function demoCore(): EmulatorCore {
  const clock = new EmulatorClock();
  return {
    clock,
    tokens: new TokenRegistry(clock),
    settings: { tokenLifetimeSeconds: 1800, oauth2SuccessStatus: 200 },
    state: new EmulatorState(DEMO_SEED, clock.now()),
  };
}

/**
 * The client with these credentials, or undefined. Compares digests in constant time, and
 * does the same work for an unknown client id so timing does not reveal which ids exist.
 */
export function findClient(
  core: EmulatorCore,
  clientId: string,
  clientSecret: string,
): StoredClient | undefined {
  const client = core.state.clients.get(clientId.toLowerCase());
  const expected = sha256(client?.clientSecret ?? '\u0000no-client');
  const ok = timingSafeEqual(expected, sha256(clientSecret));
  return client && ok ? client : undefined;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
