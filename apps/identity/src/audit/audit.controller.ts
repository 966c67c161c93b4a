import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuditAppendRequest, AuditListRequest, type AuditRecordView, IdentitySubjects, type Page } from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { AuditService } from './audit.service';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Only the gateway and the services' commands may send it (the bus grants). */
  @Rpc(IdentitySubjects.auditAppend)
  append(@Payload() request: AuditAppendRequest): Promise<{ stored: number }> {
    return this.audit.append(request);
  }

  @Rpc(IdentitySubjects.auditList)
  list(@Payload() request: AuditListRequest): Promise<Page<AuditRecordView>> {
    return this.audit.list(request);
  }
}
