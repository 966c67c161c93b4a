import { eventStreamName } from '@keyward/contracts';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { eventually } from './poll';

export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** Removes the JetStream stream a test run created (named after its subject prefix). */
export async function deleteEventStream(prefix: string | undefined, url = TEST_NATS_URL): Promise<void> {
  if (!prefix) return;
  const connection = await connect({ servers: url, maxReconnectAttempts: 0 }).catch(() => undefined);
  if (!connection) return;
  try {
    const manager = await connection.jetstreamManager();
    await manager.streams.delete(eventStreamName(prefix)).catch(() => false);
  } finally {
    await connection.close();
  }
}

/** A nats-server with JetStream of the test's own, on a free port, that can be stopped and started again on it. */
export class PrivateNatsServer {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  static async start(port: number): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(port, mkdtempSync(join(tmpdir(), 'keyward-nats-')));
    await server.up();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const binary = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'].find((path) => existsSync(path)) ?? 'nats-server';
    this.child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: 'ignore' });
    await eventually(`nats-server on ${this.port}`, async () => {
      const connection = await connect({ servers: this.url, maxReconnectAttempts: 0 });
      await connection.close();
      return true;
    });
  }

  async down(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill('SIGTERM');
    await exited;
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
