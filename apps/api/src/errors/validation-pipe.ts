import { ValidationPipe, type ArgumentMetadata, type ValidationError as ClassValidatorError } from '@nestjs/common';
import type { FieldError } from '@herald/contracts';
import { ValidationError } from '@herald/errors';
import { findUnsafeInput } from './input-safety.js';

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
 */
class SafeInputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problem = findUnsafeInput(value, metadata.data);
      if (problem) throw new ValidationError(`invalid fields: ${problem.field}`, [problem]);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Unknown fields are rejected and every bad field is named, so a
 * publisher fixes its payload in one round trip.
 */
export function createValidationPipe(): ValidationPipe {
  return new SafeInputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const fields = [...new Set(details.map((d) => d.field))];
      return new ValidationError(`invalid fields: ${fields.join(', ')}`, details);
    },
  });
}
