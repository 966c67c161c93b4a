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
  const connection = await connect({ servers: url.split(','), maxReconnectAttempts: 0 }).catch(() => undefined);
  if (!connection) return;
  try {
    const manager = await connection.jetstreamManager();
    await manager.streams.delete(eventStreamName(prefix)).catch(() => false);
  } catch {
    // A private server or cluster already going away (its files are removed with it).
  } finally {
    await connection.close();
  }
}

function natsServerBinary(): string {
  return ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'].find((path) => existsSync(path)) ?? 'nats-server';
}

/** A nats-server with JetStream of the test's own, on a free port, that can be stopped and started again on it. */
export class PrivateNatsServer {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
    /** Extra arguments: a cluster's name, listen address and routes. */
    private readonly args: string[] = [],
  ) {}

  static async start(port: number, args: string[] = []): Promise<PrivateNatsServer> {
    const server = new PrivateNatsServer(port, mkdtempSync(join(tmpdir(), 'keyward-nats-')), args);
    await server.up();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.child = spawn(natsServerBinary(), ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir, ...this.args], { stdio: 'ignore' });
    await eventually(`nats-server on ${this.port}`, async () => {
      const connection = await connect({ servers: this.url, maxReconnectAttempts: 0 });
      await connection.close();
      return true;
    });
  }

  async down(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** A cluster of `size` JetStream servers of the test's own on loopback, routed to each other. */
export class PrivateNatsCluster {
  private constructor(readonly servers: PrivateNatsServer[]) {}

  static async start(size: number, freePort: () => Promise<number>): Promise<PrivateNatsCluster> {
    const clientPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
    const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
    const name = `keyward-test-${process.pid}-${clientPorts[0] ?? 0}`;
    const routes = routePorts.map((port) => `nats://127.0.0.1:${port}`).join(',');
    const servers = await Promise.all(
      clientPorts.map((port, i) =>
        PrivateNatsServer.start(port, [
          '-n',
          `${name}-${i + 1}`,
          '--cluster_name',
          name,
          '--cluster',
          `nats://127.0.0.1:${routePorts[i] ?? 0}`,
          '--routes',
          routes,
        ]),
      ),
    );
    const cluster = new PrivateNatsCluster(servers);
    // JetStream answers once the servers have elected a metadata leader.
    await eventually(
      'the JetStream cluster to elect a leader',
      async () => {
        const connection = await connect({ servers: cluster.urls, maxReconnectAttempts: 0 });
        try {
          return (await connection.jetstreamManager().then((manager) => manager.getAccountInfo())) ? true : undefined;
        } catch {
          return undefined;
        } finally {
          await connection.close();
        }
      },
      30_000,
      200,
    );
    return cluster;
  }

  get urls(): string[] {
    return this.servers.map((server) => server.url);
  }

  /** NATS_URL for the services: every server, comma-separated. */
  get url(): string {
    return this.urls.join(',');
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }
}
