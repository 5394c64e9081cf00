import type { SqlExecutor } from '../database.js';
import { InboxGroupingRepository, type GroupedRow } from './inbox-grouping.repository.js';
import { InboxRepository, type AppendedRow, type AppendRequest, type NewNotification } from './inbox.repository.js';

/** What one request became: new entries, and the entries it grouped into. */
export interface AppendResult {
  created: AppendedRow[];
  grouped: GroupedRow[];
  /** True for a request with a groupKey (its positions come after every plain request's in the batch). */
  grouping: boolean;
}

/**
 * The append path of ingest and of the worker's sends: InboxRepository's
 * one statement for requests without a groupKey (the hot path, unchanged),
 * and grouping for those with one. A batch with grouping must run in a
 * transaction (`needsTransaction`): the recipients' rows are locked first,
 * then the plain requests are appended, then each grouping request in
 * order groups into open entries and appends the rest, so later requests
 * of the batch with the same key group into what earlier ones created.
 */
export class InboxAppender {
  private readonly inbox = new InboxRepository();
  private readonly grouping = new InboxGroupingRepository();

  /** Whether `append` would group anything, and so needs the caller's transaction. */
  needsTransaction(requests: readonly { notification: Pick<NewNotification, 'groupKey'>; recipients: readonly string[] }[], windowSeconds: number): boolean {
    return windowSeconds > 0 && requests.some((r) => !!r.notification.groupKey && r.recipients.length > 0);
  }

  async append(exec: SqlExecutor, requests: AppendRequest[], windowSeconds: number): Promise<AppendResult[]> {
    if (!this.needsTransaction(requests, windowSeconds)) {
      return (await this.inbox.append(exec, requests)).map((created) => ({ created, grouped: [], grouping: false }));
    }
    const grouping = requests.map((r) => !!r.notification.groupKey);
    await this.grouping.lockUsers(exec, requests.flatMap((r) => r.recipients));
    const results: AppendResult[] = new Array(requests.length);
    const plain = requests.map((r, i) => ({ r, i })).filter(({ i }) => !grouping[i]);
    const written = await this.inbox.append(exec, plain.map(({ r }) => r));
    plain.forEach(({ i }, k) => (results[i] = { created: written[k], grouped: [], grouping: false }));
    for (let i = 0; i < requests.length; i++) {
      if (!grouping[i]) continue;
      const grouped = await this.grouping.groupInto(exec, requests[i], windowSeconds);
      const took = new Set(grouped.map((g) => g.userId));
      const rest = requests[i].recipients.filter((u) => !took.has(u));
      const [created = []] = rest.length ? await this.inbox.append(exec, [{ ...requests[i], recipients: rest }]) : [];
      results[i] = { created, grouped, grouping: true };
    }
    return results;
  }
}
