import { SERVICE_SCHEMAS } from '@keyward/contracts';
import { serviceDataSourceOptions } from '@keyward/nest-common';
import { type DataSourceOptions } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { OutboxEntity } from '../outbox/outbox.entity';
import { PasswordCredentialEntity } from '../users/password-credential.entity';
import { UserEntity } from '../users/user.entity';
import { IdentityInitial1763800000000 } from './migrations/1763800000000-identity-initial';
import { UserRoles1763830000000 } from './migrations/1763830000000-user-roles';
import { ApiTokens1764600000000 } from './migrations/1764600000000-api-tokens';
import { LoginFailures1764730000000 } from './migrations/1764730000000-login-failures';
import { UnloggedSignatureReplays1764900000000 } from './migrations/1764900000000-unlogged-signature-replays';
import { AuditLog1765000000000 } from './migrations/1765000000000-audit-log';

export const IDENTITY_SCHEMA = SERVICE_SCHEMAS.identity;

export function identityDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    schema: IDENTITY_SCHEMA,
    poolSize,
    applicationName: 'keyward-identity',
    entities: [AccountEntity, UserEntity, PasswordCredentialEntity, OutboxEntity],
    migrations: [
      IdentityInitial1763800000000,
      UserRoles1763830000000,
      ApiTokens1764600000000,
      LoginFailures1764730000000,
      UnloggedSignatureReplays1764900000000,
      AuditLog1765000000000,
    ],
  });
}
