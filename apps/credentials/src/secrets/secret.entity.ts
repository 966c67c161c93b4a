import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An existing secret a credential may point at, with its data sealed under the key ring. */
@Entity({ name: 'secrets' })
export class SecretEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'account_id', type: 'uuid' }) accountId: string;
  @Column({ type: 'varchar', length: 253 }) namespace: string;
  @Column({ type: 'varchar', length: 253 }) name: string;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'jsonb' }) labels: Record<string, string>;
  @Column({ name: 'data_keys', type: 'text', array: true }) dataKeys: string[];
  @Column({ name: 'data_sealed', type: 'text' }) dataSealed: string;
  @Column({ type: 'text' }) source: 'api' | 'kubernetes';
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
