/**
 * Caps the distinct values one label takes: the first `max` values seen are
 * kept as they are, later ones are counted under `other`. Topic namespaces
 * are chosen by publishers, so without a cap each new one would be a new
 * time series for as long as the process lives.
 */
export class LabelBudget {
  static readonly OTHER = 'other';
  private readonly seen = new Set<string>();

  /** @param max distinct values kept. @default 100 */
  constructor(private readonly max = 100) {}

  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return LabelBudget.OTHER;
    this.seen.add(value);
    return value;
  }
}
