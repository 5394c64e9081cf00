export { HeraldClient } from './herald-client.js';
export type { HeraldClientOptions, SocketAuth } from './client-options.js';
export { ConnectionState } from './connection-state.js';
export type { HeraldEvents, InboxUpdate, WelcomeInfo } from './herald-events.js';
export type { Inbox } from './inbox/inbox.js';
export type { BulkRequest, InboxPageOptions } from './inbox/inbox-rest.js';
export type { TabPlatform } from './tabs/tab-platform.js';
export { HeraldApiError, HeraldCloseError, HeraldFrameError } from './herald-errors.js';
export type { ListOptions, TokenSource } from './rest-client.js';
export { Backoff, backoffDelay, type BackoffOptions } from './connection/backoff.js';
export type {
  FetchLike,
  Timers,
  WebSocketConstructor,
  WebSocketLike,
} from './platform.js';
export { CloseCode } from '@herald/contracts';
export type {
  Broadcast, ChangeFrame, InboxCounts, InboxFilter, InboxState, Notification, NotificationAction, NotificationGroup, NotificationPage, Severity, TopicEvent,
} from '@herald/contracts';
export type { SubscribeOptions, TopicHandler } from './topics/topic-subscription.js';
