import type { FieldError } from '@herald/contracts';

/**
 * How deep a field's value may nest: the field's own object or array is
 * level 1. Deeper input would overflow the stack of the recursive steps after
 * this one (class-transformer, class-validator, JSON.stringify) and end as a
 * 500; JSON itself has no limit, so the contract sets one.
 */
export const MAX_DEPTH = 32;

/**
 * Keys that mean something to JavaScript objects. JSON.parse keeps them as
 * plain keys, but the steps after it drop or misread them silently, so they
 * are refused wherever they appear.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** NUL (Postgres text cannot hold it) or a UTF-16 surrogate without its pair (not Unicode text at all). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSAFE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const TEXT_PROBLEM = 'must not contain NUL or unpaired surrogate characters';

/**
 * The first reason `input` (a body, a query or a route parameter; its own
 * keys are the field names) cannot be stored or validated safely, naming
 * the field; undefined when there is none. It runs on every request, so
 * it allocates nothing for input that passes: a field's path is written
 * out only to name a problem or to go down into an object or array.
 * Recursion stops at MAX_DEPTH, so input of any depth is safe to look at.
 * Order: a container's keys first, then its values from the last one back.
 */
export function findUnsafeInput(input: unknown, name?: string): FieldError | undefined {
  if (!isContainer(input) || name !== undefined) return problemIn(input, name ?? 'value', undefined, 1);
  const keys = Object.keys(input);
  for (const key of keys) {
    const problem = keyProblem(key, undefined);
    if (problem) return problem;
  }
  for (let i = keys.length - 1; i >= 0; i--) {
    const problem = problemIn(input[keys[i]], keys[i], undefined, 1);
    if (problem) return problem;
  }
  return undefined;
}

/** The first problem in `value`, the field at `parent.key` (or `parent` without a key), `depth` levels down. */
function problemIn(value: unknown, parent: string, key: string | undefined, depth: number): FieldError | undefined {
  if (typeof value === 'string') {
    return UNSAFE_TEXT.test(value) ? { field: pathOf(parent, key), message: TEXT_PROBLEM } : undefined;
  }
  if (!isContainer(value)) return undefined;
  const path = pathOf(parent, key);
  if (depth > MAX_DEPTH) return { field: fieldOf(path), message: `must not be nested more than ${MAX_DEPTH} levels deep` };
  const keys = Object.keys(value);
  const isArray = Array.isArray(value);
  for (const childKey of keys) {
    const problem = keyProblem(childKey, path, isArray);
    if (problem) return problem;
  }
  for (let i = keys.length - 1; i >= 0; i--) {
    const problem = problemIn(value[keys[i]], path, keys[i], depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

const pathOf = (parent: string, key: string | undefined) => (key === undefined ? parent : `${parent}.${key}`);

/** A problem with `key` of the container at `parent` (undefined: the input itself, whose keys are the fields). */
function keyProblem(key: string, parent: string | undefined, inArray = false): FieldError | undefined {
  if (RESERVED_KEYS.has(key)) return { field: parent === undefined ? key : inArray ? parent : `${parent}.${key}`, message: `is a reserved key (${[...RESERVED_KEYS].join(', ')})` };
  // Name the parent: a bad key would make a bad field name.
  if (UNSAFE_TEXT.test(key)) return { field: parent ?? key, message: `has a key that ${TEXT_PROBLEM}` };
  return undefined;
}

/** An object or an array: something with keys to walk. */
export const isContainer = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The top-level field of a path: the one the contract's limit is about. */
const fieldOf = (path: string) => path.split('.')[0];
