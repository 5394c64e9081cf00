import { defaultWsUrl, socketUrl } from './socket-url.js';

describe('defaultWsUrl', () => {
  it.each([
    ['http://localhost:3000', 'ws://localhost:3000/ws'],
    ['https://herald.example.com/', 'wss://herald.example.com/ws'],
    ['https://example.com/herald/?x=1', 'wss://example.com/herald/ws'],
  ])('maps %s to %s', (input, expected) => {
    expect(defaultWsUrl(input)).toBe(expected);
  });
});

describe('socketUrl', () => {
  it('adds only the parameters it is given', () => {
    const url = new URL(socketUrl('ws://h/ws', { ticket: 't1', since: 0, recent: 10 }));

    expect(Object.fromEntries(url.searchParams)).toEqual({ ticket: 't1', since: '0', recent: '10' });
  });

  it('leaves since out while the seq is unknown', () => {
    const url = new URL(socketUrl('ws://h/ws', { token: 'a.b.c', since: null }));

    expect(url.searchParams.has('since')).toBe(false);
    expect(url.searchParams.get('token')).toBe('a.b.c');
  });
});
