import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextShown, shownOf, showsState } from '../src/fade';
import type { ServerMessage } from '../src/protocol';
import { initialState, reduceAll, type AppState } from '../src/state';

const text = (t: string) => ({ kind: 'text' as const, text: t });

function page(): AppState {
  return reduceAll(initialState(), [
    { type: 'run_started', run: 1 },
    { type: 'delta', run: 1, ops: [{ op: 'set', path: [0, 0], el: text('a') }] },
    { type: 'run_finished', run: 1, status: 'complete' },
  ]);
}

const step = (s: AppState, msgs: ServerMessage[]) => reduceAll(s, msgs);

describe('when stale elements fade', () => {
  test('a run that just started does not fade the page yet; once due, it does', () => {
    const before = page();
    const shown = shownOf(before);
    const running = step(before, [{ type: 'run_started', run: 2 }]);
    assert.equal(nextShown(shown, running, false), shown, 'still what was shown');
    const due = nextShown(shown, running, true);
    assert.ok(showsState(due, running));
    assert.equal(due.staleBefore, running.staleBefore);
  });

  test('a run that ends while young never fades anything', () => {
    const before = page();
    let shown = shownOf(before);
    let s = step(before, [{ type: 'run_started', run: 2 }]);
    shown = nextShown(shown, s, false);
    s = step(s, [
      { type: 'delta', run: 2, ops: [{ op: 'seen', path: [0], len: 1 }] },
      { type: 'run_finished', run: 2, status: 'complete' },
    ]);
    shown = nextShown(shown, s, false);
    assert.equal(shown.staleBefore, 0);
    assert.ok(showsState(shown, s));
  });

  test('when no run is in progress the state shows at once (a stopped or cancelled run)', () => {
    const before = page();
    const shown = shownOf(before);
    const stopped = step(before, [
      { type: 'run_started', run: 2 },
      { type: 'run_finished', run: 2, status: 'stopped' },
    ]);
    const next = nextShown(shown, stopped, false);
    assert.ok(showsState(next, stopped));
    assert.ok(next.staleBefore > 0, 'what the stopped run did not draw is faded at once');
  });

  test('what already shows stays the same object', () => {
    const s = page();
    const shown = shownOf(s);
    assert.equal(nextShown(shown, s, false), shown);
    assert.equal(nextShown(shown, s, true), shown);
  });
});
