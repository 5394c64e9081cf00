import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import type { FieldError } from '@herald/contracts';
import { ValidationError } from '@herald/errors';

/** Flattens nested class-validator errors into `{ field, message }` pairs. */
function flatten(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Unknown fields are rejected and every bad field is named, so a
 * publisher fixes its payload in one round trip.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
