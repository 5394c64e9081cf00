/**
 * A shortcut past class-transformer and class-validator for one DTO's
 * everyday bodies. Those two walk a body through every decorator on every
 * request, and on the publish path that was the largest piece of the api's
 * own CPU per POST; a lane checks the common, plainly valid shape directly.
 *
 * A lane may only answer for a body the full pipe accepts, with the very
 * object the full pipe would build (same class, same keys, same values).
 * Anything else (an error to report, a rarely used field, text whose length
 * is counted in a special way) it leaves to the full pipe, which then
 * answers and words its errors as it always has.
 */
export interface BodyFastLane<T extends object = object> {
  /** The DTO class the lane stands in for (the handler's `@Body()` type). */
  readonly metatype: new () => T;
  /** The DTO for a body that certainly passes its rules; undefined to leave it to the full pipe. */
  accept(body: unknown): T | undefined;
}
