/**
 * The worker's job queues (pg-boss queue names) and their payloads. Jobs
 * carry ids only: a handler reads the current rows, so a retry acts on
 * what is true now (a deleted subscription, a disabled endpoint, a
 * delivery already made) and a payload never holds stale content.
 */
export const Queue = {
  /** One notification to one browser subscription. */
  Push: 'herald-push',
  /** One webhook delivery (a webhook_deliveries row). */
  Webhook: 'herald-webhook',
  /** One send (a sends row): a deferred send or an audience fan-out. */
  Send: 'herald-send',
  /** Jobs whose retries ran out, kept for inspection (pg-boss dead letter queue). */
  Dead: 'herald-dead',
} as const;
export type Queue = (typeof Queue)[keyof typeof Queue];

export interface PushJob {
  notificationId: string;
  subscriptionId: string;
  /** Set on the second look at a user who was online: push only if still unseen. */
  deferred?: boolean;
}

export interface WebhookJob {
  deliveryId: string;
  /** ISO 8601: when this round of attempts began (the delivery, or its replay); the retry window counts from here. */
  since: string;
}

export interface SendJob {
  sendId: string;
}

/** Retry policy of each queue: exponential backoff from the configured first delay, capped at an hour. */
export function queuePolicies(retryDelaySeconds: number): Record<Exclude<Queue, typeof Queue.Dead>, {
  retryLimit: number; retryDelay: number; retryBackoff: boolean; retryDelayMax: number; expireInSeconds: number; heartbeatSeconds: number;
}> {
  // A running job heartbeats every 5 s; one whose worker died (a kill, a lost node) is retried
  // once 10 s pass without a beat, at the next monitor pass (JobQueue runs them every 10 s).
  const common = { retryDelay: retryDelaySeconds, retryBackoff: true, retryDelayMax: 3600, heartbeatSeconds: 10 };
  return {
    // A push that keeps failing after ~10 tries (hours) is stale news.
    [Queue.Push]: { ...common, retryLimit: 10, expireInSeconds: 60 },
    // Retried for a day by the handler's own window; the limit only bounds a misconfigured window.
    [Queue.Webhook]: { ...common, retryLimit: 60, expireInSeconds: 60 },
    // A fan-out resumes from its cursor, so a retry costs only the chunk in flight.
    [Queue.Send]: { ...common, retryLimit: 20, expireInSeconds: 900 },
  };
}
