/*
 * The consumer apps, as their Nest starters make them. Nest 11: `nest new` of @nestjs/schematics
 * 11.0 (CommonJS: `module: commonjs`, no "type" field, Jest with ts-jest configured in package.json).
 * Nest 12: an ESM app ("type": "module", `module: nodenext`), and beside it, sharing its
 * node_modules, the shape Nest 12's own starter has (CommonJS output of `module: nodenext`).
 * Each installs the tarball and the lines of @nestjs/axios, @nestjs/config and @nestjs/swagger
 * that go with its Nest major, with a plain `npm install`.
 */

/** A directory of a consumer project: its files, and how to compile and run it. */
export interface ConsumerProject {
  /** Shown in the test names. */
  title: string;
  /** The Nest major it depends on. */
  nest: 11 | 12;
  moduleSystem: 'commonjs' | 'esm';
  /** package.json without the tarball, which the kit adds. */
  packageJson: Record<string, unknown>;
  /** tsconfig.json and tsconfig.build.json (what `tsc -p tsconfig.build.json` compiles). */
  tsconfig: Record<string, unknown>;
  tsconfigBuild: Record<string, unknown>;
  /** Whether the app runs its own Jest over src/consumer.spec.ts. */
  ownJest: boolean;
  /** Relative imports as the starter writes them: `./app.module.js` (ESM, nodenext) or `./app.module`. */
  relativeImports: 'with-extension' | 'extensionless';
}

const STARTER_JEST = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: 'src',
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.(t|j)s$': 'ts-jest' },
  collectCoverageFrom: ['**/*.(t|j)s'],
  coverageDirectory: '../coverage',
  testEnvironment: 'node',
};

/** @nestjs/schematics 11.0's tsconfig.json, as `nest new` writes it (without --strict). */
const NEST11_STARTER_TSCONFIG = {
  compilerOptions: {
    module: 'commonjs',
    declaration: true,
    removeComments: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    target: 'ES2021',
    sourceMap: true,
    outDir: './dist',
    baseUrl: './',
    incremental: true,
    skipLibCheck: true,
    strictNullChecks: true,
    forceConsistentCasingInFileNames: true,
    noImplicitAny: false,
    strictBindCallApply: false,
    noFallthroughCasesInSwitch: false,
  },
};

/** @nestjs/schematics 11.0's tsconfig.build.json. */
const STARTER_TSCONFIG_BUILD = {
  extends: './tsconfig.json',
  exclude: ['node_modules', 'test', 'dist', '**/*spec.ts'],
};

/** @nestjs/schematics 12's tsconfig.json (strict), without the Jest types the app does not install. */
const NEST12_STARTER_TSCONFIG = {
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    resolvePackageJsonExports: true,
    esModuleInterop: true,
    isolatedModules: true,
    declaration: true,
    removeComments: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    target: 'ES2023',
    types: ['node'],
    sourceMap: true,
    outDir: './dist',
    rootDir: '.',
    incremental: true,
    skipLibCheck: true,
    strict: true,
    strictPropertyInitialization: false,
  },
};

/** @nestjs/schematics 12's tsconfig.build.json. */
const NEST12_STARTER_TSCONFIG_BUILD = {
  extends: './tsconfig.json',
  compilerOptions: { rootDir: './src' },
  include: ['src'],
  exclude: ['node_modules', 'test', 'dist', '**/*spec.ts'],
};

export const NEST11_COMMONJS: ConsumerProject = {
  title: 'Nest 11 CommonJS app (nest new, @nestjs/schematics 11.0)',
  nest: 11,
  moduleSystem: 'commonjs',
  packageJson: {
    name: 'consumer-nest11-cjs',
    private: true,
    dependencies: {
      '@nestjs/axios': '^4.0.0',
      '@nestjs/common': '^11.0.1',
      '@nestjs/config': '^4.0.0',
      '@nestjs/core': '^11.0.1',
      '@nestjs/platform-express': '^11.0.1',
      '@nestjs/platform-fastify': '^11.0.1',
      '@nestjs/swagger': '^11.0.0',
      axios: '^1.7.0',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.1',
    },
    devDependencies: {
      '@types/jest': '^29.5.14',
      '@types/node': '^22.10.7',
      jest: '^29.7.0',
      'ts-jest': '^29.2.5',
      typescript: '^5.7.3',
    },
    jest: STARTER_JEST,
  },
  tsconfig: NEST11_STARTER_TSCONFIG,
  tsconfigBuild: STARTER_TSCONFIG_BUILD,
  ownJest: true,
  // Its Jest resolves the sources as CommonJS, where `./x.js` names a file that is not there.
  relativeImports: 'extensionless',
};

export const NEST12_ESM: ConsumerProject = {
  title: 'Nest 12 ESM app ("type": "module", module nodenext)',
  nest: 12,
  moduleSystem: 'esm',
  packageJson: {
    name: 'consumer-nest12-esm',
    private: true,
    type: 'module',
    dependencies: {
      '@nestjs/axios': '^12.0.0',
      '@nestjs/common': '^12.0.1',
      '@nestjs/config': '^12.0.0',
      '@nestjs/core': '^12.0.1',
      '@nestjs/platform-express': '^12.0.1',
      '@nestjs/platform-fastify': '^12.0.0',
      '@nestjs/swagger': '^12.0.0',
      axios: '^1.7.0',
      'reflect-metadata': '^0.2.2',
      rxjs: '^7.8.1',
    },
    devDependencies: { '@types/node': '^20.19.0', typescript: '^6.0.2' },
  },
  tsconfig: NEST12_STARTER_TSCONFIG,
  tsconfigBuild: NEST12_STARTER_TSCONFIG_BUILD,
  ownJest: false,
  relativeImports: 'with-extension',
};

/**
 * Nest 12's starter as `nest new` makes it: no "type" field, so `module: nodenext` compiles to
 * CommonJS, which loads the ESM-only Nest 12 through require(esm). Built in a subdirectory of the
 * Nest 12 ESM app, whose node_modules it shares: nothing more to install.
 */
export const NEST12_STARTER_COMMONJS = {
  title: 'Nest 12 CommonJS app (nest new, @nestjs/schematics 12: nodenext, no "type")',
  directory: 'starter-cjs',
  packageJson: { name: 'consumer-nest12-cjs', private: true },
  tsconfig: NEST12_STARTER_TSCONFIG,
  tsconfigBuild: NEST12_STARTER_TSCONFIG_BUILD,
  relativeImports: 'with-extension',
} satisfies Partial<ConsumerProject> & { directory: string; title: string };
