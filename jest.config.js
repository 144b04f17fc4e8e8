// One Jest run covers every workspace. TypeScript goes through SWC (fast, no type check: `npm run
// typecheck` does that) and stays ESM, so tests run the same module graph as `tsx` does at runtime.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/{packages,services,scripts}/**/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Real PostgreSQL and Redis are provisioned once per run (env, Testcontainers or embedded);
  // every test file then creates its own database.
  globalSetup: '<rootDir>/packages/testkit/src/jest-global-setup.ts',
  globalTeardown: '<rootDir>/packages/testkit/src/jest-global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
