/**
 * Last-used times of API keys, kept in memory and written in one statement
 * per flush: a key used a thousand times a second costs one Map write per
 * request and one row update per flush period, not an UPDATE per request.
 */
export class ApiKeyUsage {
  private pending = new Map<string, number>();

  constructor(private readonly write: (uses: ReadonlyMap<string, Date>) => Promise<void>) {}

  note(id: string, at = Date.now()): void {
    this.pending.set(id, at);
  }

  /** Writes what was noted since the last flush; on failure it is kept for the next one. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.write(new Map([...batch].map(([id, t]) => [id, new Date(t)])));
    } catch (err) {
      for (const [id, t] of batch) if (!this.pending.has(id)) this.pending.set(id, t);
      throw err;
    }
  }
}
