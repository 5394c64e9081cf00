import { UnavailableError } from '@herald/errors';

/**
 * A Redis operation that did not answer in time. ioredis's own
 * `commandTimeout` starts a command's clock only when the command is
 * written; with auto-pipelining a command queued behind a pipeline that is
 * itself waiting on a hung Redis has no clock yet, and the waits add up
 * (seen: 1 s, 3 s, 5 s for successive POSTs during a 5 s hang). So the
 * operations a request waits on carry a deadline of their own.
 */
export class RedisDeadlineError extends UnavailableError {
  constructor(what: string, ms: number) {
    super(`redis ${what} did not answer within ${ms} ms`);
  }
}

/**
 * `work`, or a RedisDeadlineError after `ms`. The work itself goes on (a
 * publish still reaches Redis, in order, when it wakes); only the caller
 * stops waiting. Its late failure is swallowed here: the caller already
 * has its answer.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  // The answer's promise, one then() and one timer: a deadline promise,
  // Promise.race and finally() cost twice the promises and reactions per
  // call, and the publish path calls this once per batch (issue 16: the
  // api's tail follows its bytes per request).
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisDeadlineError(what, ms)), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
