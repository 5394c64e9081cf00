import { clusterSeeds } from './cluster-seeds.js';

describe('clusterSeeds', () => {
  it('lists every seed as a host and port, 6379 when none is given', () => {
    const sut = clusterSeeds(['redis://127.0.0.1:7001', 'redis://127.0.0.1:7002', 'redis://[::1]']);

    expect(sut.nodes).toEqual([
      { host: '127.0.0.1', port: 7001 },
      { host: '127.0.0.1', port: 7002 },
      { host: '::1', port: 6379 },
    ]);
    expect(sut.redisOptions).toEqual({});
  });

  it('takes credentials and TLS from the first URL, decoded', () => {
    const sut = clusterSeeds(['rediss://herald:p%40ss@10.0.0.1:6380', 'rediss://10.0.0.2:6380']);

    expect(sut.redisOptions).toEqual({ username: 'herald', password: 'p@ss', tls: {} });
  });
});
