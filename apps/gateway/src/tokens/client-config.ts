import { type KeywardClientConfig } from '@keyward/contracts';
import { type FastifyRequest } from 'fastify';

/** The gateway's address as this client reached it: KEYWARD_PUBLIC_URL, else the request's own. */
export function baseUrlOf(request: Pick<FastifyRequest, 'protocol' | 'host'>, publicUrl: string | undefined): string {
  return publicUrl ?? `${request.protocol}://${request.host}`;
}

/** The JSON a client saves as `~/.keyward`. */
export function clientConfig(token: string, username: string, base: string): KeywardClientConfig {
  return { registry: { token, username, base } };
}
