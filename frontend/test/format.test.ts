import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  BACKOFF_MAX_MS,
  BACKOFF_START_MS,
  jitter,
  nextBackoff,
  OVERLOADED_MAX_MS,
  OVERLOADED_MIN_MS,
  socketUrl,
} from '../src/connection';
import { cellText, codeSpans, decimals, formatNumber, normalizeNumber } from '../src/format';

test('cell text', () => {
  assert.equal(cellText(null), '');
  assert.equal(cellText(3.5), '3.5');
  assert.equal(cellText(true), 'true');
  assert.equal(cellText('x'), 'x');
  assert.equal(cellText({ a: [1] }), '{"a":[1]}');
});

test('decimals', () => {
  assert.equal(decimals(1), 0);
  assert.equal(decimals(0.25), 2);
  assert.equal(decimals(1e-7), 7);
  assert.equal(decimals(1.5e-7), 8);
});

test('number widgets clamp, round integers and trim float noise', () => {
  const opts = { min: 0, max: 10, step: 0.1, integer: false };
  assert.equal(normalizeNumber(0.1 + 0.2, opts), 0.3);
  assert.equal(normalizeNumber(11, opts), 10);
  assert.equal(normalizeNumber(-1, opts), 0);
  assert.equal(normalizeNumber(3.14159, opts), 3.14159);
  assert.equal(normalizeNumber(2.6, { step: 1, integer: true }), 3);
  assert.equal(normalizeNumber(9.9, { min: 0.5, max: 9.5, step: 1, integer: true }), 9);
  assert.equal(normalizeNumber(0.2, { min: 0.5, max: 9.5, step: 1, integer: true }), 1);
  assert.equal(normalizeNumber(-5, { min: null, max: null, step: 1, integer: false }), -5);
});

test('number formatting', () => {
  assert.equal(formatNumber(3, 1, true), '3');
  assert.equal(formatNumber(2, 0.5, false), '2.0');
  assert.equal(formatNumber(0.1 + 0.2, 0.1, false), '0.3');
  assert.equal(formatNumber(1.2345, 0.01, false), '1.2345');
});

test('reconnect backoff doubles from 200 ms up to 5 s', () => {
  const delays = [BACKOFF_START_MS];
  while (delays.length < 9) delays.push(nextBackoff(delays[delays.length - 1] as number));
  assert.deepEqual(delays, [200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
  assert.equal(BACKOFF_MAX_MS, 5000);
});

test('after "overloaded", retries wait seconds, doubling up to 30 s, spread by jitter', () => {
  const delays = [Math.max(BACKOFF_START_MS, OVERLOADED_MIN_MS)];
  while (delays.length < 6) delays.push(nextBackoff(delays[delays.length - 1] as number, true));
  assert.deepEqual(delays, [4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(OVERLOADED_MAX_MS, 30000);
  assert.equal(nextBackoff(200, true), OVERLOADED_MIN_MS, 'never the quick pace');
  assert.equal(jitter(4000, 0), 3000);
  assert.equal(jitter(4000, 0.5), 4000);
  assert.ok(jitter(4000, 0.999999) <= 5000);
});

test('socket URL follows the page scheme and host', () => {
  assert.equal(socketUrl({ protocol: 'http:', host: 'localhost:8501' }), 'ws://localhost:8501/_brooklet/ws');
  assert.equal(socketUrl({ protocol: 'https:', host: 'app.example' }), 'wss://app.example/_brooklet/ws');
});

describe('codeSpans', () => {
  const show = (text: string) => codeSpans(text).map((p) => (p.code ? `[${p.text}]` : p.text)).join('|');

  test('backtick spans are code, the rest text', () => {
    assert.deepEqual(codeSpans('Field `port` must be a number'), [
      { code: false, text: 'Field ' },
      { code: true, text: 'port' },
      { code: false, text: ' must be a number' },
    ]);
    assert.equal(show('`a` and `b`'), '[a]| and |[b]');
  });

  test('text without backticks is one piece; empty text none', () => {
    assert.deepEqual(codeSpans('plain'), [{ code: false, text: 'plain' }]);
    assert.deepEqual(codeSpans(''), []);
  });

  test('an unclosed backtick stays text', () => {
    assert.equal(show('it`s here'), 'it`s here');
    assert.equal(show('a `b` c`'), 'a |[b]| c`');
  });

  test('runs of backticks close only with a run of the same length', () => {
    assert.equal(show('``a ` b``'), '[a ` b]');
    assert.equal(show('`a`` b`'), '[a`` b]');
    assert.equal(show('``a` b'), '``a` b');
  });

  test('one space inside each end is dropped, not more; newlines become spaces', () => {
    assert.equal(show('`` `x` ``'), '[`x`]');
    assert.equal(show('`  x  `'), '[ x ]');
    assert.equal(show('` `'), '[ ]');
    assert.equal(show('`a\nb`'), '[a b]');
  });

  test('markup is text like any other', () => {
    assert.deepEqual(codeSpans('<b>x</b> `<i>`'), [
      { code: false, text: '<b>x</b> ' },
      { code: true, text: '<i>' },
    ]);
  });
});
