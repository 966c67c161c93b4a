// npm run bench: measures Keyward (gateway + identity) against a framework-free floor doing the
// same I/O (HTTP -> NATS request/reply -> one PostgreSQL read), on this machine, in about a minute
// (two at most, when other work on the machine forces the ratio's pair of runs to be repeated).
// Starts everything it needs in isolation (own database, NATS prefix, port, data dir) and removes
// it afterwards. See docs/benchmarks.md for the method.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dropDatabase,
  ensureBuilt,
  ensureDatabase,
  ensureDependencies,
  isPortOpen,
  log,
  ROOT,
  startService,
  stopAll,
  waitFor,
  waitForReady,
} from '../lib/stack.mjs';
import { createsLoad, listAccount, pagesLoad, reap, reapAccount } from './credentials.mjs';
import { deliveryLatency, startFakeKubernetes } from './delivery.mjs';
import { resultsMarkdown, statusOf, writeBenchmarksDoc } from './report.mjs';
import { machineBusyPercent, machineInfo, startCpuSample } from './system.mjs';

const HOST = '127.0.0.1';
const PG_PORT = 5432;
const NATS_PORT = 4222;
const NATS_URL = `nats://${HOST}:${NATS_PORT}`;
const HERE = fileURLToPath(new URL('.', import.meta.url));

function intSetting(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

const settings = {
  connections: intSetting('BENCH_CONNECTIONS', 50, 1, 256),
  durationSeconds: intSetting('BENCH_DURATION', 10, 1, 60),
  warmupSeconds: intSetting('BENCH_WARMUP', 3, 0, 30),
  users: intSetting('BENCH_USERS', 50, 1, 500),
  // The account reaped (and listed at scale): its credentials, and its projects and secrets each.
  reapCredentials: intSetting('BENCH_REAP_CREDENTIALS', 1_000_000, 10_000, 10_000_000),
  reapProjects: intSetting('BENCH_REAP_PROJECTS', 10_000, 1, 100_000),
  requestTimeoutSeconds: 10,
  // The services' log level: their default (as `npm start` and compose run them) unless
  // BENCH_LOG_LEVEL names another, which the report then states.
  logLevel: process.env.BENCH_LOG_LEVEL || undefined,
};
const EXTRA = process.env.BENCH_EXTRA === '1';
// BENCH_ONLY=<text>|<text>: only the scenarios whose label contains one of them, besides the
// ratio's pair (for diagnosis; such a run is never written to the doc).
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split('|').filter(Boolean) : undefined;
const wanted = (label) => !ONLY || ONLY.some((text) => label.includes(text));
const PAIR_ATTEMPTS = 3;
const NOISE_LIMIT = 25; // % of one core used by unrelated work
// BENCH_CPU_PROF=<dir>: write a V8 CPU profile of each service for each measured window there.
const PROFILE_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
// A profiled run, or one at other settings than users run, never goes into the doc.
const WRITE_DOC =
  process.env.BENCH_WRITE_DOC !== '0' &&
  !ONLY &&
  !PROFILE_DIR &&
  settings.logLevel === undefined &&
  settings.reapCredentials === 1_000_000 &&
  settings.reapProjects === 10_000;

/** Extra environment for a process that may be profiled (see cpu-profile-hook.cjs). */
function profileEnv(name) {
  if (!PROFILE_DIR) return {};
  const hook = join(HERE, 'cpu-profile-hook.cjs');
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${hook}`.trim(),
    BENCH_CPU_PROF_DIR: PROFILE_DIR,
    BENCH_CPU_PROF_NAME: name,
  };
}

const basic = (username, password) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

// ---------------------------------------------------------------- child processes

const children = [];

/** Keeps the last lines a child wrote, so a failure can be shown without flooding the report. */
function capture(child, name) {
  child.tail = [];
  child.lineCount = 0;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk) => {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '') continue;
        child.lineCount += 1;
        child.tail.push(line.length > 400 ? `${line.slice(0, 400)}...` : line);
        if (child.tail.length > 20) child.tail.shift();
      }
    });
  }
  child.once('exit', (code, signal) => {
    if (!child.stopping) {
      child.unexpectedExit = `${name} exited unexpectedly (code ${code}, signal ${signal})`;
      log(child.unexpectedExit);
    }
  });
  children.push(child);
  return child;
}

function startNode(script, env, name) {
  const child = spawn(process.execPath, [join(HERE, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...profileEnv(name) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.serviceName = name;
  return capture(child, name);
}

async function stop(list) {
  for (const child of list) child.stopping = true;
  await stopAll(list, 10000);
}

/** Rejects as soon as one of `list` exits, so a crash at start fails fast instead of timing out. */
function whileAlive(list, promise) {
  let onExit;
  const died = new Promise((_, reject) => {
    onExit = () => reject(new Error(list.find((c) => c.unexpectedExit)?.unexpectedExit ?? 'a process exited'));
    for (const child of list) child.once('exit', onExit);
  });
  return Promise.race([promise, died]).finally(() => {
    for (const child of list) child.off('exit', onExit);
  });
}

function showTail(child) {
  if (child.lineCount === 0) return;
  log(`${child.serviceName} wrote ${child.lineCount} log line(s); the last ones:`);
  for (const line of child.tail) process.stderr.write(`    ${line}\n`);
}

// ---------------------------------------------------------------- HTTP helpers

async function call(baseUrl, method, path, auth, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function inBatches(items, limit, task) {
  for (let i = 0; i < items.length; i += limit) {
    await Promise.all(items.slice(i, i + limit).map(task));
  }
}

// ---------------------------------------------------------------- load

let autocannon;

function fire(options) {
  return new Promise((resolvePromise, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolvePromise(result)));
  });
}

const slug = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** Starts the profiler in `processes`; the returned function stops it and names the profiles after `label`. */
function startProfiles(processes, label) {
  if (!PROFILE_DIR) return async () => undefined;
  for (const child of processes) child.kill('SIGWINCH');
  return async () => {
    for (const child of processes) {
      child.kill('SIGWINCH');
      child.profileCount = (child.profileCount ?? 0) + 1;
    }
    for (const child of processes) {
      const written = join(PROFILE_DIR, `${child.serviceName}-${child.profileCount}.cpuprofile`);
      await waitFor(written, () => existsSync(written), 30000, 100);
      const target = join(PROFILE_DIR, `${child.serviceName}--${slug(label)}.cpuprofile`);
      renameSync(written, target);
      log(`CPU profile: ${target}`);
    }
  };
}

/** Deletes the JetStream stream the services created for the bench's subject prefix. */
async function deleteEventStream(prefix) {
  const { connect } = await import('nats');
  const connection = await connect({ servers: NATS_URL, maxReconnectAttempts: 0 });
  try {
    const manager = await connection.jetstreamManager();
    const { eventStreamName } = createRequire(import.meta.url)(join(ROOT, 'dist', 'libs', 'contracts', 'src', 'subjects.js'));
    await manager.streams.delete(eventStreamName(prefix)).catch(() => false);
  } finally {
    await connection.close();
  }
}

/** Waits (at most `maxMs`) for other work on the machine to settle; returns the last busy share seen. */
async function waitForQuiet(maxMs, threshold = 15) {
  const deadline = Date.now() + maxMs;
  let busy = await machineBusyPercent(1000);
  while (busy > threshold && Date.now() < deadline) {
    log(`The machine is ${busy} % busy; waiting for it to settle before measuring...`);
    busy = await machineBusyPercent(2000);
  }
  if (busy > threshold) log(`The machine is still ${busy} % busy: other work will skew the figures (see the "other" CPU column).`);
  return busy;
}

/**
 * Signed requests for autocannon: each connection signs with a token of its own (round robin over
 * `tokens`), and every request gets a `nonce` parameter of its own, since the same signed request
 * twice within a second is a replay.
 */
function signedRequests(tokens, path) {
  const { signRequest } = createRequire(import.meta.url)(join(ROOT, 'dist', 'libs', 'domain', 'src', 'request-signing.js'));
  let connections = 0;
  let nonce = 0;
  return () => [
    {
      method: 'GET',
      setupRequest: (request, context) => {
        context.token ??= tokens[connections++ % tokens.length];
        const url = `${path}?nonce=${nonce++}`;
        return { ...request, path: url, headers: { ...request.headers, authorization: signRequest(context.token, { method: 'GET', url }) } };
      },
    },
  ];
}

/** Warm-up (discarded), then the measured run with a CPU sample (and profiles, if asked) around it. */
async function measure(label, { url, authFor, groups, profile = [], signed, load = {}, connections = settings.connections, always = false }) {
  if (!always && !wanted(label)) return undefined;
  let next = 0;
  const base = {
    url,
    connections,
    pipelining: 1,
    timeout: settings.requestTimeoutSeconds,
    // Connection i authenticates as user i mod N, so every cached credential is in use.
    setupClient: authFor ? (client) => client.setHeaders({ authorization: authFor(next++) }) : undefined,
    ...(signed ? { requests: signed() } : {}),
    ...load,
  };
  if (settings.warmupSeconds > 0) {
    log(`${label}: warming up for ${settings.warmupSeconds} s...`);
    const warm = await fire({ ...base, duration: settings.warmupSeconds });
    if (statusOf(warm) !== 'ok') {
      log(`${label}: warm-up had ${warm.non2xx} non-2xx and ${warm.errors} errors (status codes ${JSON.stringify(warm.statusCodeStats)})`);
    }
  }
  next = 0;
  log(`${label}: measuring for ${settings.durationSeconds} s with ${connections} connections...`);
  const stopProfiles = startProfiles(profile, label);
  const sample = startCpuSample(groups);
  const result = await fire({ ...base, duration: settings.durationSeconds });
  const cpu = sample();
  await stopProfiles();
  return summarise(label, result, cpu);
}

/** Logs a run with its CPU per request per process, and returns it for the report. */
function summarise(label, result, cpu) {
  log(
    `${label}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
      `non-2xx ${result.non2xx}, errors ${result.errors} (timeouts ${result.timeouts})` +
      (result.non2xx > 0 ? `, status codes ${JSON.stringify(result.statusCodeStats)}` : ''),
  );
  // Per request: CPU time and read/write system calls of each process group (diagnostics, not in the doc).
  const done = Math.max(1, result.requests.total);
  const perRequest = Object.keys(cpu.syscalls).map((group) => {
    const calls = cpu.syscalls[group];
    const io = calls ? `${(calls.reads / done).toFixed(2)} r + ${(calls.writes / done).toFixed(2)} w syscalls` : 'syscalls n/a';
    return `${group} ${((cpu.cpuMs[group] ?? 0) / done).toFixed(3)} ms cpu, ${io}`;
  });
  // Everything this scenario's processes, PostgreSQL, NATS and the load generator spent, per request.
  const cpuPerRequestMs = Object.entries(cpu.cpuMs).reduce((sum, [, ms]) => sum + ms, 0) / done;
  log(`${label}: per request: ${perRequest.join('; ')}; ${cpuPerRequestMs.toFixed(3)} ms cpu in all`);
  const disturbed = (cpu.percentOfOneCore.other ?? 0) > NOISE_LIMIT;
  return { label, result, cpu, cpuPerRequestMs, disturbed };
}

/**
 * A load that runs until stopped (the reap's "during" load): `stop()` ends it, `done` resolves to
 * the run, measured like any other.
 */
function background(label, { url, authFor, groups }) {
  let next = 0;
  const sample = startCpuSample(groups);
  let instance;
  const done = new Promise((resolvePromise, reject) => {
    instance = autocannon(
      {
        url,
        connections: settings.connections,
        pipelining: 1,
        timeout: settings.requestTimeoutSeconds,
        duration: 600,
        setupClient: (client) => client.setHeaders({ authorization: authFor(next++) }),
      },
      (error, result) => (error ? reject(error) : resolvePromise(summarise(label, result, sample()))),
    );
  });
  return { stop: () => instance.stop(), done };
}

// ---------------------------------------------------------------- main

async function main() {
  const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!(await isPortOpen(HOST, PG_PORT))) throw new Error(`PostgreSQL is not reachable at ${HOST}:${PG_PORT}`);
  if (!(await isPortOpen(HOST, NATS_PORT))) throw new Error(`NATS is not reachable at ${HOST}:${NATS_PORT}`);
  ensureDependencies();
  ensureBuilt();
  ({ default: autocannon } = await import('autocannon'));
  const { default: pg } = await import('pg');

  const id = process.pid;
  const databaseUrl = `postgres://postgres@${HOST}:${PG_PORT}/keyward_bench_${id}`;
  const prefix = `bench${id}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
  const adminPassword = randomBytes(24).toString('base64url');
  const port = await freePort();
  const baseUrl = `http://${HOST}:${port}`;
  const runs = [];
  let failed = false;

  const cleanup = async () => {
    await stop(children.filter((c) => c.exitCode === null && c.signalCode === null)).catch(() => undefined);
    await dropDatabase(databaseUrl).catch((error) => log(`Could not drop keyward_bench_${id}: ${error.message}`));
    await deleteEventStream(prefix).catch((error) => log(`Could not delete the stream of NATS prefix ${prefix}: ${error.message}`));
    rmSync(dataDir, { recursive: true, force: true });
  };
  let cleaning;
  const onSignal = (signal) => {
    log(`${signal}: cleaning up...`);
    cleaning ??= cleanup();
    cleaning.finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await ensureDatabase(databaseUrl);
    // The services run with their defaults plus these: settings inherited from the caller's shell
    // (a cache TTL, a pool size, a prefix...) are dropped, so they cannot change what is measured.
    const inherited = Object.keys(process.env).filter((key) => /^(KEYWARD_|DATABASE_|NATS_|LOG_LEVEL$)/.test(key));
    const env = {
      ...Object.fromEntries(inherited.map((key) => [key, undefined])),
      DATABASE_URL: databaseUrl,
      NATS_URL,
      KEYWARD_NATS_PREFIX: prefix,
      KEYWARD_ADMIN_PASSWORD: adminPassword,
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_PORT: String(port),
      KEYWARD_HOST: HOST,
      LOG_LEVEL: settings.logLevel,
    };

    // -------- Keyward
    log(`Starting identity, credentials and the gateway (database keyward_bench_${id}, NATS prefix ${prefix}, port ${port})...`);
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    const identity = capture(
      startService('identity', { ...env, KEYWARD_TOKEN_KEYS: `bench:${randomBytes(32).toString('base64')}`, ...profileEnv('identity') }, 'pipe'),
      'identity',
    );
    // Not on the measured paths, but the gateway is ready only when every service answers.
    const masterKeys = `bench:${randomBytes(32).toString('base64')}`;
    const credentials = capture(startService('credentials', { ...env, KEYWARD_MASTER_KEYS: masterKeys, ...profileEnv('credentials') }, 'pipe'), 'credentials');
    const reaper = capture(startService('reaper', { ...env, ...profileEnv('reaper') }, 'pipe'), 'reaper');
    const gateway = capture(startService('gateway', { ...env, ...profileEnv('gateway') }, 'pipe'), 'gateway');
    const keyward = [identity, gateway];
    const everything = [...keyward, credentials, reaper];
    await whileAlive(everything, waitForReady(baseUrl, 60000));

    const admin = basic('admin', adminPassword);
    log(`Creating account bench with ${settings.users} users...`);
    await call(baseUrl, 'POST', '/v1/accounts', admin, { name: 'bench', email: 'bench@example.com' });
    const users = Array.from({ length: settings.users }, (_, i) => ({
      username: `benchuser${String(i + 1).padStart(3, '0')}`,
      password: randomBytes(12).toString('base64url'),
    }));
    await whileAlive(
      keyward,
      inBatches(users, 4, (u) => call(baseUrl, 'POST', '/v1/accounts/bench/users', admin, u)),
    );
    // One sign-in per user, one at a time: the measured runs then hit the credential cache.
    for (const u of users) {
      const account = await call(baseUrl, 'GET', '/v1/account', basic(u.username, u.password));
      if (account?.name !== 'bench') throw new Error(`GET /v1/account as ${u.username} answered ${JSON.stringify(account)}`);
    }
    const listed = await call(baseUrl, 'GET', '/v1/accounts/bench/users', basic(users[0].username, users[0].password));
    if (!Array.isArray(listed) || listed.length !== settings.users) {
      throw new Error(`GET /v1/accounts/bench/users listed ${Array.isArray(listed) ? listed.length : 'no'} users, expected ${settings.users}`);
    }

    // -------- Floor (started now, so its run can directly follow Keyward's GET /v1/account)
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query(`SELECT id FROM identity.accounts WHERE name = 'bench'`).finally(() => client.end());
    const floorPort = await freePort();
    const floorEnv = {
      NATS_URL,
      DATABASE_URL: databaseUrl,
      FLOOR_SUBJECT: `${prefix}.floor.account.get`,
      FLOOR_POOL_SIZE: '10',
      FLOOR_PORT: String(floorPort),
      FLOOR_ACCOUNT_ID: rows[0].id,
    };
    log('Starting the floor (node:http -> NATS -> pg)...');
    const responder = startNode('floor-responder.mjs', floorEnv, 'floor-responder');
    const server = startNode('floor-server.mjs', floorEnv, 'floor-server');
    const floor = [responder, server];
    const floorUrl = `http://${HOST}:${floorPort}/account`;
    await whileAlive(
      floor,
      waitFor(floorUrl, async () => (await fetch(floorUrl, { signal: AbortSignal.timeout(2000) })).ok, 30000, 100),
    );
    const sampleAccount = await (await fetch(floorUrl)).json();
    if (sampleAccount.name !== 'bench') throw new Error(`The floor answered ${JSON.stringify(sampleAccount)}`);

    // -------- Measure. The two runs the ratio compares go back to back; idle processes cost nothing.
    const keywardGroups = { gateway: [gateway.pid], identity: [identity.pid], credentials: [credentials.pid], reaper: [reaper.pid] };
    const floorGroups = { 'floor server': [server.pid], 'floor responder': [responder.pid] };
    const busyBefore = await waitForQuiet(15000);
    const authFor = (i) => basic(users[i % users.length].username, users[i % users.length].password);
    // The ratio's pair of runs is measured again (at most PAIR_ATTEMPTS times) while unrelated work
    // takes more than NOISE_LIMIT % of a core during it; the cleanest pair is kept and reported as such.
    let pair;
    let attempts = 0;
    for (let attempt = 1; attempt <= PAIR_ATTEMPTS; attempt += 1) {
      attempts = attempt;
      const accountRun = await measure('Keyward `GET /v1/account`', {
        url: `${baseUrl}/v1/account`,
        authFor,
        groups: keywardGroups,
        profile: keyward,
        always: true,
      });
      const floorRun = await measure('Floor: `node:http` → NATS → `pg` by primary key', { url: floorUrl, groups: floorGroups, profile: floor, always: true });
      const noise = Math.max(accountRun.cpu.percentOfOneCore.other, floorRun.cpu.percentOfOneCore.other);
      if (!pair || noise < pair.noise) pair = { accountRun, floorRun, noise, attempt };
      if (noise <= NOISE_LIMIT) break;
      if (attempt < PAIR_ATTEMPTS) {
        log(`Other work took up to ${noise} % of a core during the pair: measuring it again (attempt ${attempt + 1} of ${PAIR_ATTEMPTS}).`);
        await waitForQuiet(5000);
      }
    }
    const { accountRun, floorRun } = pair;
    const pairNote = { attempts, kept: pair.attempt, noise: pair.noise, limit: NOISE_LIMIT };
    const keep = (run) => run && runs.push(run);
    keep(accountRun);
    keep(
      await measure(`Keyward \`GET /v1/accounts/bench/users\` (${settings.users} users)`, {
        url: `${baseUrl}/v1/accounts/bench/users`,
        authFor,
        groups: keywardGroups,
        profile: keyward,
      }),
    );
    // API tokens: one per user; signed requests always go to identity (HMAC, replay record), bearer
    // tokens are cached like passwords.
    const tokens = [];
    await inBatches(users, 4, async (u) => {
      tokens.push((await call(baseUrl, 'POST', '/v1/user/tokens', basic(u.username, u.password), { name: 'bench' })).token);
    });
    keep(
      await measure('Keyward `GET /v1/account`, signed token request', {
        url: `${baseUrl}/v1/account`,
        signed: signedRequests(tokens, '/v1/account'),
        groups: keywardGroups,
        profile: keyward,
      }),
    );
    keep(
      await measure('Keyward `GET /v1/account`, bearer token', {
        url: `${baseUrl}/v1/account`,
        authFor: (i) => `Bearer ${tokens[i % tokens.length]}`,
        groups: keywardGroups,
        profile: keyward,
      }),
    );
    if (EXTRA) {
      keep(await measure('Keyward `GET /v1` (auth only, no bus)', { url: `${baseUrl}/v1`, authFor, groups: keywardGroups, profile: keyward }));
      keep(await measure('Keyward `GET /health/live` (no auth, no bus)', { url: `${baseUrl}/health/live`, groups: keywardGroups, profile: keyward }));
    }
    keep(floorRun);

    // -------- Credentials: creates, pages by cursor at 10,000 and 1,000,000, and the reap
    await stop(floor);
    const pg2 = new pg.Client({ connectionString: databaseUrl });
    await pg2.connect();
    let reapRun;
    const deliveryRuns = [];
    try {
      const shared = { baseUrl, adminAuth: admin, pg: pg2 };
      const credentialScenario = async (label, load) =>
        whileAlive(everything, measure(label, { url: load.url, load, groups: keywardGroups, profile: everything }));
      keep(await credentialScenario('Keyward `POST /v1/credentials` (each a new sealed credential)', await createsLoad(shared)));
      log('Writing an account of 10,000 credentials...');
      const small = await listAccount(shared, 10_000);
      keep(await credentialScenario('Keyward `GET /v1/credentials?limit=100&after=<cursor>`, account of 10,000', await pagesLoad(shared, small)));
      keep(
        await credentialScenario(
          'Keyward `GET /v1/credentials?limit=100&offset=<random>`, account of 10,000 (offset paging)',
          await pagesLoad(shared, small, { by: 'offset' }),
        ),
      );
      const big = { credentials: settings.reapCredentials, projects: settings.reapProjects, secrets: settings.reapProjects };
      if (wanted(big.credentials.toLocaleString('en-US')) || wanted('reap')) {
        log(
          `Writing an account of ${big.credentials.toLocaleString('en-US')} credentials, ${big.projects.toLocaleString('en-US')} projects and ${big.secrets.toLocaleString('en-US')} secrets...`,
        );
        const large = await whileAlive(everything, reapAccount(shared, big));
        // Vacuumed now, so that no autovacuum of the fresh rows runs during the measured windows.
        await pg2.query('VACUUM ANALYZE credentials.credentials');
        keep(
          await credentialScenario(
            `Keyward \`GET /v1/credentials?limit=100&after=<cursor>\`, account of ${big.credentials.toLocaleString('en-US')}`,
            await pagesLoad(shared, { ...large, credentials: big.credentials }),
          ),
        );
        // The gateway's idle throughput for other accounts, then the same load during the reap.
        await waitForQuiet(10000);
        const idleRun = await measure('Keyward `GET /v1/account` (other accounts), before the reap', {
          url: `${baseUrl}/v1/account`,
          authFor,
          groups: keywardGroups,
          profile: everything,
          always: true,
        });
        runs.push(idleRun);
        log(`Reaping the account of ${big.credentials.toLocaleString('en-US')} credentials while other accounts' requests go on...`);
        const reaped = await whileAlive(
          everything,
          reap(shared, large, () =>
            background('Keyward `GET /v1/account` (other accounts), during the reap', { url: `${baseUrl}/v1/account`, authFor, groups: keywardGroups }),
          ),
        );
        keep(reaped.duringReap);
        reapRun = { ...big, seconds: reaped.seconds, left: reaped.left, idle: idleRun, during: reaped.duringReap };
        log(`Reaped in ${reaped.seconds.toFixed(2)} s; left ${JSON.stringify(reaped.left)}`);
      }
      // -------- Delivery: the credentials service again, now with a (fake) cluster to deliver to.
      if (wanted('delivery')) {
        const { fake, kubeconfig } = await startFakeKubernetes(ROOT, dataDir);
        try {
          const index = everything.indexOf(credentials);
          await stop([credentials]);
          const delivering = capture(
            startService('credentials', { ...env, KEYWARD_MASTER_KEYS: masterKeys, KEYWARD_KUBECONFIG: kubeconfig }, 'pipe'),
            'credentials',
          );
          everything[index] = delivering;
          await whileAlive(everything, waitForReady(baseUrl, 60000));
          for (const projects of [100, 1000]) {
            log(`Delivery: a credential of scope all into ${projects} project namespaces...`);
            const measured = await whileAlive(everything, deliveryLatency(shared, fake, projects));
            log(`  in all ${projects} namespaces after ${measured.seconds.toFixed(2)} s`);
            deliveryRuns.push(measured);
          }
        } finally {
          await fake.stop();
        }
      }
    } finally {
      await pg2.end();
    }
    for (const child of children) if (child.unexpectedExit) throw new Error(child.unexpectedExit);
    children.forEach(showTail);
    await stop(everything);

    // -------- Report
    const rate = (label) => runs.find((run) => run.label.startsWith(label))?.result.requests.average ?? NaN;
    const floorRate = floorRun.result.requests.average;
    const ratios = {
      basic: accountRun.result.requests.average / floorRate,
      bearer: rate('Keyward `GET /v1/account`, bearer') / floorRate,
      signed: rate('Keyward `GET /v1/account`, signed') / accountRun.result.requests.average,
      users: rate('Keyward `GET /v1/accounts/bench/users`') / floorRate,
      creates: rate('Keyward `POST /v1/credentials`') / floorRate,
      page: rate('Keyward `GET /v1/credentials?limit=100&after=<cursor>`, account of 10,000') / floorRate,
      flat:
        rate(`Keyward \`GET /v1/credentials?limit=100&after=<cursor>\`, account of ${settings.reapCredentials.toLocaleString('en-US')}`) /
        rate('Keyward `GET /v1/credentials?limit=100&after=<cursor>`, account of 10,000'),
      reapSeconds: reapRun?.seconds ?? NaN,
      duringReap: reapRun ? reapRun.during.result.requests.average / reapRun.idle.result.requests.average : NaN,
    };
    const costRatio = accountRun.cpuPerRequestMs > 0 ? floorRun.cpuPerRequestMs / accountRun.cpuPerRequestMs : null;
    const markdown = resultsMarkdown({
      machine: machineInfo(),
      date,
      settings,
      runs,
      ratios,
      reap: reapRun,
      delivery: deliveryRuns,
      costRatio,
      pairNote,
      busyBefore,
      profiled: Boolean(PROFILE_DIR),
    });
    process.stdout.write(`\n${markdown}\n\n`);
    failed = runs.some((run) => statusOf(run.result) !== 'ok') || Object.values(reapRun?.left ?? {}).some((count) => count > 0);
    if (failed) log('At least one scenario had errors or non-2xx responses, or the reap left rows: see the status column.');
    if (WRITE_DOC) {
      writeBenchmarksDoc(join(ROOT, 'docs', 'benchmarks.md'), markdown);
      log('Updated docs/benchmarks.md');
    }
  } catch (error) {
    children.forEach(showTail);
    throw error;
  } finally {
    cleaning ??= cleanup();
    await cleaning;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
