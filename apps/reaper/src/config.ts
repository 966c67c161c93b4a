import { COMMON_SECRET_VARIABLES, DatabaseConfig, loadConfig } from '@keyward/nest-common';
import { IsInt, Max, Min } from 'class-validator';

export class ReaperConfig extends DatabaseConfig {
  /** How often every account in `deleting` is looked at, whatever the events said. */
  @IsInt()
  @Min(1)
  @Max(3600)
  KEYWARD_REAPER_SWEEP_SECONDS: number = 10;

  /** Records of one type deleted per batch (one DELETE statement). */
  @IsInt()
  @Min(1)
  @Max(10_000)
  KEYWARD_REAPER_BATCH_SIZE: number = 5000;

  /**
   * How long one purge request goes on deleting batches before it answers with what is left (0:
   * one batch of each kind per request). Well under KEYWARD_NATS_TIMEOUT_MS.
   */
  @IsInt()
  @Min(0)
  @Max(4000)
  KEYWARD_REAPER_PURGE_MS: number = 1000;

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
