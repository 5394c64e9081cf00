import { createDataSource } from '../data-source.js';
import { Database } from '../database.js';
import { TopicReader } from './topic-reader.js';
import { TopicRepository, type NewTopicEvent } from './topic.repository.js';

/** The topic aggregate's rules, on the embedded PGlite the repository also runs on. */
describe('TopicRepository on PGlite', () => {
  let db: Database;
  let reader: TopicReader;
  const sut = new TopicRepository();
  const event = (topic: string, type = 't', patterns = false): NewTopicEvent => ({ topic, namespace: topic.split(':')[0], type, data: { type }, patterns });
  const policy = { size: 3, ttlSeconds: 3600, namespaces: [{ namespace: 'big', size: 100, ttlSeconds: 3600 }] };

  beforeAll(async () => {
    const dataSource = createDataSource({ database: { url: undefined, poolSize: 1, dataDir: '' } }, { inMemory: true });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    db = new Database(dataSource, true);
    reader = new TopicReader(db);
  }, 60_000);
  afterAll(async () => {
    await db.dataSource.destroy();
  });

  it('appends gapless per-topic seqs in request order, and namespace seqs where patterns are on', async () => {
    const first = await db.transaction((tx) => sut.append(tx, [event('jobs', 'a'), event('inv:1', 'b', true), event('jobs', 'c'), event('inv:2', 'd', true)]));
    const second = await db.transaction((tx) => sut.append(tx, [event('inv:1', 'e', true), event('jobs', 'f')]));

    expect(first.map((e) => [e.seq, e.nsSeq])).toEqual([[1, undefined], [1, 1], [2, undefined], [1, 2]]);
    expect(second.map((e) => [e.seq, e.nsSeq])).toEqual([[2, 3], [3, undefined]]);
    expect((await reader.after('jobs', 0, 10)).map((e) => e.type)).toEqual(['a', 'c', 'f']);
    expect((await reader.afterInNamespace('inv', 1, 10)).map((e) => [e.topic, e.seq, e.nsSeq])).toEqual([['inv:2', 1, 2], ['inv:1', 2, 3]]);
    expect(await reader.topicStates(['jobs', 'nothing'])).toEqual(new Map([['jobs', { lastSeq: 3, trimmedSeq: 0 }], ['nothing', { lastSeq: 0, trimmedSeq: 0 }]]));
    expect((await reader.namespaceStates(['inv'])).get('inv')).toEqual({ lastSeq: 3, trimmedSeq: 0 });
  });

  it('reads many topics above their own positions in one query, grouped by topic', async () => {
    const rows = await reader.afterForTopics(new Map([['jobs', 1], ['inv:1', 0], ['none', 0]]), 10);

    expect(rows.map((e) => `${e.topic}#${e.seq}`)).toEqual(['inv:1#1', 'inv:1#2', 'jobs#2', 'jobs#3']);
  });

  it('trims each topic to its namespace history as a prefix and records how far', async () => {
    await sut.append(db, Array.from({ length: 5 }, () => event('trim')));
    await sut.append(db, Array.from({ length: 5 }, () => event('big:x')));

    const run = await db.transaction((tx) => sut.trimHistory(tx, policy, 1000));
    const again = await db.transaction((tx) => sut.trimHistory(tx, policy, 1000));

    expect(run.deleted).toBe(2); // trim keeps 3 of 5; big:x keeps all 5 of its 100; jobs has 3
    expect(again).toEqual({ scanned: 0, deleted: 0 });
    expect((await reader.after('trim', 0, 10)).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect((await reader.topicStates(['trim'])).get('trim')).toEqual({ lastSeq: 5, trimmedSeq: 2 });
    expect((await reader.after('big:x', 0, 10))).toHaveLength(5);
  });

  it('trims events past their TTL, and the namespace trim with them', async () => {
    await db.query(`UPDATE topic_events SET created_at = now() - interval '2 hours' WHERE topic = 'inv:1'`);

    const run = await db.transaction((tx) => sut.trimHistory(tx, policy, 1000));

    expect(run.deleted).toBe(2);
    expect((await reader.topicStates(['inv:1'])).get('inv:1')).toEqual({ lastSeq: 2, trimmedSeq: 2 });
    expect((await reader.namespaceStates(['inv'])).get('inv')).toEqual({ lastSeq: 3, trimmedSeq: 3 });
  });

  it('spreads a large trim over batches of about the batch size', async () => {
    await sut.append(db, Array.from({ length: 23 }, () => event('many')));

    const batches = [];
    for (let i = 0; i < 10; i++) {
      const outcome = await db.transaction((tx) => sut.trimHistory(tx, policy, 8));
      batches.push(outcome);
      if (outcome.scanned < 8) break;
    }

    expect(batches.map((b) => b.deleted)).toEqual([8, 8, 4]);
    expect((await reader.after('many', 0, 100)).map((e) => e.seq)).toEqual([21, 22, 23]);
  });
});
