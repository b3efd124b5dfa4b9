import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { queryUrl } from '../src/connection';

describe('query_params', () => {
  test('keeps the path and the hash, replaces the query', () => {
    assert.equal(queryUrl({ pathname: '/app', hash: '#top' }, 'city=Oslo&days=7'), '/app?city=Oslo&days=7#top');
    assert.equal(queryUrl({ pathname: '/', hash: '' }, 'a=1'), '/?a=1');
  });
  test('an empty query drops the "?"', () => {
    assert.equal(queryUrl({ pathname: '/app', hash: '#x' }, ''), '/app#x');
  });
});
