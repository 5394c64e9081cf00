import { judge, TOLERANCE } from '../../scripts/soak/lib/flatness.mjs';

const MB = 2 ** 20;
/** Ten minutes sampled every 10 s. */
const times = Array.from({ length: 61 }, (_, i) => i * 10_000);
/** A used heap that climbs 60 → 170 MB and is collected every 130 s, as the api's did in the soak. */
const sawtooth = (t: number) => (60 + ((t % 130_000) / 130_000) * 110) * MB;

describe('soak flatness judge', () => {
  it('calls a GC sawtooth flat wherever the window cuts its teeth', () => {
    for (const shift of [0, 40_000, 90_000]) {
      const sut = judge(times.map((t) => ({ t, v: sawtooth(t + shift) })), TOLERANCE.heapUsedBytes);

      expect({ shift, flat: sut.flat }).toEqual({ shift, flat: true });
    }
  });

  it('finds a leak of 2 MB a minute under the same sawtooth', () => {
    const sut = judge(times.map((t) => ({ t, v: sawtooth(t) + (t / 60_000) * 2 * MB })), TOLERANCE.heapUsedBytes);

    expect(sut.flat).toBe(false);
    expect(sut.driftOverWindow).toBeGreaterThan(15 * MB);
  });

  it('lets descriptors swing by a pool and no further', () => {
    const pool = times.map((t, i) => ({ t, v: 80 + (i % 7) }));
    const leak = times.map((t, i) => ({ t, v: 80 + Math.floor(i / 2) }));

    expect(judge(pool, TOLERANCE.fds).flat).toBe(true);
    expect(judge(leak, TOLERANCE.fds).flat).toBe(false);
  });

  it('refuses to judge a window with too few samples', () => {
    expect(judge(times.slice(0, 5).map((t) => ({ t, v: 1 })), TOLERANCE.fds)).toMatchObject({ flat: false, why: 'only 5 samples' });
  });
});
