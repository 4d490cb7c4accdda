// Three tiers (see shared/STYLE.md): unit specs beside the code, integration and end-to-end
// specs under test/ — all against one real PostgreSQL started by test/setup/global-setup.ts.
// ts-jest in transpile-only mode (types are checked by `npm run typecheck`). No native
// binaries: @swc/core's and Jest 30's platform packages are not all served by the registry CI
// uses, and npm then rejects its own lockfile in `npm ci`.
const tsJest = ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }];
const shared = {
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^@liexi/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  // Per project (same path, so Jest runs it once) so that it goes through the ts-jest transform.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
};
module.exports = {
  rootDir: __dirname,
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Every response and socket message is checked against the OpenAPI and AsyncAPI documents.
      setupFilesAfterEnv: ['<rootDir>/test/setup/contract-check.ts'],
    },
    // Separate processes from the built dist/ behind a real HAProxy (.ci/run installs it and
    // builds first): `npx jest --selectProjects slow`.
    {
      ...shared,
      displayName: 'slow',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/slow/**/*.slow-spec.ts'],
    },
    // The screens in headless Chromium (Debian's, driven by playwright-core) against the api.
    { ...shared, displayName: 'web', rootDir: __dirname, testMatch: ['<rootDir>/test/web/**/*.web-spec.ts'] },
    // The promises of SECURITY.md: faults, bad input, intruders (some start processes and clusters).
    {
      ...shared,
      displayName: 'security',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/security/**/*.sec-spec.ts'],
    },
    // Slow: the api and the embedded PostgreSQL as real processes (built dist/), killed and restarted.
    {
      ...shared,
      displayName: 'security-slow',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/security/**/*.slow-spec.ts'],
    },
  ],
};
