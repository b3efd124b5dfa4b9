import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asRows, loadErrorText, RowCache, RowsError, type Rows } from '../src/rowcache';

/** A fetcher that counts calls and answers from `data` (unknown urls: HTTP 404). */
function fake(data: Record<string, Rows>) {
  const calls: string[] = [];
  const fetchRows = async (url: string): Promise<Rows> => {
    calls.push(url);
    const rows = data[url];
    if (!rows) throw new RowsError('HTTP 404');
    return rows;
  };
  return { calls, fetchRows };
}

describe('row cache', () => {
  test('one fetch per url, shared while in flight and kept once done', async () => {
    const { calls, fetchRows } = fake({ '/a': [[1]] });
    const cache = new RowCache(fetchRows);
    assert.equal(cache.get('/a'), undefined);
    const [x, y] = await Promise.all([cache.load('/a'), cache.load('/a')]);
    assert.equal(x, y, 'the same rows object');
    assert.equal(await cache.load('/a'), x);
    assert.equal(cache.get('/a'), x);
    assert.deepEqual(calls, ['/a']);
  });

  test('keeps the last few, least recently used out first', async () => {
    const { calls, fetchRows } = fake({ '/1': [[1]], '/2': [[2]], '/3': [[3]] });
    const cache = new RowCache(fetchRows, 2);
    await cache.load('/1');
    await cache.load('/2');
    cache.get('/1'); // now /2 is the oldest
    await cache.load('/3');
    assert.deepEqual(cache.urls(), ['/1', '/3']);
    await cache.load('/2');
    assert.deepEqual(calls, ['/1', '/2', '/3', '/2']);
  });

  test('a failure is reported and not kept, so a later load tries again', async () => {
    const data: Record<string, Rows> = {};
    const { calls, fetchRows } = fake(data);
    const cache = new RowCache(fetchRows);
    await assert.rejects(cache.load('/gone'), (e: unknown) => {
      assert.equal(loadErrorText(e), 'Could not load the table data (HTTP 404)');
      return true;
    });
    data['/gone'] = [['back']];
    assert.deepEqual(await cache.load('/gone'), [['back']]);
    assert.deepEqual(calls, ['/gone', '/gone']);
  });
});

test('the body must be a list of rows', () => {
  assert.deepEqual(asRows([[1, 'a'], []]), [[1, 'a'], []]);
  assert.throws(() => asRows({ rows: [] }), RowsError);
  assert.throws(() => asRows([1, 2]), RowsError);
  assert.equal(loadErrorText(new TypeError('x')), 'Could not load the table data (unexpected error)');
});
