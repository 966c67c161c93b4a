import { type DynamicModule, Module } from '@nestjs/common';
import { KeyRing, RPC_PIPELINE, serviceCoreImports } from '@keyward/nest-common';
import { AccountWrites } from './accounts/account-writes';
import { CredentialsConfig } from './config';
import { CredentialsController } from './credentials.controller';
import { CredentialRepository } from './credentials/credential.repository';
import { CredentialsService } from './credentials/credentials.service';
import { KubernetesDiscoveryService } from './kubernetes/kubernetes-discovery.service';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DeliveryService } from './delivery/delivery.service';
import { credentialsDataSourceOptions } from './database/credentials-data-source';
import { MigrationsRunner } from './migrations-runner.service';
import { ProjectRepository } from './projects/project.repository';
import { ProjectsService } from './projects/projects.service';
import { PurgeService } from './purge/purge.service';
import { SecretRepository } from './secrets/secret.repository';
import { SecretsService } from './secrets/secrets.service';

@Module({})
export class CredentialsModule {
  static forRoot(config: CredentialsConfig, keyRing: KeyRing): DynamicModule {
    return {
      module: CredentialsModule,
      imports: serviceCoreImports('credentials', config, credentialsDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE)),
      controllers: [CredentialsController],
      providers: [
        { provide: KeyRing, useValue: keyRing },
        { provide: CredentialsConfig, useValue: config },
        ...RPC_PIPELINE,
        MigrationsRunner,
        AccountWrites,
        ProjectRepository,
        SecretRepository,
        CredentialRepository,
        ProjectsService,
        SecretsService,
        CredentialsService,
        PurgeService,
        KubernetesDiscoveryService,
        DeliveryRepository,
        DeliveryService,
      ],
    };
  }
}
