import { jest } from '@jest/globals';
import { StandaloneRedisConnection } from '@herald/bus';
import { REDIS_URL } from '../scripts/harness/services.mjs';
import { uniquePrefix } from './support/test-env.js';

/**
 * A PUBLISH goes on the wire when it is issued; the command connection's
 * other commands still leave together, one write per turn of the loop.
 * Auto-pipelined, a publish waited for setImmediate, behind the HTTP
 * answers of its batch (docs/benchmarks.md, round 11). Real Redis.
 */
describe('the command connection writes a PUBLISH at once', () => {
  let connection: StandaloneRedisConnection;

  beforeAll(async () => {
    connection = new StandaloneRedisConnection(REDIS_URL, { name: 'herald-test-publish-order', prefix: uniquePrefix() });
    await connection.whenReady(5000);
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('writes a publish before publish() returns, and other commands of the same turn in one later write', async () => {
    const write = jest.spyOn(connection.client.stream, 'write');
    const key = `${connection.prefix}order`;

    const published = connection.client.publish(`${connection.prefix}channel`, 'frame');
    const writesAfterPublish = write.mock.calls.length;
    const set = connection.client.set(key, '1', 'PX', 10_000);
    const read = connection.client.get(key);
    const writesAfterCommands = write.mock.calls.length;
    const answers = await Promise.allSettled([published, set, read]);
    const writes = write.mock.calls.length;
    write.mockRestore();
    await connection.client.del(key);

    expect(writesAfterPublish).toBe(1);
    expect(writesAfterCommands).toBe(1);
    expect(writes).toBe(2);
    // nobody listens on the channel
    expect(answers).toEqual([{ status: 'fulfilled', value: 0 }, { status: 'fulfilled', value: 'OK' }, { status: 'fulfilled', value: '1' }]);
  });
});
