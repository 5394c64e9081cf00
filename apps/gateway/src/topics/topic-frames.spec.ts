import { parseTopicFrame, parseTopicsParam } from './topic-frames.js';

describe('parseTopicFrame', () => {
  it('takes subscribe entries as names or { name, since, token }, leaving names to be judged per topic', () => {
    const sut = parseTopicFrame({ type: 'subscribe', topics: ['jobs', { name: 'inventory:*', since: 41 }, { name: 'x', token: 't' }, { name: 'Bad!' }] });

    expect(sut).toEqual({
      ok: true,
      frame: { type: 'subscribe', topics: [{ name: 'jobs' }, { name: 'inventory:*', since: 41 }, { name: 'x', token: 't' }, { name: 'Bad!' }] },
    });
    expect(parseTopicFrame({ type: 'unsubscribe', topics: ['jobs'] })).toEqual({ ok: true, frame: { type: 'unsubscribe', topics: ['jobs'] } });
    expect(parseTopicFrame({ type: 'ping' })).toBeUndefined();
  });

  it.each([
    [{ type: 'subscribe' }],
    [{ type: 'subscribe', topics: [] }],
    [{ type: 'subscribe', topics: Array.from({ length: 101 }, () => 'jobs') }],
    [{ type: 'subscribe', topics: [{ name: 'jobs', since: -1 }] }],
    [{ type: 'subscribe', topics: [{ name: 'jobs', since: 1.5 }] }],
    [{ type: 'subscribe', topics: [{ name: 'jobs', token: '' }] }],
    [{ type: 'subscribe', topics: [{ since: 1 }] }],
    [{ type: 'unsubscribe', topics: [{ name: 'jobs' }] }],
  ])('refuses the malformed %j as a whole', (frame) => {
    expect(parseTopicFrame(frame)).toMatchObject({ ok: false, code: 'malformed_frame' });
  });
});

describe('parseTopicsParam', () => {
  it('reads name[@since], comma separated', () => {
    expect(parseTopicsParam('jobs@41,inventory:*,x')).toEqual([{ name: 'jobs', since: 41 }, { name: 'inventory:*' }, { name: 'x' }]);
  });

  it('says what is malformed', () => {
    expect(parseTopicsParam('jobs@x')).toMatch(/name@seq/);
    expect(parseTopicsParam(',')).toMatch(/1-100/);
  });
});
