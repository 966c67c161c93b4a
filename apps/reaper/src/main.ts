import 'reflect-metadata';
import { exitOnStartupFailure, runMicroservice } from '@keyward/nest-common';
import { loadReaperConfig } from './config';
import { ReaperModule } from './reaper.module';

async function main(): Promise<void> {
  const config = loadReaperConfig();
  await runMicroservice('reaper', ReaperModule.forRoot(config), config, 'reaper is consuming account deletions');
}

main().catch(exitOnStartupFailure('reaper'));
