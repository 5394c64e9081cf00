import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The value's size serialized as JSON, in UTF-8 bytes (what MaxJsonBytes bounds). */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

/** The value, serialized as JSON, fits in `max` bytes. */
export function MaxJsonBytes(max: number, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      validator: {
        validate: (value: unknown) => jsonBytes(value) <= max,
        defaultMessage: (args) => `${args?.property} must serialize to at most ${max} bytes`,
      },
    },
    options,
  );
}

/** An ISO time in the future. */
export function IsFutureDate(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isFutureDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Date.parse(value) > Date.now(),
        defaultMessage: (args) => `${args?.property} must be a time in the future`,
      },
    },
    options,
  );
}
