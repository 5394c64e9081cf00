import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A stored `Idempotency-Key`, scoped to the publishing principal so two
 * services never collide. Inserted in the same transaction as the rows it
 * created: a concurrent duplicate waits on the primary key and then replays.
 */
@Entity({ name: 'idempotency_keys' })
@Index('ix_idempotency_keys_created_at', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  principal: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'jsonb', nullable: true })
  response: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
