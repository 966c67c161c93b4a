import { Injectable, Logger } from '@nestjs/common';
import { type AuditRecordInput, IdentitySubjects } from '@keyward/contracts';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';

/** The username of a Basic Authorization header, never its password. */
function basicUsername(header: string | undefined): string | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, Math.min(colon, 256)) : undefined;
}

/**
 * Sends audit records to identity, which appends them to the chain, and waits until they are
 * stored. A record that could not be stored is written to the log in full instead (it holds no
 * secret), so it is never lost silently; the change it describes has been made.
 */
@Injectable()
export class AuditRecorder {
  private readonly logger = new Logger(AuditRecorder.name);

  constructor(private readonly rpc: RpcClient) {}

  /** A console sign-in refused before it reached its route (a wrong password, a throttled address). */
  async refusedSignIn(request: FastifyRequest, status: number, code: string): Promise<void> {
    await this.record({
      id: randomUUID(),
      at: new Date().toISOString(),
      actor: { username: basicUsername(request.headers.authorization) },
      address: request.ip,
      requestId: String(request.id),
      action: 'session.create',
      resource: { type: 'session', id: basicUsername(request.headers.authorization) },
      result: { outcome: 'failure', status, code },
    });
  }

  async record(record: AuditRecordInput): Promise<void> {
    try {
      await this.rpc.send(IdentitySubjects.auditAppend, { records: [record] });
    } catch (error: unknown) {
      this.logger.error({ audit: record, err: error instanceof Error ? error.message : String(error) }, 'audit record not stored');
    }
  }
}
