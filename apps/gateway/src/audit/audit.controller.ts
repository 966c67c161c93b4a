import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { type AuditRecordView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type FastifyReply } from 'fastify';
import { AuditListQuery } from '../api/queries';
import { pageHeaders } from '../api/request-input';
import { CurrentPrincipal } from '../auth/principal.decorator';

class AuditRecordDto {
  @ApiProperty({ description: 'Place in the hash chain: numbered without gaps' }) seq: number;
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ description: 'username, account, tokenId and tokenKind (api or session) of the caller; system for Keyward itself' }) actor: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The client address, as KEYWARD_TRUST_PROXY yields it' }) address: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The X-Request-Id of the request' }) requestId: string | null;
  @ApiProperty({ example: 'credential.update' }) action: string;
  @ApiProperty({ description: 'type, id and account of what was changed' }) resource: Record<string, unknown>;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'Non-secret fields before the change' }) before: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'Non-secret fields after the change' }) after: Record<string, unknown> | null;
  @ApiProperty({ description: 'outcome (success or failure), status, code' }) result: Record<string, unknown>;
  @ApiProperty({ description: 'sha256 over the record and the hash of the one before' }) hash: string;
}

/** The audit log, newest first: for administrators and superusers, and staff (it is read-only for everyone). */
@ApiTags('Admin')
@Controller('v1/admin/audit')
export class AuditController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOkResponse({
    type: [AuditRecordDto],
    description: 'X-Total-Count (an estimate past 10,000, with X-Total-Count-Estimated), X-Next-Cursor for the next page',
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: AuditListQuery,
  ): Promise<AuditRecordView[]> {
    const page = await this.rpc.send(IdentitySubjects.auditList, {
      principal,
      account: query.account || undefined,
      actor: query.actor || undefined,
      action: query.action || undefined,
      resourceType: query.resource || undefined,
      resourceId: query.resource_id || undefined,
      outcome: query.outcome === 'success' || query.outcome === 'failure' ? query.outcome : undefined,
      since: query.since || undefined,
      until: query.until || undefined,
      page: { limit: query.limit, offset: query.offset, after: query.after },
    });
    pageHeaders(reply, page);
    return page.items;
  }
}
