/** @type {import('jest').Config} */
const config = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '.*\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/libs/.*/dist/', '<rootDir>/dist/'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  moduleNameMapper: {
    // Tests use the sources of the workspace packages; the packed-tarball e2e test covers the build.
    '^nestjs-monite-auth$': '<rootDir>/libs/monite-auth/src/index.ts',
    '^nestjs-monite-auth/testing$': '<rootDir>/libs/monite-auth/src/testing/index.ts',
    '^nestjs-monite-auth/swagger$': '<rootDir>/libs/monite-auth/src/swagger/index.ts',
    '^monite-emulator$': '<rootDir>/libs/monite-emulator/src/index.ts',
    '^monite-emulator/domain$': '<rootDir>/libs/monite-emulator/src/domain.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  testTimeout: 30000,
  // One suite at a time, as Jest already does on a 2-core machine: the packed-package suite
  // rebuilds libs/monite-auth/dist, which the Redis replica suite's child processes import.
  maxWorkers: 1,
};
export default config;
