// `npm start`: the whole Keyward stack on this machine, from a fresh clone.
//
//   1. installs dependencies when missing and builds the services when a source is newer;
//   2. uses PostgreSQL where DATABASE_URL answers, else starts an embedded one (data in .data/postgres);
//   3. uses NATS where NATS_URL answers, else starts `nats-server -js` (data in .data/nats);
//   4. takes credentials' key ring from KEYWARD_MASTER_KEYS and identity's (API token secrets) from
//      KEYWARD_TOKEN_KEYS, or else creates development ones once in .data/master-keys and
//      .data/token-keys (mode 0600) and reuses them;
//   5. creates the database and, as its superuser, a role per service owning that service's schema
//      (database-init; passwords in .data/database-passwords), starts identity, waits for it, starts credentials, waits for it,
//      starts the reaper (it needs both), waits for it, starts the gateway, waits until ready;
//   6. prints where to go, then runs until Ctrl-C (SIGINT) or SIGTERM, and stops everything it
//      started, in reverse order. If any of them dies, it stops the rest and exits non-zero.
//
// Node built-ins only until dependencies are installed (stack.mjs imports pg and nats lazily).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ensureBuilt,
  ensureDatabase,
  ensureDependencies,
  exitOf,
  hostPort,
  identityHealth,
  isLocalHost,
  isPortOpen,
  log,
  natsServerBinary,
  credentialsHealth,
  reaperHealth,
  ROOT,
  startEmbeddedPostgres,
  startNatsServer,
  startService,
  stopProcess,
  waitFor,
  waitForReady,
} from './lib/stack.mjs';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/keyward';
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const MASTER_KEYS_EXAMPLE = 'k1:$(openssl rand -base64 32)';

/** A failure the user can act on: printed as one line, without a stack trace. */
class StartError extends Error {}

/** Everything this command started, in start order; stopped in reverse order. */
const started = [];
let stopping = false;
let firstSignalAt = 0;

function display(path) {
  return path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;
}

function own(name, child, stop) {
  const entry = { name, child, stop };
  started.push(entry);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    log(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.`);
    void shutdown(1);
  });
  return entry;
}

async function shutdown(exitCode) {
  if (stopping) return;
  stopping = true;
  for (const { name, stop } of [...started].reverse()) {
    log(`Stopping ${name}...`);
    await stop().catch((error) => log(`Stopping ${name} failed: ${error.message}`));
  }
  if (started.length > 0) log(exitCode === 0 ? 'Stopped.' : 'Stopped after a failure.');
  process.exit(exitCode);
}

function onSignal(signal) {
  if (!stopping) {
    firstSignalAt = Date.now();
    log(`${signal} received: stopping the stack (press Ctrl-C again to force)...`);
    void shutdown(0);
    return;
  }
  // npm forwards the terminal's Ctrl-C too, so the same keypress can arrive twice: ignore repeats for a moment.
  if (Date.now() - firstSignalAt < 1500) return;
  log('Forced: killing what is left.');
  for (const { child } of started) child.kill('SIGKILL');
  process.exit(130);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
// Last resort (an unexpected crash of this script): leave nothing running behind.
process.on('exit', () => {
  for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

async function main() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new StartError(`Node.js 20.19 or newer is needed (this is ${process.versions.node}).`);
  }

  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const natsUrl = process.env.NATS_URL || DEFAULT_NATS_URL;
  const dataDir = resolve(ROOT, process.env.KEYWARD_DATA_DIR || '.data');
  const gatewayHost = process.env.KEYWARD_HOST || '127.0.0.1';
  const gatewayPort = Number(process.env.KEYWARD_PORT || 8228);
  const probeHost = ['0.0.0.0', '::', ''].includes(gatewayHost) ? '127.0.0.1' : gatewayHost;
  const baseUrl = `http://${probeHost.includes(':') ? `[${probeHost}]` : probeHost}:${gatewayPort}`;

  for (const [name, url, scheme] of [
    ['DATABASE_URL', databaseUrl, /^postgres(ql)?:$/],
    ['NATS_URL', natsUrl, /^nats:$/],
  ]) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new StartError(`${name} is not a URL: ${name === 'DATABASE_URL' ? 'e.g. ' + DEFAULT_DATABASE_URL : 'e.g. ' + DEFAULT_NATS_URL}`);
    }
    if (!scheme.test(parsed.protocol)) throw new StartError(`${name} must start with ${name === 'DATABASE_URL' ? 'postgres://' : 'nats://'}`);
  }

  ensureDependencies();
  ensureBuilt();

  // Decide everything before starting anything, so a missing piece fails fast and leaves nothing behind.
  const pg = hostPort(databaseUrl, 5432);
  const nats = hostPort(natsUrl, 4222);
  const [pgAnswers, natsAnswers, gatewayPortTaken] = await Promise.all([
    isPortOpen(pg.host, pg.port),
    isPortOpen(nats.host, nats.port),
    isPortOpen(probeHost, gatewayPort),
  ]);
  if (gatewayPortTaken) {
    throw new StartError(`Port ${gatewayPort} on ${probeHost} is already in use (another Keyward?): stop it, or set KEYWARD_PORT.`);
  }
  if (!pgAnswers && !isLocalHost(pg.host)) {
    throw new StartError(`PostgreSQL does not answer at ${pg.host}:${pg.port} (DATABASE_URL); an embedded one is started only for a local address.`);
  }
  if (!natsAnswers && !isLocalHost(nats.host)) {
    throw new StartError(`NATS does not answer at ${nats.host}:${nats.port} (NATS_URL); nats-server is started only for a local address.`);
  }
  if (!natsAnswers && !natsServerBinary()) {
    throw new StartError(`NATS does not answer at ${nats.host}:${nats.port} and nats-server is not installed: apt-get install nats-server (or set NATS_URL).`);
  }

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Two rings, each held by one service: credentials' values, identity's API token secrets.
  const masterKeys = keyRing(dataDir, {
    variable: 'KEYWARD_MASTER_KEYS',
    file: 'master-keys',
    firstId: 'dev1',
    holder: 'credentials',
    what: 'stored credentials',
  });
  const tokenKeys = keyRing(dataDir, { variable: 'KEYWARD_TOKEN_KEYS', file: 'token-keys', firstId: 'tok1', holder: 'identity', what: 'API token secrets' });
  if (!masterKeys.file || !tokenKeys.file) log('(In production, set KEYWARD_MASTER_KEYS and KEYWARD_TOKEN_KEYS from a secret store.)');

  if (pgAnswers) {
    log(`Using PostgreSQL at ${pg.host}:${pg.port}`);
  } else {
    log(`PostgreSQL does not answer at ${pg.host}:${pg.port}: starting an embedded one...`);
    const server = await startEmbeddedPostgres(databaseUrl, { dataDir: join(dataDir, 'postgres'), logFile: join(dataDir, 'postgres.log') });
    own('embedded PostgreSQL', server.process, server.stop);
    log(`Embedded PostgreSQL is running on ${pg.host}:${pg.port} (data: ${display(join(dataDir, 'postgres'))}, log: ${display(server.logFile)})`);
  }
  try {
    await ensureDatabase(databaseUrl);
  } catch (error) {
    throw new StartError(`Cannot prepare the database at ${pg.host}:${pg.port}: ${error.message}`);
  }
  const databaseUrls = await serviceDatabaseUrls(dataDir, databaseUrl);
  const databaseOf = (service) => ({ DATABASE_URL: databaseUrls?.[service] ?? databaseUrl });

  if (natsAnswers) {
    log(`Using NATS at ${nats.host}:${nats.port}`);
  } else {
    log(`NATS does not answer at ${nats.host}:${nats.port}: starting nats-server -js...`);
    const server = await startNatsServer(natsUrl, {
      dataDir: join(dataDir, 'nats'),
      logFile: join(dataDir, 'nats.log'),
      user: process.env.NATS_USER,
      pass: process.env.NATS_PASSWORD,
    });
    own('nats-server', server.process, server.stop);
    log(`nats-server is running on ${nats.host}:${nats.port} (data: ${display(join(dataDir, 'nats'))}, log: ${display(server.logFile)})`);
  }

  // Each key ring goes to the one service that seals with it; each service gets its own database role.
  const env = { DATABASE_URL: undefined, NATS_URL: natsUrl, KEYWARD_DATA_DIR: dataDir, KEYWARD_MASTER_KEYS: undefined, KEYWARD_TOKEN_KEYS: undefined };
  const childEnv = { ...process.env, ...env };

  log('Starting identity (migrations and first-start bootstrap run now)...');
  const identity = startService('identity', { ...env, ...databaseOf('identity'), KEYWARD_TOKEN_KEYS: tokenKeys.keys }, 'inherit', { detached: true });
  own('identity', identity, () => stopProcess(identity, 'SIGTERM', 15000));
  await Promise.race([
    exitOf(identity, 'identity'),
    waitFor('identity to answer on NATS', async () => (await identityHealth(childEnv, 1000))?.database === 'up', 120000, 250),
  ]);

  log('Starting credentials (migrations run now)...');
  const credentials = startService('credentials', { ...env, ...databaseOf('credentials'), KEYWARD_MASTER_KEYS: masterKeys.keys }, 'inherit', {
    detached: true,
  });
  own('credentials', credentials, () => stopProcess(credentials, 'SIGTERM', 15000));
  await Promise.race([
    exitOf(credentials, 'credentials'),
    waitFor('credentials to answer on NATS', async () => (await credentialsHealth(childEnv, 1000))?.database === 'up', 120000, 250),
  ]);

  // The reaper asks both services (credentials.account.purge, identity.account.remove), so it
  // comes after them, and stops before them.
  log('Starting the reaper (migrations run now)...');
  const reaper = startService('reaper', { ...env, ...databaseOf('reaper') }, 'inherit', { detached: true });
  own('reaper', reaper, () => stopProcess(reaper, 'SIGTERM', 15000));
  await Promise.race([
    exitOf(reaper, 'reaper'),
    waitFor('the reaper to answer on NATS', async () => (await reaperHealth(childEnv, 1000))?.database === 'up', 120000, 250),
  ]);

  log('Starting the gateway...');
  const gateway = startService('gateway', env, 'inherit', { detached: true });
  own('gateway', gateway, () => stopProcess(gateway, 'SIGTERM', 15000));
  await Promise.race([exitOf(gateway, 'gateway'), waitForReady(baseUrl, 60000)]);

  process.stdout.write(`${await banner(baseUrl, dataDir, [masterKeys, tokenKeys])}\n`);
}

/**
 * What is wrong with a key ring (`id:base64key[,id:base64key...]`, 32-byte keys), checked as the
 * credentials service parses it, or undefined. Never quotes a key.
 */
function masterKeysProblem(spec) {
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return 'it holds no key';
  const ids = new Set();
  for (const entry of entries) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    if (separator <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      return 'each key must be id:base64key, the id 1 to 32 letters, digits, - or _';
    }
    const length = Buffer.from(entry.slice(separator + 1), 'base64').length;
    if (length !== 32) return `key ${id} must be 32 bytes encoded in base64 (it is ${length})`;
    if (ids.has(id)) return `key id ${id} appears twice`;
    ids.add(id);
  }
  return undefined;
}

/**
 * A key ring: `variable` when set, else a development ring in `<data>/<file>`, created once (one
 * random 32-byte key with id `firstId`, readable by its owner only) and reused on every later
 * start. Logs where it comes from, never the key.
 */
function keyRing(dataDir, { variable, file: name, firstId, holder, what }) {
  const fromEnv = process.env[variable]?.trim();
  if (fromEnv) {
    const problem = masterKeysProblem(fromEnv);
    if (problem) throw new StartError(`${variable} is invalid: ${problem}. Expected id:base64key[,...], e.g. ${MASTER_KEYS_EXAMPLE}`);
    const active = fromEnv.slice(0, fromEnv.indexOf(':'));
    log(`Using the key ring in ${variable} for ${holder} (active key ${active})`);
    return { variable, keys: fromEnv, active, file: undefined, what };
  }

  const file = join(dataDir, name);
  let created = false;
  if (!existsSync(file)) {
    try {
      writeFileSync(file, `${firstId}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (error) {
      // Another start created it first: use that one.
      if (error.code !== 'EEXIST') throw new StartError(`Cannot create ${display(file)}: ${error.message}`);
    }
  }
  if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    log(`Made ${display(file)} readable by its owner only (mode 0600)`);
  }
  const keys = readFileSync(file, 'utf8').trim();
  const problem = masterKeysProblem(keys);
  if (problem) {
    throw new StartError(
      `${display(file)} is not a valid key ring: ${problem}. Restore it, or set ${variable}; ` +
        `without the key it held, the ${what} sealed with it cannot be opened.`,
    );
  }
  const active = keys.slice(0, keys.indexOf(':'));
  log(
    `${created ? 'Created a development key ring' : 'Using the development key ring'} for ${holder} in ${display(file)} ` +
      `(key ${active}, mode 0600)${created ? `: keep it, the ${what} are sealed with it` : ''}.`,
  );
  return { variable, keys, active, file, what };
}

/**
 * The services' own PostgreSQL roles (apps/database-init), with passwords generated once in
 * `<data>/database-passwords` (mode 0600). Returns each service's DATABASE_URL, or, when
 * DATABASE_URL does not name a superuser, undefined: then every service uses DATABASE_URL.
 */
async function serviceDatabaseUrls(dataDir, databaseUrl) {
  const file = join(dataDir, 'database-passwords');
  if (!existsSync(file)) {
    const passwords = Object.fromEntries(['identity', 'credentials', 'reaper'].map((service) => [service, randomBytes(24).toString('base64url')]));
    writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  const passwords = JSON.parse(readFileSync(file, 'utf8'));
  const prefix = process.env.KEYWARD_DATABASE_ROLE_PREFIX || 'keyward';
  const init = startService(
    'database-init',
    {
      DATABASE_URL: databaseUrl,
      KEYWARD_DATABASE_ROLE_PREFIX: prefix,
      KEYWARD_IDENTITY_DATABASE_PASSWORD: passwords.identity,
      KEYWARD_CREDENTIALS_DATABASE_PASSWORD: passwords.credentials,
      KEYWARD_REAPER_DATABASE_PASSWORD: passwords.reaper,
    },
    'pipe',
  );
  let output = '';
  init.stdout.on('data', (chunk) => (output += chunk));
  init.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolvePromise) => init.once('exit', resolvePromise));
  if (code !== 0) {
    if (output.includes('must name a superuser')) {
      log('DATABASE_URL is not a superuser: every service connects with it (compose gives each service a role of its own).');
      return undefined;
    }
    throw new StartError(`Preparing the services' database roles failed: ${output.trim()}`);
  }
  for (const line of output.trim().split('\n')) log(line);
  return Object.fromEntries(
    ['identity', 'credentials', 'reaper'].map((service) => {
      const url = new URL(databaseUrl);
      url.username = `${prefix}_${service}`;
      url.password = passwords[service];
      return [service, url.toString()];
    }),
  );
}

/** What to tell the user once the stack is ready, having checked the admin password it points to. */
async function banner(baseUrl, dataDir, keyRings) {
  const passwordFile = join(dataDir, 'admin-password');
  const fromEnv = process.env.KEYWARD_ADMIN_PASSWORD;
  let signIn;
  if (fromEnv) {
    signIn = [`Sign in:  user "admin", password from KEYWARD_ADMIN_PASSWORD`];
    if ((await adminLogin(baseUrl, fromEnv)) === 401) {
      signIn.push(
        '          (it does not work here: KEYWARD_ADMIN_PASSWORD is used only when the admin account is',
        '          first created; change the password with POST /v1/user/credentials)',
      );
    }
  } else if (existsSync(passwordFile)) {
    signIn = [`Sign in:  user "admin", password in ${display(passwordFile)}`];
    const status = await adminLogin(baseUrl, readFileSync(passwordFile, 'utf8').trim());
    if (status === 401) {
      signIn.push('          (it does not work here: the password was changed since, or this database was set up elsewhere)');
    }
  } else {
    signIn = [
      `Sign in:  user "admin", with the password chosen when this database was first set up`,
      `          (${display(passwordFile)} is written only on that first start)`,
    ];
  }
  const curlPassword = fromEnv ? '"$KEYWARD_ADMIN_PASSWORD"' : `"$(cat ${display(passwordFile)})"`;
  return [
    '',
    `Keyward is running at ${baseUrl}`,
    '',
    `Console:  ${baseUrl}/`,
    `API:      ${baseUrl}/v1`,
    `Docs:     ${baseUrl}/docs`,
    ...signIn,
    `Try:      curl -u admin:${curlPassword} ${baseUrl}/v1/account`,
    ...keyRings.map(
      (ring, index) =>
        `${index === 0 ? 'Keys:     ' : '          '}${ring.file ? `development key ring in ${display(ring.file)}` : `from ${ring.variable} (active key ${ring.active})`} seals the ${ring.what}${ring.file ? '; keep it' : ''}`,
    ),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

/** The HTTP status of an authenticated request as admin, or undefined when it could not be made. */
async function adminLogin(baseUrl, password) {
  try {
    const response = await fetch(`${baseUrl}/v1/user`, {
      headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` },
    });
    return response.status;
  } catch {
    return undefined;
  }
}

main().catch(async (error) => {
  if (stopping) return;
  const detail = error instanceof Error ? (process.env.LOG_LEVEL === 'debug' ? error.stack : error.message) : String(error);
  log(error instanceof StartError ? detail : `Start failed: ${detail}`);
  await shutdown(1);
});
