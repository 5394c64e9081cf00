import { ValidationError } from '@herald/errors';

/**
 * A URL Herald will not call: not https, carrying credentials, or naming
 * (or resolving to) an address that is not public. A validation error,
 * because it is the caller's URL that is wrong; its text names no address.
 */
export class EndpointBlockedError extends ValidationError {
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`, [{ field, message: problem }]);
  }
}
