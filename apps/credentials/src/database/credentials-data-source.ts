import { SERVICE_SCHEMAS } from '@keyward/contracts';
import { serviceDataSourceOptions } from '@keyward/nest-common';
import { type DataSourceOptions } from 'typeorm';
import { ExportAuditEntity } from '../audit/export-audit.entity';
import { CredentialEntity } from '../credentials/credential.entity';
import { ProjectEntity } from '../projects/project.entity';
import { SecretEntity } from '../secrets/secret.entity';
import { CredentialsInitial1763810000000 } from './migrations/1763810000000-credentials-initial';
import { PurgedAccounts1764720000000 } from './migrations/1764720000000-purged-accounts';
import { NamespacesUnique1764910000000 } from './migrations/1764910000000-namespaces-unique';
import { Deliveries1764990000000 } from './migrations/1764990000000-deliveries';
import { DeliveryQueueWithoutRowLocks1765100000000 } from './migrations/1765100000000-delivery-queue-without-row-locks';
import { HoldAgainstPurge1765200000000 } from './migrations/1765200000000-hold-against-purge';

export const CREDENTIALS_SCHEMA = SERVICE_SCHEMAS.credentials;

export function credentialsDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    schema: CREDENTIALS_SCHEMA,
    poolSize,
    applicationName: 'keyward-credentials',
    entities: [ProjectEntity, SecretEntity, CredentialEntity, ExportAuditEntity],
    migrations: [
      CredentialsInitial1763810000000,
      PurgedAccounts1764720000000,
      NamespacesUnique1764910000000,
      Deliveries1764990000000,
      DeliveryQueueWithoutRowLocks1765100000000,
      HoldAgainstPurge1765200000000,
    ],
  });
}
