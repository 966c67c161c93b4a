/**
 * The workspace's Jest suites, as three projects:
 * - unit: `*.spec.ts` beside the code; no PostgreSQL, NATS or build (`npm run test:unit`);
 * - integration: `*.int-spec.ts`, against the real PostgreSQL and NATS;
 * - e2e: `*.e2e-spec.ts` under each app's test/ folder, with the built services as processes.
 * `npm test` runs all three.
 */
const { readFileSync } = require('node:fs');

const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: { '^@keyward/(domain|contracts|nest-common|testing)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['<rootDir>/libs/testing/src/setup-env.ts'],
};

module.exports = {
  testTimeout: 90000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/{apps,libs}/**/*.e2e-spec.ts'] },
  ],
};
