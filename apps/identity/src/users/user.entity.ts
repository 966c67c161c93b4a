import { UserType } from '@keyward/domain';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique across all accounts: usernames are what requests authenticate with. */
  @Column({ type: 'varchar', length: 128 })
  username: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: AccountEntity;

  @Column({ type: 'text' })
  type: UserType;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  /** May do everything a user of the admin account may. */
  @Column({ type: 'boolean', default: false })
  superuser: boolean;

  /** May read every account's, user's, project's and credential's metadata; never secret values. */
  @Column({ type: 'boolean', default: false })
  staff: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'last_updated', type: 'timestamptz' })
  lastUpdated: Date;
}
