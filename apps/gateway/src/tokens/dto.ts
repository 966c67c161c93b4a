import { BooleanField, NumberField, StringField } from '../api/fields';
import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI descriptions of the token bodies; identity validates every field. */
export class TokenCreateDto {
  @StringField({ maxLength: 64, example: 'ci' }) name: string;
  @NumberField({ required: false, minimum: 1, maximum: 365, default: 90 }) expiresInDays?: number;
  @BooleanField({ required: false, default: false, description: 'Refused (403) on every request but GET and HEAD' }) readOnly?: boolean;
}

export class ApiTokenDto {
  @ApiProperty({ pattern: '^[0-9a-f]{16}$' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() username: string;
  @ApiProperty() account: string;
  @ApiProperty() readOnly: boolean;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_used_at: string | null;
}

class KeywardRegistryDto {
  @ApiProperty() token: string;
  @ApiProperty() username: string;
  @ApiProperty({ example: 'http://127.0.0.1:8228' }) base: string;
}

class KeywardClientConfigDto {
  @ApiProperty({ type: KeywardRegistryDto }) registry: KeywardRegistryDto;
}

export class CreatedTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'kwt_<id>_<secret>: shown in this reply only' }) token: string;
  @ApiProperty({ type: KeywardClientConfigDto, description: 'Save as ~/.keyward (mode 0600)' }) keyward: KeywardClientConfigDto;
}

export class SessionDto {
  @ApiProperty({ description: 'Send as Authorization: Bearer <token>' }) token: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty() username: string;
  @ApiProperty() account: string;
  @ApiProperty() accountType: string;
  @ApiProperty() superuser: boolean;
  @ApiProperty() staff: boolean;
}
