/** One Jest run for the workspace: unit specs beside the code, integration and end-to-end suites under each app's test/ folder. */
const { readFileSync } = require('node:fs');

const swc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs}/**/*.{spec,int-spec,e2e-spec}.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: { '^@keyward/(domain|contracts|nest-common|testing)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['<rootDir>/libs/testing/src/setup-env.ts'],
  testTimeout: 90000,
};
