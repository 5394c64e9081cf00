// ESM mode: NestJS 12 ships ESM only, and Jest on Node 20 can only load it
// through --experimental-vm-modules (see the `test` script).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.{spec,e2e-spec}.ts'],
  moduleNameMapper: {
    '^@herald/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // ESM only, required from CommonJS: see the file.
    '^content-disposition$': '<rootDir>/test/support/cjs/content-disposition.cjs',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  testTimeout: 30000,
};
