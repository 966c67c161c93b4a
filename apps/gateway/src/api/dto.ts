import { BooleanField, StringField } from './fields';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AccountState, AccountType, CredentialType, NAME_PATTERN, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, UserType } from '@keyward/domain';

/**
 * The accounts and users API's bodies: each request class is the OpenAPI schema and is checked at
 * the edge for its fields' types (EdgeValidationPipe); identity applies Anchore's rules and messages.
 */
export class AccountCreationRequestDto {
  @StringField({ pattern: NAME_PATTERN.source, example: 'account1' }) name: string;
  @StringField({ required: false, format: 'email', example: 'account1admin@anchorexample.com' }) email?: string;
  @StringField({ required: false, enum: [AccountType.User], default: AccountType.User }) type?: string;
}

export class AccountDto {
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ enum: AccountType }) type: AccountType;
  @ApiProperty({ enum: AccountState }) state: AccountState;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) last_updated: string;
}

export class AccountStatusDto {
  @StringField({ enum: [AccountState.Enabled, AccountState.Disabled] }) state: AccountState.Enabled | AccountState.Disabled;
}

export class UserCreationRequestDto {
  @StringField({ pattern: NAME_PATTERN.source, example: 'user1' }) username: string;
  @StringField({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, format: 'password' }) password: string;
}

export class UserDto {
  @ApiProperty() username: string;
  @ApiProperty({ enum: UserType }) type: UserType;
  @ApiProperty({ nullable: true, type: String }) source: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) last_updated: string;
}

export class AccessCredentialDto {
  @StringField({ enum: CredentialType }) type: CredentialType;
  @StringField({ description: 'The new password when setting; always masked in responses', format: 'password' }) value: string;
  @StringField({
    required: false,
    description: 'Your current password: needed to change your own password when authenticated with an API token or session',
    format: 'password',
    writeOnly: true,
  })
  currentPassword?: string;
  @BooleanField({ required: false, description: 'Also revoke the user’s API tokens (its sessions always end)', writeOnly: true }) revokeTokens?: boolean;
  @ApiPropertyOptional({ format: 'date-time', readOnly: true }) created_at?: string;
}

export class ErrorDetailDto {
  @ApiProperty({ type: [String], example: ['ACCOUNT_NOT_FOUND'] }) error_codes: string[];
}

export class ErrorDto {
  @ApiProperty({ example: 'Account not found' }) message: string;
  @ApiProperty({ example: 404 }) httpcode: number;
  @ApiProperty({ type: ErrorDetailDto }) detail: ErrorDetailDto;
}
