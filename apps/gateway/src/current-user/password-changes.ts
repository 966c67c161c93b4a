import { Injectable } from '@nestjs/common';
import { type CredentialView, IdentitySubjects } from '@keyward/contracts';
import { type Principal } from '@keyward/domain';
import { RpcClient } from '@keyward/nest-common';
import { bodyObject } from '../api/request-input';
import { Authenticator } from '../auth/authenticator';

/**
 * Setting a user's password, from either route that does it (`/v1/user/credentials` and
 * `/v1/accounts/{account}/users/{username}/credentials`). Identity decides who may; a
 * `currentPassword` the caller offers is throttled as a login, so a token cannot guess it.
 */
@Injectable()
export class PasswordChanges {
  constructor(
    private readonly rpc: RpcClient,
    private readonly authenticator: Authenticator,
  ) {}

  set(principal: Principal, address: string, account: string, username: string, body: unknown): Promise<CredentialView> {
    const { type, value, currentPassword, revokeTokens } = bodyObject(body);
    const send = () =>
      this.rpc.send(IdentitySubjects.credentialSet, {
        principal,
        account,
        username,
        type: type as string,
        value: value as string,
        currentPassword: currentPassword as string | undefined,
        revokeTokens: revokeTokens as boolean | undefined,
      });
    return currentPassword === undefined ? send() : this.authenticator.provingPassword(principal.username, address, send);
  }
}
