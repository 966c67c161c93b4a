import { COMMON_SECRET_VARIABLES, DatabaseConfig, loadConfig } from '@keyward/nest-common';
import { IsInt, Max, Min } from 'class-validator';

export class ReaperConfig extends DatabaseConfig {
  /** How often every account in `deleting` is looked at, whatever the events said. */
  @IsInt()
  @Min(1)
  @Max(3600)
  KEYWARD_REAPER_SWEEP_SECONDS: number = 10;

  /** Records of one type deleted per purge request. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  KEYWARD_REAPER_BATCH_SIZE: number = 5000;

  /** How long a replica's claim on an account lasts without renewal (a crashed replica's claim expires). */
  @IsInt()
  @Min(2)
  @Max(3600)
  KEYWARD_REAPER_LEASE_SECONDS: number = 30;

  /** Deliveries of one deletion event before JetStream gives up on it (the sweep still finds the account). */
  @IsInt()
  @Min(2)
  @Max(1000)
  KEYWARD_REAPER_MAX_DELIVER: number = 20;
}

export function loadReaperConfig(env: NodeJS.ProcessEnv = process.env): ReaperConfig {
  return loadConfig(ReaperConfig, env, COMMON_SECRET_VARIABLES);
}
