import { fakeJwt } from '../../testing/fake-rest.js';
import { decodeJwtPayload, expiresAtMs, refreshAtMs } from './jwt-expiry.js';

describe('jwt expiry', () => {
  it('decodes the payload of a base64url JWT, including non-ASCII claims', () => {
    const token = fakeJwt({ exp: 2_000_000_000, sub: 'zoë-ü-✓' });

    expect(decodeJwtPayload(token)).toMatchObject({ exp: 2_000_000_000, sub: 'zoë-ü-✓' });
  });

  it('returns null for opaque tokens and tokens without exp', () => {
    expect(decodeJwtPayload('opaque')).toBeNull();
    expect(decodeJwtPayload('a.%%%.c')).toBeNull();
    expect(expiresAtMs(fakeJwt({}))).toBeNull();
    expect(refreshAtMs('opaque')).toBeNull();
  });

  it('refreshes 30 s before exp for long-lived tokens', () => {
    const token = fakeJwt({ iat: 1000, exp: 4600 });

    expect(refreshAtMs(token)).toBe(4600_000 - 30_000);
  });

  it('refreshes at 10% of the lifetime before exp for short tokens', () => {
    const token = fakeJwt({ iat: 1000, exp: 1060 });

    expect(refreshAtMs(token)).toBe(1060_000 - 6_000);
  });
});
