/**
 * Redis channel names. The braces are a Redis Cluster hash tag, so
 * sharded pub/sub routes a user's channel by the user id alone.
 * `prefix` defaults to `herald:`; tests use their own to stay isolated.
 */
export function userChannel(userId: string, prefix = 'herald:'): string {
  return `${prefix}u:{${userId}}`;
}

export function broadcastChannel(prefix = 'herald:'): string {
  return `${prefix}broadcast`;
}

/** Where the api sends a many-recipient POST once, for every gateway (see MulticastMessage). */
export function multicastChannel(prefix = 'herald:'): string {
  return `${prefix}multicast`;
}

/** Inverse of userChannel: the user id, or null for any other channel. */
export function userIdFromChannel(channel: string, prefix = 'herald:'): string | null {
  const head = `${prefix}u:{`;
  if (!channel.startsWith(head) || !channel.endsWith('}')) return null;
  return channel.slice(head.length, -1);
}
