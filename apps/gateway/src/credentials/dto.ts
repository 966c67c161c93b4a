import { StringField, StringMapField } from '../api/fields';
import { ApiProperty } from '@nestjs/swagger';
import { CredentialScope, DeliveryState, StoredCredentialType } from '@keyward/domain';

export class ProjectCreateDto {
  @StringField({ example: 'team-a', description: 'Kubernetes name: lowercase letters, digits and -, at most 63' }) name: string;
  @StringField({ required: false, example: 'keyward-team-a', description: 'Defaults to keyward-<name>' }) namespace?: string;
  @StringField({ required: false, maxLength: 1024 }) description?: string;
}

export class ProjectUpdateDto {
  @StringField({ required: false, maxLength: 1024 }) description?: string;
}

export class DeliveryStatusDto {
  @ApiProperty({ example: 'keyward-team-a' }) namespace: string;
  @ApiProperty({ format: 'uuid' }) credentialId: string;
  @ApiProperty({ description: 'The credential (and the Secret) name' }) credential: string;
  @ApiProperty({
    enum: DeliveryState,
    description: 'synced: the Secret holds the current values; pending: not written yet; error: see message (retried with backoff)',
  })
  state: DeliveryState;
  @ApiProperty({ nullable: true, type: String, description: 'What went wrong or is awaited; never a value' }) message: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the Secret was last written or found in step' }) syncedAt: string | null;
}

export class ProjectDto {
  @ApiProperty() name: string;
  @ApiProperty() namespace: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({
    required: false,
    nullable: true,
    type: [DeliveryStatusDto],
    description: 'GET of one project, with a cluster configured: every credential delivered into its namespace (null without a cluster)',
  })
  delivery?: DeliveryStatusDto[] | null;
}

export class CredentialCreateDto {
  @StringField({ example: 'registry-login' }) name: string;
  @StringField({ required: false, maxLength: 1024 }) description?: string;
  @StringField({ enum: StoredCredentialType }) type: StoredCredentialType;
  @StringField({ enum: CredentialScope }) scope: CredentialScope;
  @StringField({ required: false, description: 'The project, when scope is project' }) project?: string;
  @StringMapField({
    required: false,
    description: 'A new secret: docker-registry {url, username, password}; access-key {accessKeyId, secretAccessKey}; password {username, password}',
  })
  values?: Record<string, string>;
  @StringField({ required: false, example: 'keyward/shared-registry', description: 'An existing secret, <namespace>/<name>, instead of values' })
  existingSecret?: string;
}

export class CredentialUpdateDto {
  @StringField({ required: false }) name?: string;
  @StringField({ required: false, maxLength: 1024 }) description?: string;
  @StringMapField({
    required: false,
    description:
      'New values, every field of the type (rotation): sealed anew under the current key; the id, name and scope stay. Only for a credential with its own values, not one that uses an existing secret',
  })
  values?: Record<string, string>;
  @StringField({ required: false, enum: CredentialScope, description: 'Another scope: project (give project) or all; delivered Secrets follow' })
  scope?: CredentialScope;
  @StringField({ required: false, description: 'The project, when the scope becomes (or stays) project' }) project?: string;
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
  @ApiProperty({
    required: false,
    nullable: true,
    type: [DeliveryStatusDto],
    description: 'GET of one credential, with a cluster configured: its Secret in each namespace of its scope (null without a cluster)',
  })
  delivery?: DeliveryStatusDto[] | null;
}

export class SecretCreateDto {
  @StringField({ example: 'keyward', maxLength: 253 }) namespace: string;
  @StringField({ example: 'shared-registry', maxLength: 253 }) name: string;
  @StringField({ required: false, example: 'Opaque', maxLength: 253 }) type?: string;
  @StringMapField({ required: false, example: { 'keyward.io/cluster-wide-credentials': 'true' } }) labels?: Record<string, string>;
  @StringMapField() data: Record<string, string>;
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
