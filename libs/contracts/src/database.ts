/**
 * The PostgreSQL schema of each service that keeps data. Each service connects as a role of its
 * own that owns its schema and nothing else (see `apps/database-init`).
 */
export const SERVICE_SCHEMAS = { identity: 'identity', credentials: 'credentials', reaper: 'reaper' } as const;

export type DatabaseService = keyof typeof SERVICE_SCHEMAS;

export const DATABASE_SERVICES = Object.keys(SERVICE_SCHEMAS) as DatabaseService[];

/** The role a service connects as: `<prefix>_<service>`, e.g. `keyward_identity`. */
export function serviceRoleName(prefix: string, service: DatabaseService): string {
  return `${prefix}_${service}`;
}
