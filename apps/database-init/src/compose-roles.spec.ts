import { DATABASE_SERVICES, serviceRoleName } from '@keyward/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

// merge: the NATS servers take their shared settings from YAML anchors (`<<: *nats-server`).
const compose = parse(readFileSync(join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;
const holders = (variable: string) =>
  Object.entries(services)
    .filter(([, service]) => Object.values(service.environment ?? {}).some((value) => String(value).includes(`\${${variable}:`)))
    .map(([name]) => name)
    .sort();

describe('docker-compose.yml: who holds which database role and key ring', () => {
  it('connects each service that keeps data as its own role, made by database-init before it starts', () => {
    const prefix = services['database-init']?.environment?.['KEYWARD_DATABASE_ROLE_PREFIX'] ?? '';
    expect(prefix).toBe('keyward');
    for (const service of DATABASE_SERVICES) {
      const url = new URL((services[service]?.environment?.['DATABASE_URL'] ?? '').replace(/\$\{([A-Z_]+):\?[^}]*\}/g, '$1'));
      expect({ service, user: url.username, password: url.password }).toEqual({
        service,
        user: serviceRoleName(prefix, service),
        password: `KEYWARD_${service.toUpperCase()}_DATABASE_PASSWORD`,
      });
      expect(services[service]?.depends_on?.['database-init']).toEqual({ condition: 'service_completed_successfully' });
      expect(holders(`KEYWARD_${service.toUpperCase()}_DATABASE_PASSWORD`)).toEqual(['database-init', service].sort());
    }
    expect(services['gateway']?.environment?.['DATABASE_URL']).toBeUndefined();
  });

  it("gives the superuser's password to PostgreSQL and database-init only, and each key ring to one service", () => {
    expect(holders('POSTGRES_PASSWORD')).toEqual(['database-init', 'postgres']);
    expect(holders('KEYWARD_MASTER_KEYS')).toEqual(['credentials']);
    expect(holders('KEYWARD_TOKEN_KEYS')).toEqual(['identity']);
  });

  it('runs a cluster of three NATS servers routed to each other, and every service lists all three', () => {
    const natsServers = ['nats-1', 'nats-2', 'nats-3'];
    for (const name of natsServers) {
      const environment = services[name]?.environment ?? {};
      expect(environment['NATS_SERVER_NAME']).toBe(name);
      expect(environment['NATS_CLUSTER_ROUTES']).toBe('nats-1:6222,nats-2:6222,nats-3:6222');
      expect(environment['NATS_ROUTE_PASSWORD']).toMatch(/^\$\{NATS_ROUTE_PASSWORD:\?/);
    }
    expect(holders('NATS_ROUTE_PASSWORD')).toEqual(natsServers);
    for (const service of ['identity', 'credentials', 'reaper', 'gateway']) {
      expect({ service, url: services[service]?.environment?.['NATS_URL'] }).toEqual({
        service,
        url: 'nats://nats-1:4222,nats://nats-2:4222,nats://nats-3:4222',
      });
      // The gateway starts after identity and credentials, which start after the servers.
      const waitsFor = service === 'gateway' ? services['identity'] : services[service];
      for (const name of natsServers) expect(waitsFor?.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
      // Each service holds its own NATS password, and the servers (which check it).
      expect(holders(`NATS_${service.toUpperCase()}_PASSWORD`)).toEqual([...natsServers, service].sort());
    }
  });
});
