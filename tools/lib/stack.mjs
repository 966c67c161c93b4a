// Helpers shared by the start command, the benchmark and the test runner: find or start
// PostgreSQL and NATS, build the services, run them as child processes. Node built-ins only,
// so the start command can use them before dependencies are installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
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
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
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

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'test') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles apps and libs into dist/ when a source file is newer than the last build. */
export function ensureBuilt() {
  const stamp = join(ROOT, 'dist', 'apps', 'gateway', 'src', 'main.js');
  const newest = Math.max(newestMtime(join(ROOT, 'apps')), newestMtime(join(ROOT, 'libs')));
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest) return;
  log('Building the services (tsc)...');
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('Build failed');
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
 */
export function startService(name, env, output = 'inherit') {
  const child = spawn(
    process.execPath,
    ['-r', 'tsconfig-paths/register', join(ROOT, 'dist', 'apps', name, 'src', 'main.js')],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, TS_NODE_BASEURL: join(ROOT, 'dist'), TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', output, output],
    },
  );
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

/** Waits until the gateway reports ready (NATS, identity and PostgreSQL reachable). */
export function waitForReady(baseUrl, timeoutMs = 60000) {
  return waitFor(`${baseUrl}/health/ready`, async () => (await fetch(`${baseUrl}/health/ready`)).ok, timeoutMs, 200);
}
