// `nestjs-monite-auth/testing`: what an app's tests need, on a subpath the main entry never loads.
export { MONITE_AUTH_CLOCK, systemClock } from '../tokens/monite-clock.js';
export type { MoniteClock } from '../tokens/monite-clock.js';
export { VirtualMoniteClock } from './virtual-monite-clock.js';
export { getMoniteAccessFromContext } from '../rbac/monite-access.decorator.js';
