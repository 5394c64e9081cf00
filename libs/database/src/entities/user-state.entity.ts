import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Per-user counters. Every write that allocates a seq or changes read state
 * locks this row first, which serialises a user's writes and keeps
 * `unread_count` exact without scanning (unread-count is O(1)).
 */
@Entity({ name: 'user_states' })
export class UserStateEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 128 })
  userId: string;

  @Column({ name: 'last_seq', type: 'bigint', default: 0 })
  lastSeq: string;

  @Column({ name: 'unread_count', type: 'integer', default: 0 })
  unreadCount: number;
}
