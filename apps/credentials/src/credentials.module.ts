import { type DynamicModule, Module } from '@nestjs/common';
import { CredentialsSubjects } from '@keyward/contracts';
import { healthController, KeyRing, migrationsRunner, RPC_PIPELINE, serviceCoreImports } from '@keyward/nest-common';
import { AccountWrites } from './accounts/account-writes';
import { CredentialsConfig } from './config';
import { CredentialsController } from './credentials/credentials.controller';
import { CredentialRepository } from './credentials/credential.repository';
import { CredentialsService } from './credentials/credentials.service';
import { KubernetesDiscoveryService } from './kubernetes/kubernetes-discovery.service';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DeliveryService } from './delivery/delivery.service';
import { SealingKeysCheck } from './crypto/sealing-keys-check';
import { CREDENTIALS_SCHEMA, credentialsDataSourceOptions } from './database/credentials-data-source';
import { ProjectRepository } from './projects/project.repository';
import { ProjectsController } from './projects/projects.controller';
import { ProjectsService } from './projects/projects.service';
import { PurgeController } from './purge/purge.controller';
import { PurgeRepository } from './purge/purge.repository';
import { PurgeService } from './purge/purge.service';
import { SecretRepository } from './secrets/secret.repository';
import { SecretsController } from './secrets/secrets.controller';
import { SecretsService } from './secrets/secrets.service';

@Module({})
export class CredentialsModule {
  static forRoot(config: CredentialsConfig, keyRing: KeyRing): DynamicModule {
    return {
      module: CredentialsModule,
      imports: serviceCoreImports('credentials', config, credentialsDataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE)),
      controllers: [healthController(CredentialsSubjects.healthCheck), ProjectsController, CredentialsController, SecretsController, PurgeController],
      providers: [
        { provide: KeyRing, useValue: keyRing },
        { provide: CredentialsConfig, useValue: config },
        ...RPC_PIPELINE,
        migrationsRunner(CREDENTIALS_SCHEMA, SealingKeysCheck),
        SealingKeysCheck,
        AccountWrites,
        ProjectRepository,
        SecretRepository,
        CredentialRepository,
        ProjectsService,
        SecretsService,
        CredentialsService,
        PurgeRepository,
        PurgeService,
        KubernetesDiscoveryService,
        DeliveryRepository,
        DeliveryService,
      ],
    };
  }
}
