import { Injectable } from '@nestjs/common';
import type { ClientSession } from './client-session.js';

/** The sockets on this pod, by user. The only per-connection index the gateway keeps. */
@Injectable()
export class SessionRegistry {
  private readonly byUser = new Map<string, Set<ClientSession>>();
  private total = 0;
  private readonly listeners: ((userId: string, count: number) => void)[] = [];

  /** Called after every change of a user's socket count here (presence reporting); must not throw. */
  onCountChange(listener: (userId: string, count: number) => void): void {
    this.listeners.push(listener);
  }

  get connectionCount(): number {
    return this.total;
  }

  get userCount(): number {
    return this.byUser.size;
  }

  countFor(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Adds the session; true when it is the user's first on this pod. */
  add(session: ClientSession): boolean {
    let set = this.byUser.get(session.userId);
    const first = !set;
    if (!set) this.byUser.set(session.userId, (set = new Set()));
    set.add(session);
    this.total++;
    for (const listener of this.listeners) listener(session.userId, set.size);
    return first;
  }

  /** Removes the session; true when it was the user's last on this pod. */
  remove(session: ClientSession): boolean {
    const set = this.byUser.get(session.userId);
    if (!set?.delete(session)) return false;
    this.total--;
    if (set.size === 0) this.byUser.delete(session.userId);
    for (const listener of this.listeners) listener(session.userId, set.size);
    return set.size === 0;
  }

  forUser(userId: string): ReadonlySet<ClientSession> | undefined {
    return this.byUser.get(userId);
  }

  users(): IterableIterator<string> {
    return this.byUser.keys();
  }

  *all(): IterableIterator<ClientSession> {
    for (const set of this.byUser.values()) yield* set;
  }
}
