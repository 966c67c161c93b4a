import { Injectable, Logger } from '@nestjs/common';
import { IdentityEvents, type PrincipalChangedEvent } from '@keyward/contracts';
import { EventBus } from '@keyward/nest-common';

/**
 * Tells every gateway replica to drop cached principals. Published after the change commits and
 * before the reply, so the caller's next request, on any replica, is checked against the new state.
 */
@Injectable()
export class PrincipalEvents {
  private readonly logger = new Logger(PrincipalEvents.name);

  constructor(private readonly bus: EventBus) {}

  async changed(event: PrincipalChangedEvent): Promise<void> {
    try {
      await this.bus.publish(IdentityEvents.principalChanged, event);
    } catch (error: unknown) {
      // Gateways also clear their caches whenever their NATS connection drops, and cap entry age.
      this.logger.error(`Could not publish ${IdentityEvents.principalChanged}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
