import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  type ApiTokenView,
  type CreatedTokenView,
  IdentitySubjects,
  type Page,
  SignatureVerifyRequest,
  TokenCreateRequest,
  TokenListRequest,
  TokenRevokeRequest,
  TokenVerifyRequest,
  UserTokensRevokeRequest,
  type VerifiedPrincipal,
} from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { TokenVerifier } from './token-verifier.service';
import { TokensService } from './tokens.service';

@Controller()
export class TokensController {
  constructor(
    private readonly tokens: TokensService,
    private readonly verifier: TokenVerifier,
  ) {}

  @Rpc(IdentitySubjects.tokenCreate)
  create(@Payload() request: TokenCreateRequest): Promise<CreatedTokenView> {
    return this.tokens.create(request);
  }

  @Rpc(IdentitySubjects.tokenList)
  list(@Payload() request: TokenListRequest): Promise<Page<ApiTokenView>> {
    return this.tokens.list(request);
  }

  @Rpc(IdentitySubjects.tokenRevoke)
  revoke(@Payload() request: TokenRevokeRequest): Promise<Record<string, never>> {
    return this.tokens.revoke(request);
  }

  @Rpc(IdentitySubjects.userTokensRevoke)
  revokeAllOfUser(@Payload() request: UserTokensRevokeRequest): Promise<{ revoked: number }> {
    return this.tokens.revokeAllOfUser(request);
  }

  @Rpc(IdentitySubjects.tokenVerify)
  verify(@Payload() request: TokenVerifyRequest): Promise<VerifiedPrincipal> {
    return this.verifier.verifyBearer(request);
  }

  @Rpc(IdentitySubjects.tokenVerifySignature)
  verifySignature(@Payload() request: SignatureVerifyRequest): Promise<VerifiedPrincipal> {
    return this.verifier.verifySignature(request);
  }
}
