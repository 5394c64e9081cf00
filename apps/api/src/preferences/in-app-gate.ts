import { Inject, Injectable } from '@nestjs/common';
import { Channel } from '@herald/contracts';
import { categoryOf, PreferencesRepository, type SqlExecutor } from '@herald/database';

/** How long "nobody turned in-app off anywhere" is trusted before it is asked again, ms. */
const ANY_TTL_MS = 2000;

/**
 * In-app preferences at publish: a recipient who turned the in-app channel
 * off for the notification's category or type gets no row at all. While
 * no user and no default turns in-app off anywhere (the common case) this
 * costs nothing per request: one EXISTS every two seconds per api process.
 * Otherwise one statement per batch, before the append. A change made
 * through this process applies at once; one made through another api
 * replica within two seconds.
 */
@Injectable()
export class InAppGate {
  private any: { value: boolean; at: number } | undefined;

  constructor(@Inject(PreferencesRepository) private readonly preferences: PreferencesRepository) {}

  /** Each request's recipients without those who turned in-app off for it. */
  async recipients(exec: SqlExecutor, requests: { input: { type: string }; recipients: string[] }[]): Promise<string[][]> {
    if (!(await this.anyOptOut(exec))) return requests.map((r) => r.recipients);
    const checks = requests.flatMap(({ input, recipients }) => recipients.map((userId) => ({ userId, category: categoryOf(input), type: input.type })));
    const out = await this.preferences.optedOut(exec, Channel.InApp, checks);
    let i = 0;
    return requests.map(({ recipients }) => recipients.filter(() => !out.has(i++)));
  }

  /** A preference changed here: ask again on the next publish. */
  invalidate(): void {
    this.any = undefined;
  }

  /** On the batch's own connection: the publish pool bounds how long a statement may hang (publish-pool.ts). */
  private async anyOptOut(exec: SqlExecutor): Promise<boolean> {
    if (!this.any || Date.now() - this.any.at > ANY_TTL_MS) this.any = { value: await this.preferences.anyOptOut(exec, Channel.InApp), at: Date.now() };
    return this.any.value;
  }
}
