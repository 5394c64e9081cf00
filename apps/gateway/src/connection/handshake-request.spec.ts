import type { IncomingMessage } from 'node:http';
import { originAllowed, parseHandshake } from './handshake-request.js';

const req = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe('parseHandshake', () => {
  it('prefers the Authorization header over ?token=', () => {
    const sut = parseHandshake(req('/ws?token=q', { authorization: 'Bearer h' }));

    expect(sut.token).toBe('h');
  });

  it('reads ticket, since and recent', () => {
    const sut = parseHandshake(req('/ws?ticket=t&since=41&recent=5'));

    expect(sut).toMatchObject({ ticket: 't', since: 41, recent: 5 });
  });

  it.each(['since=-1', 'since=1.5', 'since=abc', 'recent=51', 'recent=x'])('flags %s as invalid', (q) => {
    expect(parseHandshake(req(`/ws?${q}`)).invalid).toBeDefined();
  });
});

describe('originAllowed', () => {
  const allowed = ['https://app.example.com'];

  it.each([
    ['https://app.example.com', true],
    ['https://app.example.com.evil.test', false],
    ['https://evil.test/https://app.example.com', false],
    ['null', false],
    ['http://app.example.com', false],
  ])('%s → %s', (origin, expected) => {
    expect(originAllowed(origin, allowed)).toBe(expected);
  });

  it('allows any origin when no list is configured', () => {
    expect(originAllowed('https://anything.test', [])).toBe(true);
  });
});
