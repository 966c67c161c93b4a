import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  CredentialDeleteRequest,
  CredentialSetRequest,
  type CredentialView,
  IdentitySubjects,
  type Page,
  UserCreateRequest,
  UserListRequest,
  UserRef,
  type UserView,
} from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { LoginCredentialsService } from './login-credentials.service';
import { UsersService } from './users.service';

@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: LoginCredentialsService,
  ) {}

  @Rpc(IdentitySubjects.userList)
  list(@Payload() request: UserListRequest): Promise<Page<UserView>> {
    return this.users.list(request);
  }

  @Rpc(IdentitySubjects.userCreate)
  create(@Payload() request: UserCreateRequest): Promise<UserView> {
    return this.users.create(request);
  }

  @Rpc(IdentitySubjects.userGet)
  get(@Payload() request: UserRef): Promise<UserView> {
    return this.users.get(request);
  }

  @Rpc(IdentitySubjects.userDelete)
  delete(@Payload() request: UserRef): Promise<Record<string, never>> {
    return this.users.delete(request);
  }

  @Rpc(IdentitySubjects.credentialList)
  listCredentials(@Payload() request: UserRef): Promise<CredentialView[]> {
    return this.credentials.list(request);
  }

  @Rpc(IdentitySubjects.credentialSet)
  setCredential(@Payload() request: CredentialSetRequest): Promise<CredentialView> {
    return this.credentials.set(request);
  }

  @Rpc(IdentitySubjects.credentialDelete)
  deleteCredential(@Payload() request: CredentialDeleteRequest): Promise<Record<string, never>> {
    return this.credentials.delete(request);
  }
}
