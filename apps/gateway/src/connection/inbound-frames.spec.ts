import { FrameRateLimiter, parseInbound } from './inbound-frames.js';

const text = (s: string) => Buffer.from(s);

describe('parseInbound', () => {
  it('accepts ping and auth', () => {
    expect(parseInbound(text('{"type":"ping"}'), false)).toEqual({ ok: true, frame: { type: 'ping' } });
    expect(parseInbound(text('{"type":"auth","token":"t"}'), false)).toEqual({ ok: true, frame: { type: 'auth', token: 't' } });
  });

  it.each([
    ['not json', 'malformed_frame'],
    ['[1,2]', 'malformed_frame'],
    ['null', 'malformed_frame'],
    ['{"type":"publish"}', 'unknown_type'],
    ['{"type":"subscribe"}', 'malformed_frame'],
    ['{"type":"auth"}', 'invalid_token'],
  ])('answers %s with %s', (input, code) => {
    expect(parseInbound(text(input), false)).toMatchObject({ ok: false, code });
  });

  it('refuses binary frames', () => {
    expect(parseInbound(text('{"type":"ping"}'), true)).toMatchObject({ ok: false, code: 'malformed_frame' });
  });
});

describe('FrameRateLimiter', () => {
  it('allows N frames per second and resets after a second', () => {
    const sut = new FrameRateLimiter(3);

    const first = [0, 10, 20, 30].map((t) => sut.allow(t));
    const later = sut.allow(1001);

    expect(first).toEqual([true, true, true, false]);
    expect(later).toBe(true);
  });
});
