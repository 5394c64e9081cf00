/** What one live gateway last reported about itself (`GET /v1/stats`). */
export interface GatewayStats {
  /** Random per process start, so a restarted pod is a new gateway. */
  id: string;
  connections: number;
  /** Distinct users with at least one socket on this gateway. */
  users: number;
  startedAt: string;
}

/** `GET /v1/stats`: totals over the gateways alive right now. */
export interface ClusterStats {
  connections: number;
  /**
   * Sum of each gateway's distinct users: a user with sockets on two
   * gateways counts on both (an exact union would cost a scan of every user).
   */
  users: number;
  gateways: GatewayStats[];
}

/** `GET /v1/users/{userId}/presence`: sockets on live gateways only. */
export interface UserPresence {
  online: boolean;
  connections: number;
}

/** `POST /v1/broadcasts` answer: the id every socket will see in the frame. */
export interface BroadcastAccepted {
  id: string;
}
