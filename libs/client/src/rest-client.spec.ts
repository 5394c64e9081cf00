import { FakeRest, makeNotification } from '../testing/fake-rest.js';
import { HeraldApiError } from './herald-errors.js';
import type { FetchLike, ResponseLike } from './platform.js';
import { RestClient } from './rest-client.js';

function setup() {
  const rest = new FakeRest();
  const sut = new RestClient('http://api.test/', () => 'tok', rest.fetch);
  return { rest, sut };
}

describe('RestClient', () => {
  it('lists with the given query and a Bearer token', async () => {
    const { rest, sut } = setup();
    rest.inbox = [makeNotification(1), makeNotification(2)];

    const page = await sut.list({ limit: 1, unread: true, type: 'quiz' });

    const [request] = rest.requests;
    expect(page.items.map((n) => n.seq)).toEqual([2]);
    expect(request?.path).toBe('/v1/notifications');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({ limit: '1', unread: 'true', type: 'quiz' });
    expect(request?.headers.Authorization).toBe('Bearer tok');
  });

  it('awaits an async getToken before each request', async () => {
    const rest = new FakeRest();
    let n = 0;
    const sut = new RestClient('http://api.test', async () => `tok${++n}`, rest.fetch);

    await sut.unreadCount();
    await sut.unreadCount();

    expect(rest.requests.map((r) => r.headers.Authorization)).toEqual(['Bearer tok1', 'Bearer tok2']);
  });

  it('maps each helper to its method and path', async () => {
    const { rest, sut } = setup();
    rest.inbox = [makeNotification(1, { id: 'a/b' })];
    rest.unread = 4;

    await sut.markRead('a/b');
    await sut.markUnread('a/b');
    await sut.markAllRead();
    await sut.remove('a/b');
    const count = await sut.unreadCount();

    expect(count).toBe(4);
    expect(rest.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/notifications/a%2Fb/read',
      'POST /v1/notifications/a%2Fb/unread',
      'POST /v1/notifications/read-all',
      'DELETE /v1/notifications/a%2Fb',
      'GET /v1/notifications/unread-count',
    ]);
  });

  it('throws HeraldApiError with the status and the JSON code', async () => {
    const { sut } = setup();

    const error = await sut.markRead('missing').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HeraldApiError);
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('falls back to http_<status> when the error body is not JSON', async () => {
    const html: ResponseLike = { ok: false, status: 502, text: async () => '<html>bad gateway</html>' };
    const sut = new RestClient('http://api.test', () => 'tok', async () => html);

    await expect(sut.unreadCount()).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });

  it('reports a network failure as status 0, network_error', async () => {
    const { rest, sut } = setup();
    rest.failNext = 1;

    await expect(sut.unreadCount()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('gives up on a request with no answer after the timeout', async () => {
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const sut = new RestClient('http://api.test', () => 'tok', hanging, 20);

    await expect(sut.unreadCount()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('pages oldest first after a seq until an empty page', async () => {
    const { rest, sut } = setup();
    rest.inbox = Array.from({ length: 230 }, (_, i) => makeNotification(i + 1));

    const seqs: number[] = [];
    for await (const page of sut.pagesAfter(10)) seqs.push(...page.map((n) => n.seq));

    expect(seqs).toEqual(Array.from({ length: 220 }, (_, i) => i + 11));
    expect(rest.requests.map((r) => r.query.get('after'))).toEqual(['10', '110', '210', '230']);
  });

  it('keeps paging past short pages when the server caps the limit', async () => {
    const { rest, sut } = setup();
    rest.inbox = Array.from({ length: 120 }, (_, i) => makeNotification(i + 1));
    rest.maxLimit = 50;

    let count = 0;
    for await (const page of sut.pagesAfter(0)) count += page.length;

    expect(count).toBe(120);
  });

  it('stops paging once a page reaches the target seq', async () => {
    const { rest, sut } = setup();
    rest.inbox = Array.from({ length: 500 }, (_, i) => makeNotification(i + 1));

    for await (const page of sut.pagesAfter(0, 150)) expect(page.length).toBe(100);

    expect(rest.requests).toHaveLength(2);
  });
});
