import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTION_STYLES, SEVERITIES, type ActionStyle, type Severity } from '@herald/contracts';
import type * as contracts from '@herald/contracts';
import { MAX_SEQ } from './notification-page.query.js';

const SEQ = { type: 'integer', minimum: 1, maximum: MAX_SEQ } as const;
const TIME = { type: 'string', format: 'date-time', nullable: true } as const;

/** A button on a notification (`NotificationAction`). */
export class NotificationAction implements contracts.NotificationAction {
  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9_.-]{0,31}$' })
  id: string;

  @ApiProperty({ minLength: 1, maxLength: 64 })
  label: string;

  @ApiPropertyOptional({ format: 'uri' })
  url?: string;

  @ApiProperty({ enum: ACTION_STYLES })
  style: ActionStyle;
}

/** What grouping added to an entry (`NotificationGroup`). */
export class NotificationGroup implements contracts.NotificationGroup {
  @ApiProperty({ type: 'integer', minimum: 2, description: 'Notifications in the entry, the first one included' })
  count: number;

  @ApiProperty({ type: [String], maxItems: 5, description: 'The most recent distinct actors, newest first' })
  actors: string[];

  @ApiProperty({ format: 'date-time', description: 'When the newest notification grouped in' })
  lastAt: string;
}

/** A stored notification with its states and times (`Notification`). */
export class Notification implements contracts.Notification {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ ...SEQ, description: "The position its creation took on the user's ordered stream" })
  seq: number;

  @ApiProperty({ ...SEQ, description: 'The position that last moved it to the top (its seq, a grouping, a wake-up); lists are newest first by it' })
  activitySeq: number;

  @ApiProperty({ ...SEQ, description: 'The position its states were read at: change entries at or below it are already in them' })
  stateSeq: number;

  @ApiProperty()
  userId: string;

  @ApiProperty()
  type: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ type: 'string', nullable: true })
  body: string | null;

  @ApiProperty({ enum: SEVERITIES })
  severity: Severity;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  data: Record<string, unknown> | null;

  @ApiProperty({ type: 'string', format: 'uri', nullable: true })
  link: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty(TIME)
  readAt: string | null;

  @ApiProperty(TIME)
  expiresAt: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  category: string | null;

  @ApiProperty({ type: [String], maxItems: 10 })
  tags: string[];

  @ApiProperty({ type: [NotificationAction], maxItems: 3 })
  actions: NotificationAction[];

  @ApiProperty({ type: 'string', format: 'uri', nullable: true })
  avatar: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  actor: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  groupKey: string | null;

  @ApiProperty({ type: NotificationGroup, nullable: true, description: 'Set once a second notification grouped in' })
  group: NotificationGroup | null;

  @ApiProperty(TIME)
  seenAt: string | null;

  @ApiProperty(TIME)
  archivedAt: string | null;

  @ApiProperty(TIME)
  snoozedUntil: string | null;

  @ApiProperty(TIME)
  interactedAt: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: "The action id used, or 'link'" })
  interaction: string | null;

  @ApiProperty({ ...TIME, description: "First written to one of the user's sockets" })
  deliveredAt: string | null;
}

/** A page of notifications (`NotificationPage`). */
export class NotificationPage implements contracts.NotificationPage {
  @ApiProperty({ type: [Notification] })
  items: Notification[];

  @ApiProperty({ type: 'string', nullable: true, pattern: '^[0-9]+$', description: 'Pass as `before` (or `after` when catching up); null when the page came back short' })
  nextCursor: string | null;
}

/** `GET /v1/notifications/unread-count` answer. */
export class UnreadCount {
  @ApiProperty({ type: 'integer', minimum: 0 })
  count: number;
}

/** `POST /v1/notifications/{id}/read` and `/unread` answer. */
export class ReadState {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty(TIME)
  readAt: string | null;
}

/** `POST /v1/notifications/read-all` answer. */
export class ReadAll {
  @ApiProperty({ format: 'date-time' })
  readAt: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'How many changed' })
  updated: number;
}

/** `POST /v1/notifications/counts` answer. */
export class CountsAnswer {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'One count per named filter' })
  counts: Record<string, number>;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_SEQ, description: "The user's stream position the counters are exact at" })
  seq: number;
}

/** `POST /v1/notifications/bulk` answer. */
export class BulkAnswer {
  @ApiProperty({ type: 'integer', minimum: 0 })
  changed: number;

  @ApiProperty({ ...SEQ, nullable: true, description: "The change entry's position; null when nothing changed" })
  seq: number | null;
}

/** `GET /v1/notifications/entries` answer. */
export class EntriesAnswer {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: "The stream's entries in order: `notification` frames and `inbox.change` frames (see the WebSocket protocol)",
  })
  entries: object[];

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_SEQ, description: "The user's newest position" })
  lastSeq: number;
}
