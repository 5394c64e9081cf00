import { AuthError } from './auth.error.js';
import { principalFromPayload } from './principal.js';

describe('principalFromPayload', () => {
  const policy = { nowSec: 1_000_000, clockToleranceSec: 5 };

  it('rounds a fractional exp up, so a whole-second sweep still finds it due', () => {
    expect(principalFromPayload({ sub: 'a', exp: 1_000_100.2 }, policy).exp).toBe(1_000_101);
  });

  it('refuses iat in the future beyond the skew, and accepts it within', () => {
    expect(() => principalFromPayload({ sub: 'a', exp: 1_000_600, iat: 1_000_006 }, policy)).toThrow(AuthError);
    expect(principalFromPayload({ sub: 'a', exp: 1_000_600, iat: 1_000_005 }, policy).sub).toBe('a');
  });

  it('enforces the maximum lifetime, which needs iat', () => {
    const strict = { ...policy, maxLifetimeSeconds: 3600 };

    const detail = (pattern: RegExp) => expect.objectContaining({ detail: expect.stringMatching(pattern) });

    expect(() => principalFromPayload({ sub: 'a', iat: 1_000_000, exp: 1_003_601 }, strict)).toThrow(detail(/lifetime/));
    expect(() => principalFromPayload({ sub: 'a', exp: 1_000_600 }, strict)).toThrow(detail(/iat/));
    expect(principalFromPayload({ sub: 'a', iat: 1_000_000, exp: 1_003_600 }, strict).exp).toBe(1_003_600);
  });

  it('tells services from users by their scopes', () => {
    expect(principalFromPayload({ sub: 's', exp: 1_000_600, scope: 'notifications:publish' }, policy).kind).toBe('service');
    expect(principalFromPayload({ sub: 'u', exp: 1_000_600, scope: 'profile' }, policy).kind).toBe('user');
    expect(principalFromPayload({ sub: 'u', exp: 1_000_600 }, policy).kind).toBe('user');
  });

  it("keeps the well-formed entries of the topics claim and drops the rest", () => {
    const sut = principalFromPayload({ sub: 'u', exp: 1_000_600, topics: ['jobs', 'inventory:*', 'Bad', '*', 7, 'jobs:*:x'] }, policy);

    expect(sut.topics).toEqual(['jobs', 'inventory:*']);
    expect(principalFromPayload({ sub: 'u', exp: 1_000_600, topics: 'jobs' }, policy).topics).toEqual([]);
  });
});
