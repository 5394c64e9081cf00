import type { FieldError } from '@herald/contracts';
import { isContainer } from './input-safety.js';

/**
 * The first key of the parsed `input` that is missing from the DTO built
 * from it (`output`) because the class already has a member of that name.
 * class-transformer does not copy such a key (at any level it builds a class
 * or copies an object: `toString`, `valueOf`, `hasOwnProperty`, … of
 * Object.prototype), so the whitelist never sees it either, and
 * `{"title":"x","toString":1}` would be answered as if the key were not
 * there. It is named as the unknown field it is, in the whitelist's words.
 *
 * Objects the DTO keeps as sent (free-form `data`, filters: the same object
 * on both sides) hold no such loss and are not walked. Depth is bounded by
 * findUnsafeInput, which ran first.
 */
export function findSkippedKey(input: unknown, output: unknown, path = ''): FieldError | undefined {
  if (input === output || !isContainer(input) || !isContainer(output)) return undefined;
  for (const [key, value] of Object.entries(input)) {
    const field = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(output, key)) {
      if (key in output) return { field, message: `property ${key} should not exist` };
      continue;
    }
    const problem = findSkippedKey(value, output[key], field);
    if (problem) return problem;
  }
  return undefined;
}
