import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import webpush from 'web-push';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { Notification, PushPayload } from '@herald/contracts';
import type { PushSubscriptionRow } from '@herald/database';
import { OutboundClient, type OutboundResponse } from '@herald/outbound';

/** Longest body text in a push payload: push services cap payloads near 4 KiB, and a push is a teaser. */
const MAX_PUSH_BODY = 240;
/** How long a push service keeps an undelivered message, seconds. */
const TTL_SECONDS = 24 * 3600;

/** The small payload a push carries; the page's service worker shows it and links back. */
export function pushPayload(n: Notification): PushPayload {
  const groupKey = n.groupKey ?? null;
  return { id: n.id, title: n.title, body: n.body ? n.body.slice(0, MAX_PUSH_BODY) : null, link: n.link, groupKey };
}

/**
 * The Web Push `Topic` header: push services keep only the newest pending
 * message per topic, so a group's pushes collapse (and so does a retry of
 * a push whose first copy is still pending). At most 32 base64url chars.
 */
export function pushTopic(p: PushPayload): string {
  return createHash('sha256').update(p.groupKey ?? p.id).digest().subarray(0, 24).toString('base64url');
}

/**
 * Sends one encrypted push (RFC 8291 aes128gcm, VAPID RFC 8292) with the
 * `web-push` package building the request and Herald's guarded outbound
 * client sending it, so a subscription endpoint pointing inside the
 * network is refused like any other.
 */
@Injectable()
export class WebPushSender {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(OutboundClient) private readonly outbound: OutboundClient,
  ) {}

  get enabled(): boolean {
    return this.config.worker.vapid !== undefined;
  }

  async send(sub: PushSubscriptionRow, payload: PushPayload): Promise<OutboundResponse> {
    const vapid = this.config.worker.vapid;
    if (!vapid) throw new Error('web push is not configured');
    const details = webpush.generateRequestDetails(
      { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      JSON.stringify(payload),
      { vapidDetails: vapid, TTL: TTL_SECONDS, topic: pushTopic(payload), contentEncoding: 'aes128gcm', urgency: 'normal' },
    );
    return this.outbound.request({ url: details.endpoint, method: details.method, headers: details.headers as Record<string, string>, body: details.body ?? undefined });
  }
}
