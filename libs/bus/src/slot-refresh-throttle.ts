/** The part of an ioredis Cluster this patch touches. */
export interface SlotRefresher {
  refreshSlotsCache(callback?: (err?: Error | null) => void): void;
}

/**
 * Lets `cluster` refresh its slot map at most once per `intervalMs`; calls
 * in between are merged into the next refresh, and each caller's callback
 * still gets its result.
 *
 * Why: ioredis 6 refreshes the slot map every time a sharded subscriber's
 * connection ends, and while a master is down each attempt to reconnect to it
 * ends at once: a new connection for CLUSTER SLOTS plus a connection attempt
 * every few milliseconds (about 50 a second from an idle client against a
 * local cluster), per gateway, for as long as the master is down: connection
 * churn on the surviving masters that grows with the number of gateways. The
 * patch replaces the method on this instance only; ioredis calls it through
 * `this`, so its own calls are throttled too.
 */
export function throttleSlotRefresh(cluster: SlotRefresher, intervalMs: number): void {
  const refresh = cluster.refreshSlotsCache.bind(cluster);
  const waiting: ((err?: Error | null) => void)[] = [];
  let lastRun = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    lastRun = Date.now();
    const callbacks = waiting.splice(0);
    refresh((err) => {
      for (const callback of callbacks) callback(err);
    });
  };
  cluster.refreshSlotsCache = (callback) => {
    if (callback) waiting.push(callback);
    if (timer) return;
    const wait = lastRun + intervalMs - Date.now();
    if (wait <= 0) return run();
    timer = setTimeout(run, wait);
    timer.unref();
  };
}
