#!/usr/bin/env node
'use strict';
// `keyward`: runs the command line built into dist/, with the @keyward/* path aliases resolving
// there, as tools/service-command.mjs runs a service. Inside a checkout of the repository (with
// its dev dependencies) it first builds when a source file is newer than the build, unless
// KEYWARD_CLI_NO_BUILD=1 (the tests set it: a build must not rewrite dist/ under running suites).
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');

const ROOT = resolve(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

async function ensureBuilt() {
  const stack = join(ROOT, 'tools', 'lib', 'stack.mjs');
  if (process.env.KEYWARD_CLI_NO_BUILD === '1' || !existsSync(stack) || !existsSync(join(ROOT, 'node_modules', 'typescript'))) {
    return;
  }
  const tools = await import(pathToFileURL(stack).href);
  tools.ensureBuilt();
}

ensureBuilt()
  .then(() => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: run "npm run build" in ${ROOT}`);
    }
    process.env.TS_NODE_BASEURL = join(ROOT, 'dist');
    process.env.TS_NODE_PROJECT = join(ROOT, 'tsconfig.json');
    require('tsconfig-paths/register');
    require(MAIN);
  })
  .catch((error) => {
    process.stderr.write(`keyward: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
