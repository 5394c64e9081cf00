import { AuthError, AuthFailure } from '@herald/auth';
import { CloseCode } from '@herald/contracts';
import { closeFor } from './close-for.js';

describe('closeFor', () => {
  it.each([
    [AuthFailure.Missing, CloseCode.Unauthorized],
    [AuthFailure.Invalid, CloseCode.Unauthorized],
    [AuthFailure.Expired, CloseCode.TokenExpired],
    [AuthFailure.Ticket, CloseCode.Forbidden],
  ])('closes a %s credential with %i and a fixed reason', (failure, code) => {
    const sut = closeFor(new AuthError(failure, 'jwt audience invalid. expected: secret-audience'));

    expect(sut.code).toBe(code);
    expect(sut.reason).not.toMatch(/secret-audience|expected/);
  });

  it('closes anything else with 1011', () => {
    expect(closeFor(new Error('boom'))).toEqual({ code: CloseCode.InternalError, reason: 'internal error', metric: 'internal' });
  });
});
