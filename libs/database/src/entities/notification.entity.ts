import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One notification in one user's inbox. `seq` is per user and gapless; the
 * unique (user_id, seq) pair is what resume and gap fill read by.
 */
@Entity({ name: 'notifications' })
@Unique('uq_notifications_user_seq', ['userId', 'seq'])
@Index('ix_notifications_created_at', ['createdAt'])
export class NotificationEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 128 })
  userId: string;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ type: 'varchar', length: 16, default: 'info' })
  severity: string;

  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  link: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;
}
