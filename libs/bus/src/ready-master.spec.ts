import type { Cluster, Redis } from 'ioredis';
import { readyMaster } from './ready-master.js';

const node = (status: string) => ({ status }) as unknown as Redis;
const clusterOf = (nodes: Redis[]) => ({ nodes: () => nodes }) as unknown as Cluster;

describe('readyMaster', () => {
  it('skips masters whose connection is still opening', () => {
    const ready = node('ready');
    expect(readyMaster(clusterOf([node('connecting'), ready, node('connect')]))).toBe(ready);
  });

  it('picks the same master every time while it stays ready', () => {
    const [first, second] = [node('ready'), node('ready')];
    const cluster = clusterOf([first, second]);
    expect(new Set([1, 2, 3, 4, 5, 6].map(() => readyMaster(cluster)))).toEqual(new Set([first]));
  });

  it('keeps its pick while it stays ready, whatever else joins or leaves the list', () => {
    const nodes = [node('ready'), node('ready'), node('ready')];
    const cluster = clusterOf(nodes);
    const picked = readyMaster(cluster) as Redis;
    const others = nodes.filter((n) => n !== picked);
    nodes.splice(0, nodes.length, ...others, picked, node('ready'));
    expect(readyMaster(cluster)).toBe(picked);
    (picked as { status: string }).status = 'reconnecting';
    const next = readyMaster(cluster) as Redis;
    expect(next).not.toBe(picked);
    expect(next.status).toBe('ready');
  });

  it('falls back to the cluster client when no master is ready', () => {
    const cluster = clusterOf([node('connecting'), node('wait')]);
    expect(readyMaster(cluster)).toBe(cluster);
  });
});
