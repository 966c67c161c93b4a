import { Injectable } from '@nestjs/common';
import { type CredentialView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { bodyObject } from '../api/request-input';

/**
 * Setting a user's password, from either route that does it (`/v1/user/credentials` and
 * `/v1/accounts/{account}/users/{username}/credentials`). Identity decides who may, and
 * throttles a `currentPassword` the caller offers as a login by the client's address, so a
 * token cannot guess it.
 */
@Injectable()
export class PasswordChanges {
  constructor(private readonly rpc: RpcClient) {}

  set(principal: Principal, address: string, account: string, username: string, body: unknown): Promise<CredentialView> {
    const { type, value, currentPassword, revokeTokens } = bodyObject(body);
    return this.rpc.send(IdentitySubjects.credentialSet, {
      principal,
      account,
      username,
      type: type as string,
      value: value as string,
      currentPassword: currentPassword as string | undefined,
      revokeTokens: revokeTokens as boolean | undefined,
      address,
    });
  }
}
