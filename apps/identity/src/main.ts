import 'reflect-metadata';
import { exitOnStartupFailure, runMicroservice } from '@keyward/nest-common';
import { loadIdentityConfig } from './config';
import { IdentityModule } from './identity.module';

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  await runMicroservice('identity', IdentityModule.forRoot(config), config, 'identity is listening on NATS');
}

main().catch(exitOnStartupFailure('identity'));
