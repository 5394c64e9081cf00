/** What one cleanup batch looked at and what it removed. */
export interface PurgeOutcome {
  /** Candidate rows found; fewer than the batch size means nothing is left. */
  scanned: number;
  deleted: number;
}
