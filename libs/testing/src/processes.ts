import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LOG_FLUSH_INTERVAL_MS } from '@keyward/nest-common';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** A built service running as its own process, with everything it printed kept for inspection. */
export class ServiceProcess {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  }

  static start(name: 'gateway' | 'identity' | 'credentials' | 'reaper' | 'database-init', env: Record<string, string>, args: string[] = []): ServiceProcess {
    const main = join(REPO_ROOT, 'dist', 'apps', name, 'src', 'main.js');
    if (!existsSync(main)) {
      throw new Error(`${main} is missing: run the tests with "npm test", which builds first`);
    }
    const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', main, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, TS_NODE_BASEURL: join(REPO_ROOT, 'dist'), TS_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child);
  }

  get logs(): string {
    return this.output;
  }

  /** What the process printed, once the lines it buffered have surely been written (see LOG_FLUSH_INTERVAL_MS). */
  async flushedLogs(): Promise<string> {
    await sleep(LOG_FLUSH_INTERVAL_MS + 300);
    return this.output;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code once the process ends. */
  exit(): Promise<number | null> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) {
      return;
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    this.child.kill(signal);
    await this.exited;
    clearTimeout(timer);
  }
}
