import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { IdentitySubjects, type VerifiedPrincipal, VerifyCredentialsRequest } from '@keyward/contracts';
import { Rpc } from '@keyward/nest-common';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Rpc(IdentitySubjects.authVerify)
  verify(@Payload() request: VerifyCredentialsRequest): Promise<VerifiedPrincipal> {
    return this.auth.verify(request);
  }
}
