import { AccountState, AccountType, type Principal } from '@keyward/domain';
import { IsBoolean, IsDateString, IsEnum, IsIn, IsOptional, IsString, IsUUID } from 'class-validator';

export class PrincipalDto implements Principal {
  @IsString() username: string;
  @IsUUID() accountId: string;
  @IsString() accountName: string;
  @IsEnum(AccountType) accountType: AccountType;
  @IsEnum(AccountState) accountState: AccountState;
  @IsOptional() @IsBoolean() superuser?: boolean;
  @IsOptional() @IsBoolean() staff?: boolean;
  @IsOptional() @IsString() tokenId?: string;
  @IsOptional() @IsBoolean() readOnly?: boolean;
  @IsOptional() @IsIn(['api', 'session']) tokenKind?: 'api' | 'session';
  @IsOptional() @IsDateString() tokenExpiresAt?: string;
}
