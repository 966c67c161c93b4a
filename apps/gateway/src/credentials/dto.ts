import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CredentialScope, StoredCredentialType } from '@keyward/domain';

export class ProjectCreateDto {
  @ApiProperty({ example: 'team-a', description: 'Kubernetes name: lowercase letters, digits and -, at most 63' }) name: string;
  @ApiPropertyOptional({ example: 'keyward-team-a', description: 'Defaults to keyward-<name>' }) namespace?: string;
  @ApiPropertyOptional() description?: string;
}

export class ProjectUpdateDto {
  @ApiPropertyOptional() description?: string;
}

export class ProjectDto {
  @ApiProperty() name: string;
  @ApiProperty() namespace: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() createdBy: string;
}

export class CredentialCreateDto {
  @ApiProperty({ example: 'registry-login' }) name: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: StoredCredentialType }) type: StoredCredentialType;
  @ApiProperty({ enum: CredentialScope }) scope: CredentialScope;
  @ApiPropertyOptional({ description: 'The project, when scope is project' }) project?: string;
  @ApiPropertyOptional({
    description: 'A new secret: docker-registry {url, username, password}; access-key {accessKeyId, secretAccessKey}; password {username, password}',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  values?: Record<string, string>;
  @ApiPropertyOptional({ example: 'keyward/shared-registry', description: 'An existing secret, <namespace>/<name>, instead of values' })
  existingSecret?: string;
}

export class CredentialUpdateDto {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() description?: string;
}

export class CredentialDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: StoredCredentialType }) type: StoredCredentialType;
  @ApiProperty({ enum: CredentialScope }) scope: CredentialScope;
  @ApiProperty({ nullable: true, type: String }) project: string | null;
  @ApiProperty({ enum: ['new-secret', 'existing-secret'] }) source: string;
  @ApiProperty({ nullable: true, type: String }) existingSecret: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'string' }, description: 'Secret fields are always ********' })
  values: Record<string, string> | null;
  @ApiProperty({ nullable: true, type: String, description: 'The key that sealed the values' }) keyId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() createdBy: string;
}

export class SecretCreateDto {
  @ApiProperty({ example: 'keyward' }) namespace: string;
  @ApiProperty({ example: 'shared-registry' }) name: string;
  @ApiPropertyOptional({ example: 'Opaque' }) type?: string;
  @ApiPropertyOptional({ example: { 'keyward.io/cluster-wide-credentials': 'true' }, type: 'object', additionalProperties: { type: 'string' } })
  labels?: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) data: Record<string, string>;
}

export class SecretDto {
  @ApiProperty() namespace: string;
  @ApiProperty() name: string;
  @ApiProperty() type: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) labels: Record<string, string>;
  @ApiProperty({ type: [String], description: 'Data keys; values are never returned' }) keys: string[];
  @ApiProperty({ nullable: true, type: String, description: 'The credential using it' }) usedBy: string | null;
  @ApiProperty({ enum: ['api', 'kubernetes'] }) source: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
