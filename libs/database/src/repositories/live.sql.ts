/** Where a notification counts as live: every read leaves out expired rows (retention deletes them later). */
export const LIVE = '(expires_at IS NULL OR expires_at > now())';

/** LIVE over table alias `n`. */
export const LIVE_N = '(n.expires_at IS NULL OR n.expires_at > now())';
