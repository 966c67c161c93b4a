// `npm test`: builds the services (end-to-end suites run them as processes), checks that
// PostgreSQL and NATS answer, runs every Jest suite, and ends with "N passed, N failed".
// Extra arguments go to Jest, e.g. `npm test -- apps/identity`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ensureDependencies, hostPort, isPortOpen, log, ROOT } from './lib/stack.mjs';

const postgresUrl = process.env.KEYWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

ensureDependencies();
ensureBuilt();

for (const [what, url, port, hint] of [
  ['PostgreSQL', postgresUrl, 5432, 'start it, or set KEYWARD_TEST_POSTGRES_URL'],
  ['NATS', natsUrl, 4222, 'start nats-server -js, or set NATS_URL'],
]) {
  const { host, port: p } = hostPort(url, port);
  if (!(await isPortOpen(host, p))) {
    log(`${what} does not answer at ${host}:${p}: ${hint}.`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'keyward-jest-'));
const resultsFile = join(dir, 'results.json');
const jest = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NATS_URL: natsUrl } },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
} catch {
  failed = 1;
}
rmSync(dir, { recursive: true, force: true });
if (jest.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && jest.status === 0 ? 0 : 1);
