import { Inject, Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';

/**
 * The pod's socket cap (HERALD_MAX_CONNECTIONS). A socket counts from its
 * upgrade until it is closed, handshakes still verifying included, so a
 * burst of slow handshakes cannot slip past the cap; the next one is
 * refused with 1013 (try again later), which the client answers by backing
 * off and, behind a load balancer, mostly landing on another pod.
 */
@Injectable()
export class Admission {
  private readonly admitted = new WeakSet<WebSocket>();
  private count = 0;

  constructor(@Inject(HERALD_CONFIG) private readonly config: Pick<HeraldConfig, 'gateway'>) {}

  /** Counts the socket in and returns true, or returns false when the pod is full. */
  admit(ws: WebSocket): boolean {
    if (this.count >= this.config.gateway.maxConnections) return false;
    this.admitted.add(ws);
    this.count++;
    return true;
  }

  /** The socket closed: its place is free again (a socket never admitted changes nothing). */
  release(ws: WebSocket): void {
    if (this.admitted.delete(ws)) this.count--;
  }

  get size(): number {
    return this.count;
  }
}
