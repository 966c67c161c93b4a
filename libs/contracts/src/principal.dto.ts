import { AccountState, AccountType, type Principal } from '@keyward/domain';
import { IsEnum, IsString, IsUUID } from 'class-validator';

export class PrincipalDto implements Principal {
  @IsString() username: string;
  @IsUUID() accountId: string;
  @IsString() accountName: string;
  @IsEnum(AccountType) accountType: AccountType;
  @IsEnum(AccountState) accountState: AccountState;
}
