import { DATABASE_SERVICES, serviceRoleName } from '@keyward/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
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
});
