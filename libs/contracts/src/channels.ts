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
  return tagOf(channel, `${prefix}u:{`);
}

/** A topic's channel; the topic is the hash tag, so on a cluster it goes over sharded pub/sub. */
export function topicChannel(topic: string, prefix = 'herald:'): string {
  return `${prefix}t:{${topic}}`;
}

/** Inverse of topicChannel: the topic, or null for any other channel. */
export function topicFromChannel(channel: string, prefix = 'herald:'): string | null {
  return tagOf(channel, `${prefix}t:{`);
}

/** A namespace's channel, for `ns:*` subscriptions (namespaces that allow them). */
export function namespaceChannel(namespace: string, prefix = 'herald:'): string {
  return `${prefix}tn:{${namespace}}`;
}

/** Inverse of namespaceChannel: the namespace, or null for any other channel. */
export function namespaceFromChannel(channel: string, prefix = 'herald:'): string | null {
  return tagOf(channel, `${prefix}tn:{`);
}

/** What sits between `head` and the closing brace, or null when `channel` is not `head…}`. */
function tagOf(channel: string, head: string): string | null {
  if (!channel.startsWith(head) || !channel.endsWith('}')) return null;
  return channel.slice(head.length, -1);
}
