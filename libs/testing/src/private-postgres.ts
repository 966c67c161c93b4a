import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { eventually } from './poll';

/** PostgreSQL's own programs: on the PATH, else those of the newest version Debian installed. */
function postgresBinary(name: 'initdb' | 'pg_ctl'): string {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  return join('/usr/lib/postgresql', versions[0] ?? '', 'bin', name);
}

/**
 * A PostgreSQL server of the test's own (trust authentication, loopback, a free port, a data
 * folder in tmp), which the test may restart or kill without touching the machine's. PostgreSQL
 * refuses to run as root: as root, it runs as the `postgres` user.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(port: number): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-pg-'));
    const server = new PrivatePostgres(port, dir);
    if (userInfo().uid === 0) {
      const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
      const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
      chownSync(dir, Number(ids), Number(gid));
      chmodSync(dir, 0o700);
    }
    server.run(postgresBinary('initdb'), ['-D', server.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await server.up();
    return server;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(program: string, args: string[]): void {
    const [command, commandArgs] = userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
    const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  }

  async up(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c fsync=off -c max_connections=200`;
    this.run(postgresBinary('pg_ctl'), ['-D', this.dataDir, '-l', join(this.dir, 'server.log'), '-o', options, '-w', 'start']);
    await eventually(`PostgreSQL on ${this.port}`, async () => {
      const client = new Client({ connectionString: this.url });
      await client.connect();
      await client.end();
      return true;
    });
  }

  /** `fast`: a clean restart (connections are cut); `immediate`: as after a crash. */
  down(mode: 'fast' | 'immediate' = 'fast'): void {
    this.run(postgresBinary('pg_ctl'), ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
  }

  async stop(): Promise<void> {
    try {
      this.down('immediate');
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
