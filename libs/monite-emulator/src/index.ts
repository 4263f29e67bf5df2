export type * from './emulator.types.js';
export { startMoniteEmulator } from './emulator.js';
export {
  DEMO_CLIENT,
  DEMO_ENTITIES,
  DEMO_PAYABLES,
  DEMO_ROLES,
  DEMO_SEED,
  DEMO_USERS,
  type DemoUser,
} from './demo-seed.js';
export { MONITE_API_VERSIONS } from './api-version.js';
export { MONITE_PERMISSION_MATRIX } from './permission-matrix.js';
export { loadSeed, SeedError, PAYABLE_STATUSES } from './seed-loader.js';
