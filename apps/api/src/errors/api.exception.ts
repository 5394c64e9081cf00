import { HttpException } from '@nestjs/common';
import { ErrorCode } from '@herald/contracts';

/** An HTTP error that carries its stable `code`. */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: { field: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super({ code, message, details }, status);
  }
}

export const notFound = (what = 'notification') => new ApiException(404, ErrorCode.NotFound, `${what} not found`);
