// Delivery into Kubernetes for `npm run bench`: the time from `POST /v1/credentials` (scope all,
// in an account of N projects) until all N Secrets exist in a Kubernetes API server, the tests'
// FakeKubernetes (libs/testing), compiled for the run. Projects are created through the API, each
// namespace exists in the fake cluster, and the delivering replica has seen the account before the
// clock starts.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { call } from './credentials.mjs';

/** Compiles the fake API server into `dir` and starts it. */
export async function startFakeKubernetes(root, dir) {
  const out = join(dir, 'fake-kubernetes');
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--outDir',
      out,
      '--module',
      'commonjs',
      '--target',
      'es2022',
      '--skipLibCheck',
      '--types',
      'node',
      join(root, 'libs', 'testing', 'src', 'fake-kubernetes.ts'),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`Compiling the fake Kubernetes API failed: ${tsc.stdout}${tsc.stderr}`);
  const { FakeKubernetes } = createRequire(import.meta.url)(join(out, 'fake-kubernetes.js'));
  const fake = await FakeKubernetes.start();
  return { fake, kubeconfig: fake.writeKubeconfig(dir, 'bench-token') };
}

async function until(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 5));
  }
}

/** Seconds from the create's response until every namespace of the account's N projects holds the Secret. */
export async function deliveryLatency({ baseUrl, adminAuth, pg }, fake, projects) {
  const account = `bench-deliver-${projects}-${Date.now()}`;
  await call(baseUrl, 'POST', '/v1/accounts', adminAuth, { name: account });
  const { rows } = await pg.query('SELECT id FROM identity.accounts WHERE name = $1', [account]);
  const accountId = rows[0].id;
  const headers = { 'x-anchore-account': account };
  for (let i = 0; i < projects; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, projects - i) }, async (_, j) => {
        const project = await call(baseUrl, 'POST', '/v1/projects', adminAuth, { name: `d${projects}-${i + j}` }, headers);
        fake.namespaces.add(project.namespace);
      }),
    );
  }
  // Projects alone queue the account: wait until nothing of it is queued any more.
  await until(
    'the project writes to be seen',
    async () => (await pg.query('SELECT 1 FROM credentials.delivery_queue WHERE account_id = $1', [accountId])).rows.length === 0,
    30000,
  );
  const selector = `keyward.io/managed-by=keyward,keyward.io/account-id=${accountId}`;
  const started = performance.now();
  await call(
    baseUrl,
    'POST',
    '/v1/credentials',
    adminAuth,
    { name: 'everywhere', type: 'docker-registry', scope: 'all', values: { url: 'r.example', username: 'u', password: 'p' } },
    headers,
  );
  const answered = performance.now();
  await until(`${projects} Secrets`, async () => fake.list(selector).length === projects, 120000);
  const done = performance.now();
  return { projects, createMs: answered - started, seconds: (done - started) / 1000 };
}
