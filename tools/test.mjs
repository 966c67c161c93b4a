// `npm test`: builds the services (end-to-end suites run them as processes), checks that
// PostgreSQL and NATS answer, runs every Jest suite, and ends with "N passed, N failed".
// Extra arguments go to Jest, e.g. `npm test -- apps/identity`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureBuilt,
  ensureChromium,
  ensureDependencies,
  ensureKubectl,
  ensurePythonRequests,
  hostPort,
  isLocalHost,
  isPortOpen,
  log,
  ROOT,
  startEmbeddedPostgres,
  startNatsServer,
} from './lib/stack.mjs';

const postgresUrl = process.env.KEYWARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

ensureDependencies();
ensureBuilt();
// The console's browser suites need Chromium: a run that may include them makes sure it is there.
const jestArgs = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
if (jestArgs.length === 0 || jestArgs.some((arg) => arg.includes('console'))) ensureChromium();
// The Anchore client suites send their requests with Debian's python3-requests.
if (jestArgs.length === 0 || jestArgs.some((arg) => arg.includes('gateway'))) ensurePythonRequests();
// deploy/kubernetes is rendered with kubectl's Kustomize.
if (jestArgs.length === 0 || jestArgs.some((arg) => arg.includes('kubernetes') || arg.includes('gateway'))) ensureKubectl();

const dir = mkdtempSync(join(tmpdir(), 'keyward-jest-'));
// PostgreSQL and NATS are used where they answer; on a local address where nothing answers, a
// throwaway embedded PostgreSQL or nats-server is started for the run and stopped after it.
const started = [];
try {
  for (const [what, url, defaultPort, start] of [
    ['PostgreSQL', postgresUrl, 5432, () => startEmbeddedPostgres(postgresUrl, { dataDir: join(dir, 'postgres'), logFile: join(dir, 'postgres.log') })],
    ['NATS', natsUrl, 4222, () => startNatsServer(natsUrl, { dataDir: join(dir, 'nats'), logFile: join(dir, 'nats.log') })],
  ]) {
    const { host, port } = hostPort(url, defaultPort);
    if (await isPortOpen(host, port)) continue;
    if (!isLocalHost(host)) throw new Error(`${what} does not answer at ${host}:${port}`);
    log(`${what} does not answer at ${host}:${port}: starting one for this test run`);
    started.push(await start());
  }
} catch (error) {
  log(String(error instanceof Error ? error.message : error));
  await Promise.all(started.map((service) => service.stop()));
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

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
await Promise.all(started.map((service) => service.stop()));
rmSync(dir, { recursive: true, force: true });
if (jest.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && jest.status === 0 ? 0 : 1);
