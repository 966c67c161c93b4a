import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Credentials, REPO_ROOT } from '@keyward/testing';

export const CLI_MAIN = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  /** Written to the command's stdin, which is then closed; without it stdin is closed at once. */
  input?: string;
  env?: Record<string, string>;
}

/** Variables of the test's own environment that would change what the command line does. */
const CLI_VARIABLES = ['KEYWARD_USER', 'KEYWARD_PASS', 'KEYWARD_URL', 'KEYWARD_CONFIG', 'KEYWARD_ACCOUNT'];

/** Runs `node ...nodeArgs` with the path aliases resolving into dist/, as the bin shim sets them. */
export function runNode(nodeArgs: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of CLI_VARIABLES) delete base[name];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { ...base, TS_NODE_BASEURL: join(REPO_ROOT, 'dist'), TS_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input ?? '');
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/**
 * The `keyward` command line as a real process, built from dist/, against one gateway, with a
 * home directory and a config file path of its own (the real ~/.keyward is never read).
 */
export class CliRunner {
  readonly configPath: string;

  constructor(
    readonly url: string,
    private readonly credentials?: Credentials,
    readonly home: string = mkdtempSync(join(tmpdir(), 'keyward-cli-')),
  ) {
    if (!existsSync(CLI_MAIN)) {
      throw new Error(`${CLI_MAIN} is missing: run the tests with "npm test", which builds first`);
    }
    this.configPath = join(this.home, '.keyward');
  }

  /** The same command line (same home and config path) authenticating with KEYWARD_USER and KEYWARD_PASS. */
  as(credentials: Credentials): CliRunner {
    return new CliRunner(this.url, credentials, this.home);
  }

  run(args: string[], options: CliRun = {}): Promise<CliResult> {
    const env: Record<string, string> = { HOME: this.home, KEYWARD_URL: this.url, KEYWARD_CONFIG: this.configPath, ...options.env };
    if (this.credentials) {
      env['KEYWARD_USER'] = this.credentials.username;
      env['KEYWARD_PASS'] = this.credentials.password;
    }
    return runNode(['-r', 'tsconfig-paths/register', CLI_MAIN, ...args], env, options.input);
  }

  cleanUp(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** The `Key: value` lines of a record, as an object. */
export function fields(stdout: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([A-Za-z][A-Za-z ]*): (.*)$/.exec(line);
    if (match) record[match[1] ?? ''] = match[2] ?? '';
  }
  return record;
}
