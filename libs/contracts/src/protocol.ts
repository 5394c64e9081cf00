/** Paths, query parameters and protocol-wide numbers shared by server and SDK. */
export const WS_PATH = '/ws';
/** Most rows a resume replays before answering `resync_required`. */
export const MAX_RESUME_ROWS = 1000;
/** Largest `?recent=N`. */
export const MAX_RECENT = 50;
/** Scopes carried in the token's `scope` claim. */
export const Scope = {
  Publish: 'notifications:publish',
  Admin: 'notifications:admin',
  /** Publish topic events (`POST /v1/topics/{topic}/events`). */
  TopicsPublish: 'topics:publish',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/**
 * A token that carries any of these speaks for a service, not for a person:
 * it may publish or administer, and it may not read or change anyone's inbox
 * (a service token with `sub=bob` is not bob).
 */
export const SERVICE_SCOPES: readonly string[] = [Scope.Publish, Scope.Admin, Scope.TopicsPublish];

/** An audience's key (`/v1/audiences/{key}`, `audience` on a publish). */
export const AUDIENCE_KEY = /^[a-z0-9][a-z0-9_.:-]{0,127}$/;
