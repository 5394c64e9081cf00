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
 * the field; undefined when there is none. Walks with its own stack, so
 * input of any depth is looked at without recursion.
 */
export function findUnsafeInput(input: unknown, name?: string): FieldError | undefined {
  const stack: [value: unknown, path: string, depth: number][] = [];
  if (isContainer(input) && name === undefined) {
    for (const [key, value] of Object.entries(input)) {
      const problem = keyProblem(key, key);
      if (problem) return problem;
      stack.push([value, key, 1]);
    }
  } else {
    stack.push([input, name ?? 'value', 1]);
  }
  while (stack.length) {
    const [value, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof value === 'string') {
      if (UNSAFE_TEXT.test(value)) return { field: path, message: TEXT_PROBLEM };
      continue;
    }
    if (!isContainer(value)) continue;
    if (depth > MAX_DEPTH) return { field: fieldOf(path), message: `must not be nested more than ${MAX_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}.${key}`;
      const problem = keyProblem(key, Array.isArray(value) ? path : childPath, path);
      if (problem) return problem;
      stack.push([child, childPath, depth + 1]);
    }
  }
  return undefined;
}

function keyProblem(key: string, path: string, parent = path): FieldError | undefined {
  if (RESERVED_KEYS.has(key)) return { field: path, message: `is a reserved key (${[...RESERVED_KEYS].join(', ')})` };
  // Name the parent: a bad key would make a bad field name.
  if (UNSAFE_TEXT.test(key)) return { field: parent, message: `has a key that ${TEXT_PROBLEM}` };
  return undefined;
}

/** An object or an array: something with keys to walk. */
export const isContainer = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The top-level field of a path: the one the contract's limit is about. */
const fieldOf = (path: string) => path.split('.')[0];
