import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

describe('heartbeat (real gateway, real ws clients)', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 1, env: { HERALD_HEARTBEAT_MS: '300' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('terminates a socket that stops answering pings and keeps the ones that answer', async () => {
    const silent = await TestSocket.connect(sys.socketUrl(0, 'u-silent'), { autoPong: false });
    const healthy = await TestSocket.connect(sys.socketUrl(0, 'u-healthy'));
    const started = Date.now();

    const { code } = await silent.closed;
    const deadAfterMs = Date.now() - started;
    await sys.publish(['u-healthy'], { title: 'still here' });

    // Terminated, not closed: the client sees no close frame.
    expect(code).toBe(1006);
    // Pinged within one interval, found dead at the next: about two intervals (300 ms each).
    expect(deadAfterMs).toBeLessThan(2000);
    expect((await healthy.waitForNotifications(1))[0].title).toBe('still here');
    await healthy.close();
  });
});
