import { jest } from '@jest/globals';
import jwt from 'jsonwebtoken';
import type { HeraldConfig } from '@herald/config';
import { signToken } from './sign-token.js';
import { TokenVerifier } from './token-verifier.js';
import { VERIFIED_TOKEN_TTL_MS, VerifiedTokens } from './verified-tokens.js';

const SECRET = 's'.repeat(32);
const config = { jwt: { secret: SECRET } } as unknown as HeraldConfig;

describe('TokenVerifier, remembering verified tokens', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a repeated token from memory, and still refuses a forged copy of it', async () => {
    const sut = new TokenVerifier(config);
    const token = signToken(SECRET, { sub: 'svc', scope: 'notifications:publish' });

    const checks = jest.spyOn(jwt, 'verify');
    const first = await sut.verify(token);
    const again = await sut.verify(token);
    // The signature was checked once; the second answer came from memory.
    expect(checks).toHaveBeenCalledTimes(1);
    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');

    expect(again).toEqual(first);
    expect(again.kind).toBe('service');
    await expect(sut.verify(forged)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(sut.verify(signToken('x'.repeat(32), { sub: 'svc' }))).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a remembered token once it expires, as a fresh check would', async () => {
    const sut = new TokenVerifier(config);
    const start = Date.now();
    const token = signToken(SECRET, { sub: 'u1', expiresIn: 2 });
    await expect(sut.verify(token)).resolves.toMatchObject({ sub: 'u1' });

    // exp plus the 5 s of skew forgiven, and a little more.
    jest.spyOn(Date, 'now').mockReturnValue(start + 8_000);

    await expect(sut.verify(token)).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('runs the claims rules on every use, also for a remembered token', async () => {
    const sut = new TokenVerifier({ jwt: { secret: SECRET, maxLifetimeSeconds: 60 } } as unknown as HeraldConfig);
    const tooLong = signToken(SECRET, { sub: 'u1', expiresIn: 3600 });

    await expect(sut.verify(tooLong)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(sut.verify(tooLong)).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('VerifiedTokens', () => {
  it('keeps an entry no longer than the TTL, nor past exp plus the skew', () => {
    const sut = new VerifiedTokens(5);
    const now = 1_000_000_000;

    sut.remember('long', { sub: 'a', exp: now / 1000 + 3600 }, now);
    sut.remember('short', { sub: 'b', exp: now / 1000 + 1 }, now);
    sut.remember('past', { sub: 'c', exp: now / 1000 - 10 }, now);

    expect(sut.get('long', now + VERIFIED_TOKEN_TTL_MS - 1)).toMatchObject({ sub: 'a' });
    expect(sut.get('long', now + VERIFIED_TOKEN_TTL_MS)).toBeUndefined();
    expect(sut.get('short', now + 5_999)).toMatchObject({ sub: 'b' });
    expect(sut.get('short', now + 6_000)).toBeUndefined();
    expect(sut.get('past', now)).toBeUndefined();
  });
});
