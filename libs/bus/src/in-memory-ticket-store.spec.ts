import { jest } from '@jest/globals';
import { RateLimitedError } from '@herald/errors';
import { InMemoryTicketStore } from './in-memory-ticket-store.js';

describe('InMemoryTicketStore', () => {
  let now = 1_000_000;
  const clock = () => now;
  const grant = (userId: string) => ({ userId, tokenExp: 2_000_000 });

  beforeEach(() => {
    now = 1_000_000;
  });

  it('opens one socket per ticket, and none once the ticket lapsed', async () => {
    const sut = new InMemoryTicketStore({ maxPerUser: 5 }, clock);
    const used = await sut.issue(grant('a'), 60);
    const lapsing = await sut.issue(grant('a'), 1);

    const first = await sut.consume(used);
    const again = await sut.consume(used);
    now += 1000;

    expect(first).toEqual(grant('a'));
    expect(again).toBeNull();
    expect(await sut.consume(lapsing)).toBeNull();
  });

  it('refuses a user holding maxPerUser unused tickets, and counts a used one out', async () => {
    const sut = new InMemoryTicketStore({ maxPerUser: 2 }, clock);
    const first = await sut.issue(grant('a'), 60);
    await sut.issue(grant('a'), 60);

    await expect(sut.issue(grant('a'), 60)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(sut.issue(grant('b'), 60)).resolves.toEqual(expect.any(String));
    await sut.consume(first);
    await expect(sut.issue(grant('a'), 60)).resolves.toEqual(expect.any(String));
  });

  it('drops lapsed tickets from the front as it issues, so they stop counting', async () => {
    const sut = new InMemoryTicketStore({ maxPerUser: 2 }, clock);
    await sut.issue(grant('a'), 10);
    await sut.issue(grant('a'), 10);
    now += 10_000;

    await expect(sut.issue(grant('a'), 10)).resolves.toEqual(expect.any(String));
    expect(sut.size).toBe(1);
  });

  it('holds at most maxTickets in all, dropping the oldest for a new one', async () => {
    const sut = new InMemoryTicketStore({ maxPerUser: 10, maxTickets: 3 }, clock);
    const oldest = await sut.issue(grant('a'), 60);
    const rest = [await sut.issue(grant('b'), 60), await sut.issue(grant('c'), 60), await sut.issue(grant('d'), 60)];

    expect(sut.size).toBe(3);
    expect(await sut.consume(oldest)).toBeNull();
    expect(await sut.consume(rest[2])).toEqual(grant('d'));
  });

  it('never walks live tickets to issue one: with 5,000 live ones it looks at the oldest only', async () => {
    const sut = new InMemoryTicketStore({ maxPerUser: 1 }, clock);
    for (let i = 0; i < 5_000; i++) await sut.issue(grant(`u${i}`), 60);
    const mapIterator = Object.getPrototypeOf(new Map().entries()) as { next: () => unknown };
    const steps = jest.spyOn(mapIterator, 'next');

    await sut.issue(grant('late'), 60);

    // A sweep of the whole map (what issue did before) would take 5,000 steps.
    expect(steps.mock.calls.length).toBeLessThanOrEqual(2);
    steps.mockRestore();
  });
});
