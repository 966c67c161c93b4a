import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per export of secret material: who, what, when, from where. */
@Entity({ name: 'export_audit' })
export class ExportAuditEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId: string;
  @Column({ name: 'credential_id', type: 'uuid' }) credentialId: string;
  @Column({ name: 'credential_name', type: 'text' }) credentialName: string;
  @Column({ type: 'text' }) actor: string;
  @Column({ name: 'actor_account', type: 'text' }) actorAccount: string;
  @Column({ type: 'text' }) format: string;
  @Column({ type: 'text' }) address: string;
  @CreateDateColumn({ name: 'exported_at', type: 'timestamptz' }) exportedAt: Date;
}
