import { judge, TOLERANCE } from '../../scripts/soak/lib/flatness.mjs';

const MB = 2 ** 20;
/** Twenty minutes of steady phase sampled every 10 s. */
const times = Array.from({ length: 121 }, (_, i) => i * 10_000);
/** A used heap that climbs 60 → 170 MB and is collected every 130 s, as the api's did in the soak. */
const sawtooth = (t: number) => (60 + ((t % 130_000) / 130_000) * 110) * MB;
/** An RSS that creeps up to a 180 MB plateau and drops 30 MB when pages go back, every ~5 minutes, as the gateways' did. */
const plateau = (t: number) => (150 + Math.min(30, ((t % 310_000) / 60_000) * 10)) * MB;
const series = (f: (t: number) => number) => times.map((t) => ({ t, v: f(t) }));
const { fds, heapUsedBytes, rssBytes } = TOLERANCE;

describe('soak flatness judge', () => {
  it('calls a GC sawtooth flat by its floor, wherever the window cuts its teeth', () => {
    for (const shift of [0, 40_000, 90_000]) {
      expect({ shift, flat: judge(series((t) => sawtooth(t + shift)), heapUsedBytes, 'floor').flat }).toEqual({ shift, flat: true });
    }
  });

  it('finds a leak of 2 MB a minute under the same sawtooth', () => {
    const sut = judge(series((t) => sawtooth(t) + (t / 60_000) * 2 * MB), heapUsedBytes, 'floor');

    expect(sut.flat).toBe(false);
    expect(sut.driftOverWindow).toBeGreaterThan(15 * MB);
  });

  it('calls an RSS plateau flat by its high-water mark, whenever the pages go back, and finds one that keeps rising', () => {
    for (const shift of [0, 100_000, 200_000]) {
      expect({ shift, flat: judge(series((t) => plateau(t + shift)), rssBytes, 'peak').flat }).toEqual({ shift, flat: true });
    }
    expect(judge(series((t) => plateau(t) + (t / 60_000) * 3 * MB), rssBytes, 'peak').flat).toBe(false);
  });

  it('lets descriptors swing by a pool and no further', () => {
    expect(judge(series((t) => 80 + ((t / 10_000) % 7)), fds, 'floor').flat).toBe(true);
    expect(judge(series((t) => 80 + Math.floor(t / 20_000)), fds, 'floor').flat).toBe(false);
  });

  it('refuses to judge a phase with too few samples', () => {
    expect(judge(series(() => 1).slice(0, 5), fds, 'floor')).toMatchObject({ flat: false, why: 'only 5 samples' });
  });
});
