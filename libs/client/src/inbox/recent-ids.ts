/**
 * A set that remembers only the last `capacity` ids, so deduplication of a
 * long-lived tab costs bounded memory. A Set keeps insertion order, which
 * makes "forget the oldest" a single delete.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 1000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
  }

  delete(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
