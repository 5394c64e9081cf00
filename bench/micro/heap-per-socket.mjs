// Where a gateway's per-socket memory goes: heap snapshots of a Herald
// gateway and of the reference gateway before and after `N` idle sockets,
// self size summed by object kind (constructor, closure, string, …), the
// difference divided by N. Evidence for the per-socket memory notes in
// docs/benchmarks.md. Run after `npm run build`:
//   node bench/micro/heap-per-socket.mjs [sockets=2000]
import { createDatabase } from '../lib/infra.mjs';
import { baseEnv, migrate, startSystem } from '../lib/system.mjs';
import { createReferenceSchema } from '../lib/reference-schema.mjs';
import { killClients, startClients } from '../lib/clients.mjs';
import { heapSnapshot } from '../lib/inspector.mjs';
import { rssBytes } from '../lib/procs.mjs';
import { newSecret } from '../lib/tokens.mjs';
import { sleep } from '../lib/util.mjs';

const N = Number(process.argv[2] ?? 2000);

/** Self size and count by "type:name" (objects by constructor name). */
function byKind(snapshot) {
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
  const width = fields.length;
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + iType]];
    const name = ['object', 'closure', 'native'].includes(type) ? snapshot.strings[snapshot.nodes[i + iName]] : '';
    const key = `${type}${name ? `:${name}` : ''}`;
    const e = out.get(key) ?? { size: 0, count: 0 };
    e.size += snapshot.nodes[i + iSize];
    e.count += 1;
    out.set(key, e);
  }
  return out;
}

async function measure(kind) {
  const secret = newSecret();
  const db = await createDatabase(`heap_${kind}`);
  const env = baseEnv({ db, prefix: `bench-heap-${kind}:`, secret, poolSize: 5, heartbeatMs: 25_000 });
  if (kind === 'herald') migrate(env);
  else await createReferenceSchema(db);
  const system = await startSystem(kind, { env, gateways: 1, inspect: true });
  const [client] = startClients(1, `heap-${kind}`);
  try {
    const gw = system.gateways[0];
    await sleep(1000);
    const before = byKind(await heapSnapshot(gw.inspectPort));
    const rss0 = rssBytes(gw.pid);
    const targets = Array.from({ length: N }, (_, i) => [`h${i}`, gw.wsUrl]);
    await client.call('connect', { targets, secret, localAddress: client.localAddress, concurrency: 64 }, 300_000);
    await sleep(2000);
    const after = byKind(await heapSnapshot(gw.inspectPort));
    const rss1 = rssBytes(gw.pid);
    const rows = [...after]
      .map(([k, a]) => ({ kind: k, bytes: (a.size - (before.get(k)?.size ?? 0)) / N, count: (a.count - (before.get(k)?.count ?? 0)) / N }))
      .filter((r) => r.bytes > 8)
      .sort((x, y) => y.bytes - x.bytes);
    const total = rows.reduce((s, r) => s + r.bytes, 0);
    console.log(`\n${kind}: ${N} sockets, heap objects +${(total / 1000).toFixed(1)} KB/socket (RSS +${((rss1 - rss0) / N / 1000).toFixed(1)} KB/socket, inflated by the snapshot itself: the idle scenario measures RSS)`);
    for (const r of rows.slice(0, 25)) console.log(`  ${String(Math.round(r.bytes)).padStart(6)} B  ${r.count.toFixed(2).padStart(6)} ×  ${r.kind}`);
  } finally {
    await killClients([client]);
    await system.stop();
    await db.drop();
  }
}

await measure('herald');
await measure('reference');
process.exit(0);
