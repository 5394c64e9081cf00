/*
 * The two browser APIs one socket per browser needs, typed structurally
 * (the repo's lib has no DOM): Web Locks elect the tab that holds the
 * socket, BroadcastChannel carries frames and commands between tabs.
 */

export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type ChannelConstructor = new (name: string) => ChannelLike;

export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/** What a tab needs to share one socket with the other tabs of its origin. */
export interface TabPlatform {
  locks: LockManagerLike;
  BroadcastChannel: ChannelConstructor;
}

/** The host's Web Locks and BroadcastChannel, or null where either is missing (Node, old browsers). */
export function globalTabPlatform(): TabPlatform | null {
  const g = globalThis as unknown as { navigator?: { locks?: LockManagerLike }; BroadcastChannel?: ChannelConstructor };
  const locks = g.navigator?.locks;
  if (typeof locks?.request !== 'function' || typeof g.BroadcastChannel !== 'function') return null;
  return { locks, BroadcastChannel: g.BroadcastChannel };
}
