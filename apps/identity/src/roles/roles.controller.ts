import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AdminUserListRequest, type AdminUserView, IdentitySubjects, type Page, UserRolesRequest } from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { RolesService } from './roles.service';

@Controller()
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Rpc(IdentitySubjects.userListAll)
  list(@Payload() request: AdminUserListRequest): Promise<Page<AdminUserView>> {
    return this.roles.list(request);
  }

  @Rpc(IdentitySubjects.userSetRoles)
  setRoles(@Payload() request: UserRolesRequest): Promise<AdminUserView> {
    return this.roles.setRoles(request);
  }
}
