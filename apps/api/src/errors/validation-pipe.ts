import { ValidationPipe, type ArgumentMetadata, type ValidationError as ClassValidatorError, type ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { FieldError } from '@herald/contracts';
import { ValidationError } from '@herald/errors';
import type { BodyFastLane } from './body-fast-lane.js';
import { findUnsafeInput } from './input-safety.js';
import { findSkippedKey } from './skipped-key.js';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

/** Flattens nested class-validator errors into `{ field, message }` pairs. */
function flatten(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * class-validator's pipe, after a look at the raw input for what would
 * otherwise fail deep inside (a 500) or be dropped in silence: NUL and
 * unpaired surrogates in any string, reserved keys (`__proto__`,
 * `constructor`, `prototype`) and nesting beyond MAX_DEPTH (input-safety.ts).
 * A body that passed that look may then take its DTO's fast lane
 * (body-fast-lane.ts) instead of class-transformer and class-validator.
 * What those built is then held against the input for keys they skipped
 * in silence (skipped-key.ts). A lane never takes such a body.
 */
class SafeInputValidationPipe extends ValidationPipe {
  private readonly lanes: ReadonlyMap<unknown, BodyFastLane>;

  constructor(options: ValidationPipeOptions, lanes: readonly BodyFastLane[]) {
    super(options);
    this.lanes = new Map(lanes.map((lane) => [lane.metatype, lane]));
  }

  /**
   * Input that findUnsafeInput passed. It walked every own enumerable key at
   * every level and refused `__proto__`, `constructor` and `prototype`, so
   * Nest's second walk (stripProtoKeys, which deletes those keys) would find
   * nothing to delete: a parsed body, query or route parameter has no other
   * keys (no inherited or hidden ones). Skipping it saves a walk of the whole
   * input per request. Weak, so that no request's input is kept.
   */
  private readonly checked = new WeakSet<object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // A custom decorator's value (@CurrentPrincipal on every authenticated
    // route): the stock pipe returns it as it is unless told to validate
    // such values; saying so here spares every request its async steps.
    if (metadata.type === 'custom' && !this.validateCustomDecorators) return value;
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problem = findUnsafeInput(value, metadata.data);
      if (problem) throw new ValidationError(`invalid fields: ${problem.field}`, [problem]);
      if (metadata.type === 'body') {
        const dto = this.lanes.get(metadata.metatype)?.accept(value);
        if (dto) return dto;
      }
      if (typeof value === 'object' && value !== null) this.checked.add(value);
    }
    const dto: unknown = await super.transform(value, metadata);
    if (metadata.type === 'body' || metadata.type === 'query') {
      const skipped = findSkippedKey(value, dto);
      if (skipped) throw new ValidationError(`invalid fields: ${skipped.field}`, [skipped]);
    }
    return dto;
  }

  protected override stripProtoKeys(value: unknown): void {
    if (typeof value === 'object' && value !== null && this.checked.has(value)) return;
    super.stripProtoKeys(value);
  }
}

/**
 * Unknown fields are rejected and every bad field is named, so a
 * publisher fixes its payload in one round trip. (Exported for the test
 * that holds the pipe to what Nest's own pipe answers with them.)
 */
export const validationPipeOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const details = flatten(errors);
    const fields = [...new Set(details.map((d) => d.field))];
    return new ValidationError(`invalid fields: ${fields.join(', ')}`, details);
  },
};

/**
 * The api's pipe, with class-validator's rule lookup cached for every
 * request after the first, and the given DTOs' fast lanes.
 */
export function createValidationPipe(lanes: readonly BodyFastLane[] = []): ValidationPipe {
  cacheValidationMetadata(getMetadataStorage());
  return new SafeInputValidationPipe(validationPipeOptions, lanes);
}
