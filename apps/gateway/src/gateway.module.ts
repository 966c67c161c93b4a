import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { LoggingModule, MessagingModule, Metrics, MetricsModule } from '@keyward/nest-common';
import { AccountUsersController } from './accounts/account-users.controller';
import { AdminUsersController } from './admin/admin-users.controller';
import { AccountsController } from './accounts/accounts.controller';
import { EdgeValidationPipe } from './api/edge-validation.pipe';
import { HttpDrain } from './api/http-drain';
import { RootController } from './api/root.controller';
import { AuditController } from './audit/audit.controller';
import { AuditRecorder } from './audit/audit-recorder';
import { AuthenticationGuard } from './auth/authentication.guard';
import { Authenticator } from './auth/authenticator';
import { BasicStrategy } from './auth/basic.strategy';
import { BearerStrategy } from './auth/bearer.strategy';
import { SignatureStrategy } from './auth/signature.strategy';
import { CredentialCache } from './auth/credential-cache';
import { PrincipalInvalidationListener } from './auth/principal-invalidation.listener';
import { GatewayConfig } from './config';
import { AccountScopeResolver } from './credentials/account-scope.resolver';
import { CredentialsController } from './credentials/credentials.controller';
import { ProjectsController } from './credentials/projects.controller';
import { SecretsController } from './credentials/secrets.controller';
import { CurrentUserController } from './current-user/current-user.controller';
import { PasswordChanges } from './current-user/password-changes';
import { HttpExceptionsFilter } from './errors/http-exceptions.filter';
import { HealthController } from './health/health.controller';
import { HttpMetrics, MetricsController } from './metrics/http-metrics';
import { AdminTokensController } from './tokens/admin-tokens.controller';
import { SessionController } from './tokens/session.controller';
import { UserTokensController } from './tokens/user-tokens.controller';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        LoggingModule.forRoot('gateway', config.LOG_LEVEL),
        MetricsModule.forRoot('gateway', config),
        MessagingModule.forRoot(config, 'gateway'),
        PassportModule.register({ session: false }),
      ],
      controllers: [
        RootController,
        AccountsController,
        AccountUsersController,
        CurrentUserController,
        AdminUsersController,
        UserTokensController,
        AdminTokensController,
        SessionController,
        ProjectsController,
        CredentialsController,
        SecretsController,
        AuditController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: APP_FILTER, useClass: HttpExceptionsFilter },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_PIPE, useClass: EdgeValidationPipe },
        AuditRecorder,
        HttpDrain,
        {
          provide: CredentialCache,
          useFactory: (metrics: Metrics) => new CredentialCache(config.KEYWARD_AUTH_CACHE_SIZE, config.KEYWARD_AUTH_CACHE_TTL_SECONDS * 1000, metrics),
          inject: [Metrics],
        },
        Authenticator,
        PasswordChanges,
        AccountScopeResolver,
        BasicStrategy,
        BearerStrategy,
        SignatureStrategy,
        PrincipalInvalidationListener,
        { provide: HttpMetrics, useFactory: (metrics: Metrics) => new HttpMetrics(metrics), inject: [Metrics] },
      ],
    };
  }
}
