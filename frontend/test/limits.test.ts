import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fitRerun, formatBytes, refusalText, utf8Length } from '../src/limits';
import type { RerunMessage } from '../src/protocol';

const KB = 1024;
const rerun = (widgets: RerunMessage['widgets'], trigger: string | null = null): RerunMessage => ({
  type: 'rerun',
  widgets,
  trigger,
  fragment: null,
});
const size = (m: RerunMessage) => utf8Length(JSON.stringify(m));

describe('utf8Length', () => {
  test('counts bytes, not UTF-16 units', () => {
    assert.equal(utf8Length('abc'), 3);
    assert.equal(utf8Length('é'), 2);
    assert.equal(utf8Length('€'), 3);
    assert.equal(utf8Length('😀'), 4, 'a surrogate pair is one 4-byte code point');
    assert.equal(utf8Length('a😀é€'), Buffer.byteLength('a😀é€'));
  });
});

describe('fitRerun', () => {
  test('a message under the limit is sent as it is', () => {
    const msg = rerun({ name: 'Ada' });
    assert.deepEqual(fitRerun(msg, 256 * KB), { msg, refused: [] });
  });

  test('no limit known: nothing is checked', () => {
    const msg = rerun({ big: 'x'.repeat(10_000) });
    assert.equal(fitRerun(msg, undefined).msg, msg);
    assert.equal(fitRerun(msg, 0).msg, msg);
  });

  test('an oversized value is left out; the trigger and the other values are still sent', () => {
    const msg = rerun({ small: 'hi', big: 'x'.repeat(300 * KB), n: 3 }, 'go');
    const { msg: out, refused } = fitRerun(msg, 256 * KB);
    assert.deepEqual(out, rerun({ small: 'hi', n: 3 }, 'go'));
    assert.deepEqual(refused, [{ id: 'big', bytes: 300 * KB + 2 }]);
  });

  test('nothing left but the oversized value: nothing is sent', () => {
    const { msg, refused } = fitRerun(rerun({ big: 'x'.repeat(2000) }), 1000);
    assert.equal(msg, null);
    assert.deepEqual(refused.map((r) => r.id), ['big']);
  });

  test('several values too big together: the biggest go first, only as many as needed', () => {
    const msg = rerun({ a: 'a'.repeat(400), b: 'b'.repeat(600), c: 'c'.repeat(500), d: 'd' });
    // Without b it is still over 900 bytes; without b and c it is not.
    const { msg: out, refused } = fitRerun(msg, 900);
    assert.deepEqual(refused.map((r) => r.id), ['b', 'c']);
    assert.ok(out && size(out) <= 900);
    assert.deepEqual(Object.keys(out.widgets).sort(), ['a', 'd']);
  });

  test('the size bookkeeping is exact (bytes, with commas)', () => {
    const msg = rerun({ a: 'é'.repeat(300), b: 'b'.repeat(300), c: [1, 2, 3] });
    // Exactly at the limit fits; one byte under means the biggest goes.
    const without = rerun({ b: 'b'.repeat(300), c: [1, 2, 3] });
    assert.equal(fitRerun(msg, size(msg)).refused.length, 0);
    assert.deepEqual(fitRerun(msg, size(msg) - 1).msg, without);
    assert.deepEqual(fitRerun(msg, size(without)).msg, without);
    const only = rerun({ c: [1, 2, 3] });
    assert.deepEqual(fitRerun(msg, size(without) - 1).msg, only);
    assert.deepEqual(fitRerun(msg, size(rerun({}))).msg, null, 'no values and no trigger: not worth sending');
  });
});

describe('refusal text', () => {
  test('sizes read like people write them', () => {
    assert.equal(formatBytes(1), '1 byte');
    assert.equal(formatBytes(812), '812 bytes');
    assert.equal(formatBytes(3.5 * KB), '3.5 KB');
    assert.equal(formatBytes(256 * KB), '256 KB');
    assert.equal(formatBytes(1.2 * KB * KB), '1.2 MB');
  });

  test('names the value size and the limit', () => {
    assert.equal(
      refusalText(1.2 * KB * KB, 256 * KB),
      "This value is 1.2 MB, over the server's limit of 256 KB. Use a file upload for bulk data.",
    );
    assert.match(refusalText(200 * KB, 256 * KB), /^This value is 200 KB; with the other values sent with it, it is over/);
  });
});
