import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * On shutdown the HTTP server closes first: it stops accepting, answers requests that arrive on
 * open connections with 503 and `Connection: close`, and waits for the ones in flight. Only then
 * do the shutdown hooks drain NATS, so a request already received always reaches its service.
 * (Nest would otherwise drain NATS first and close the server last.)
 */
@Injectable()
export class HttpDrain implements BeforeApplicationShutdown {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as { listening?: boolean } | undefined;
    if (server?.listening) {
      await this.adapterHost.httpAdapter.close();
    }
  }
}
