import type { WebSocket } from 'ws';
import { Admission } from './admission.js';

const socket = () => ({}) as WebSocket;

describe('Admission', () => {
  const sut = () => new Admission({ gateway: { maxConnections: 2 } as never });

  it('admits up to the cap and refuses the next', () => {
    const admission = sut();

    expect([admission.admit(socket()), admission.admit(socket()), admission.admit(socket())]).toEqual([true, true, false]);
  });

  it('frees a place when an admitted socket leaves, and only then', () => {
    const admission = sut();
    const first = socket();
    admission.admit(first);
    admission.admit(socket());

    admission.release(socket()); // never admitted: changes nothing
    const whileFull = admission.admit(socket());
    admission.release(first);
    admission.release(first); // twice: counted once

    expect(whileFull).toBe(false);
    expect(admission.size).toBe(1);
    expect(admission.admit(socket())).toBe(true);
  });
});
