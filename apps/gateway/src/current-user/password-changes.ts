import { Injectable } from '@nestjs/common';
import { type CredentialView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { type AccessCredentialDto } from '../api/dto';

/**
 * Setting a user's password, from either route that does it (`/v1/user/credentials` and
 * `/v1/accounts/{account}/users/{username}/credentials`). Identity decides who may, and
 * throttles a `currentPassword` the caller offers as a login by the client's address, so a
 * token cannot guess it.
 */
@Injectable()
export class PasswordChanges {
  constructor(private readonly rpc: RpcClient) {}

  set(principal: Principal, address: string, account: string, username: string, body: AccessCredentialDto): Promise<CredentialView> {
    const { type, value, currentPassword, revokeTokens } = body;
    return this.rpc.send(IdentitySubjects.credentialSet, { principal, account, username, type, value, currentPassword, revokeTokens, address });
  }
}
