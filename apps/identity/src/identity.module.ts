import { type DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';
import { IdentitySubjects } from '@keyward/contracts';
import { healthController, KeyRing, Metrics, migrationsRunner, RPC_PIPELINE, serviceCoreImports } from '@keyward/nest-common';
import { AccountRepository } from './accounts/account.repository';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsService } from './accounts/accounts.service';
import { AuditController } from './audit/audit.controller';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuditService } from './audit/audit.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordHasher } from './auth/password-hasher';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { IdentityConfig } from './config';
import { IDENTITY_SCHEMA, identityDataSourceOptions } from './database/identity-data-source';
import { PrincipalEvents } from './events/principal-events';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { RolesController } from './roles/roles.controller';
import { RolesRepository } from './roles/roles.repository';
import { RolesService } from './roles/roles.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { ApiTokenRepository } from './tokens/api-token.repository';
import { TokenVerifier } from './tokens/token-verifier.service';
import { TokensController } from './tokens/tokens.controller';
import { TokensService } from './tokens/tokens.service';
import { AccountLookup } from './users/account-lookup';
import { LoginCredentialsService } from './users/login-credentials.service';
import { UserRepository } from './users/user.repository';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

@Module({})
export class IdentityModule {
  static forRoot(config: IdentityConfig, keyRing: KeyRing): DynamicModule {
    return {
      module: IdentityModule,
      imports: serviceCoreImports('identity', config, identityDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE)),
      controllers: [
        AuditController,
        AccountsController,
        UsersController,
        AuthController,
        healthController(IdentitySubjects.healthCheck),
        RolesController,
        TokensController,
      ],
      providers: [
        { provide: IdentityConfig, useValue: config },
        { provide: KeyRing, useValue: keyRing },
        ...RPC_PIPELINE,
        migrationsRunner(IDENTITY_SCHEMA, BootstrapService),
        {
          provide: LoginThrottle,
          inject: [getDataSourceToken(), Metrics],
          useFactory: (dataSource: DataSource, metrics: Metrics) =>
            new LoginThrottle(
              {
                maxFailuresPerUser: config.KEYWARD_LOGIN_MAX_FAILURES,
                maxFailuresPerAddress: config.KEYWARD_LOGIN_MAX_FAILURES_PER_ADDRESS,
                windowSeconds: config.KEYWARD_LOGIN_FAILURE_WINDOW_SECONDS,
              },
              { kind: 'postgres', dataSource },
              metrics,
            ),
        },
        AuditLogRepository,
        AuditService,
        AccountRepository,
        UserRepository,
        OutboxRepository,
        OutboxRelayService,
        RolesRepository,
        RolesService,
        AccountLookup,
        PasswordHasher,
        PrincipalEvents,
        AccountsService,
        UsersService,
        LoginCredentialsService,
        AuthService,
        BootstrapService,
        ApiTokenRepository,
        TokensService,
        TokenVerifier,
      ],
    };
  }
}
