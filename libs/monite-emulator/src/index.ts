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
export { DEMO_OBJECTS, type DemoObjects } from './demo-objects.js';
export { MONITE_API_VERSIONS } from './api-version.js';
export { EMULATOR_PERMISSION_MATRIX } from './permission-matrix.js';
export { loadSeed, SeedError } from './seed-loader.js';
export { PAYABLE_STATUSES, type PayableStatus } from './domain.js';
