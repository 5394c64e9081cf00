import { RecordedClient } from '../support/recorded-client.js';
import { startProcessSystem, type ProcessSystem } from '../support/process-system.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * A gateway process SIGKILLed under a steady stream of POSTs: the SDK must
 * come back on its own and end with every seq exactly once, in order.
 */
describe('HeraldClient when its gateway process is killed', () => {
  let sys: ProcessSystem;

  beforeAll(async () => {
    sys = await startProcessSystem({ gateways: 1 });
  }, 60_000);
  afterAll(async () => {
    await sys?.close();
  });

  it('delivers everything sent before, during and after the crash, once, in seq order', async () => {
    const gateway = sys.gateways[0];
    const sut = await new RecordedClient({
      url: sys.api.url,
      wsUrl: gateway.wsUrl,
      getToken: () => sys.userToken('crash-stream'),
      socketAuth: 'ticket',
      backoffCapMs: 1000,
    }).open();
    let sent = 0;
    let publishing = true;
    const statuses = new Set<number>();
    const publisher = (async () => {
      while (publishing) {
        statuses.add((await sys.publish(['crash-stream'], { title: `n${++sent}` })).status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    await sut.waitForSeqs(5);
    await gateway.stop('SIGKILL');
    const sentAtCrash = sent;
    await sut.until(() => sut.client.state !== 'open', 'the drop');
    await gateway.start();
    const sentAtRestart = sent;
    await sut.until(() => sut.client.state === 'open', 'reconnect', 20_000);
    await sut.until(() => sut.notifications.length >= sentAtRestart + 5, 'live notifications after the restart');
    publishing = false;
    await publisher;
    await sut.waitForSeqs(sent);
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a duplicate to show up
    sut.close();

    expect([...statuses]).toEqual([201]);
    expect(sentAtRestart - sentAtCrash).toBeGreaterThan(5); // sent while no gateway ran
    expect(sut.seqs()).toEqual(range(1, sent));
    expect(sut.notifications.map((n) => n.title)).toEqual(range(1, sent).map((i) => `n${i}`));
    expect(sut.states).toEqual(expect.arrayContaining(['reconnecting', 'open']));
  }, 60_000);
});
