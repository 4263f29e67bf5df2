import type { Provider } from '@nestjs/common';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { InMemoryTokenStore } from './in-memory-token-store.js';
import { MONITE_AUTH_CLOCK, systemClock, type MoniteClock } from './monite-clock.js';
import { MoniteInvalidations } from './monite-invalidations.js';
import { MoniteTokenStore } from './monite-token-store.js';
import { MoniteTokenService } from './monite-token.service.js';
import { TokenEndpointClient } from './token-endpoint.client.js';

/** Providers of this folder, registered and exported by MoniteAuthModule. */
export const tokenProviders: Provider[] = [
  { provide: MONITE_AUTH_CLOCK, useValue: systemClock },
  {
    provide: MoniteTokenStore,
    inject: [MONITE_AUTH_RESOLVED_OPTIONS, MONITE_AUTH_CLOCK],
    useFactory: (options: ResolvedMoniteAuthOptions, clock: MoniteClock): MoniteTokenStore =>
      options.tokenStore ??
      new InMemoryTokenStore({ maxEntityUserTokens: options.entityUserTokenCacheMax, clock }),
  },
  MoniteInvalidations,
  TokenEndpointClient,
  MoniteTokenService,
];
