import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdentitySubjects } from '@keyward/contracts';
import { SYSTEM_PRINCIPAL } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { ReaperConfig } from '../config';
import { ReaperService } from './reaper.service';

/**
 * Every few seconds, reaps every account identity still has in `deleting`, so an event lost
 * anywhere (outbox, stream, consumer) cannot leave an account stuck.
 */
@Injectable()
export class SweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SweeperService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(ReaperConfig) private readonly config: ReaperConfig,
    private readonly rpc: RpcClient,
    private readonly reaper: ReaperService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.KEYWARD_REAPER_SWEEP_SECONDS * 1000);
    this.timer.unref();
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sweep()
      .catch((error: unknown) => this.logger.warn(`Sweep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  async sweep(): Promise<void> {
    const accounts = await this.rpc.send(IdentitySubjects.accountListDeleting, { principal: SYSTEM_PRINCIPAL, limit: 100 });
    for (const account of accounts) {
      try {
        await this.reaper.reap(account.accountId, account.name);
      } catch (error: unknown) {
        this.logger.warn(`Sweep could not finish ${account.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
