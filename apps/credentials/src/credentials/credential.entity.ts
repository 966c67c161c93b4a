import { CredentialScope, StoredCredentialType } from '@keyward/domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'credentials' })
export class CredentialEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId: string;
  @Column({ type: 'varchar', length: 253 }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text' }) type: StoredCredentialType;
  @Column({ type: 'text' }) scope: CredentialScope;
  @Column({ name: 'project_id', type: 'uuid', nullable: true }) projectId: string | null;
  /** The non-secret fields (url, username, access key id), for display. */
  @Column({ name: 'public_values', type: 'jsonb', nullable: true }) publicValues: Record<string, string> | null;
  /** Every field of `values`, sealed; null when the credential uses an existing secret. */
  @Column({ name: 'values_sealed', type: 'text', nullable: true }) valuesSealed: string | null;
  @Column({ name: 'existing_secret_id', type: 'uuid', nullable: true }) existingSecretId: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
