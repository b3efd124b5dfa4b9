import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerMessage } from '../src/protocol';
import {
  clearWidgetError,
  disconnected,
  dismissError,
  NO_WIDGET_ERRORS,
  sentRerun,
  initialState,
  isStaleAt,
  isStopping,
  NO_SCOPES,
  requestStop,
  reduceAll,
  staleThreshold,
  type AppState,
} from '../src/state';
import { isStale, nodeAt, type TreeNode } from '../src/tree';

const session = (resumed: boolean): ServerMessage => ({
  type: 'session',
  protocol: 1,
  session_id: 's1',
  resumed,
  config: { max_message_bytes: 16777216, heartbeat_ms: 15000, page_title: 'My app' },
});

const text = (t: string) => ({ kind: 'text' as const, text: t });

function staleAt(s: AppState, path: number[]): boolean {
  const n = nodeAt(s.tree, path) as TreeNode;
  assert.ok(n, `node at ${path}`);
  return isStale(n, s.staleBefore);
}

/** A first run that draws [a, b, c]. */
function firstRun(): AppState {
  return reduceAll(initialState(), [
    session(false),
    { type: 'run_started', run: 1 },
    {
      type: 'delta',
      run: 1,
      ops: [
        { op: 'set', path: [0, 0], el: text('a') },
        { op: 'set', path: [0, 1], el: text('b') },
        { op: 'set', path: [0, 2], el: text('c') },
      ],
    },
    { type: 'run_finished', run: 1, status: 'complete' },
  ]);
}

describe('session', () => {
  test('connects and keeps the config', () => {
    const s = reduceAll(initialState(), [session(false)]);
    assert.equal(s.connection, 'connected');
    assert.equal(s.sessionId, 's1');
    assert.equal(s.config?.page_title, 'My app');
  });

  test('resumed: false clears the tree', () => {
    const s = reduceAll(firstRun(), [session(false)]);
    assert.deepEqual(s.tree, [[], []]);
  });

  test('resumed: true keeps the tree (same object)', () => {
    const before = firstRun();
    const s = reduceAll(before, [session(true)]);
    assert.equal(s.tree, before.tree);
  });
});

describe('staleness across runs', () => {
  test('nothing is stale after a complete run', () => {
    const s = firstRun();
    assert.equal(s.run, null);
    for (const i of [0, 1, 2]) assert.equal(staleAt(s, [0, i]), false);
  });

  test('run_started makes everything stale without touching the tree', () => {
    const before = firstRun();
    const s = reduceAll(before, [{ type: 'run_started', run: 2 }]);
    assert.equal(s.tree, before.tree, 'same tree object: no rebuild');
    assert.equal(s.run, 2);
    for (const i of [0, 1, 2]) assert.equal(staleAt(s, [0, i]), true);
  });

  test('set and seen refresh; the rest stays stale until the run ends', () => {
    let s = reduceAll(firstRun(), [
      { type: 'run_started', run: 2 },
      { type: 'delta', run: 2, ops: [{ op: 'set', path: [0, 1], el: text('B') }] },
    ]);
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [true, false, true]);
    s = reduceAll(s, [{ type: 'delta', run: 2, ops: [{ op: 'seen', path: [0], len: 1 }] }]);
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [false, false, true]);
    s = reduceAll(s, [{ type: 'run_finished', run: 2, status: 'complete' }]);
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [false, false, false]);
  });

  for (const status of ['complete', 'error'] as const) {
    test(`run_finished ${status} clears staleness`, () => {
      const s = reduceAll(firstRun(), [
        { type: 'run_started', run: 2 },
        { type: 'run_finished', run: 2, status },
      ]);
      assert.equal(s.run, null);
      assert.equal(s.lastStatus, status);
      assert.equal(staleAt(s, [0, 0]), false);
    });
  }

  test('run_finished cancelled keeps unconfirmed elements stale for the next run', () => {
    let s = reduceAll(firstRun(), [
      { type: 'run_started', run: 2 },
      { type: 'run_finished', run: 2, status: 'cancelled' },
    ]);
    assert.equal(s.run, null);
    assert.equal(staleAt(s, [0, 0]), true);
    s = reduceAll(s, [
      { type: 'run_started', run: 3 },
      { type: 'delta', run: 3, ops: [{ op: 'seen', path: [0], len: 3 }] },
    ]);
    assert.equal(staleAt(s, [0, 2]), false);
  });

  test('run_finished stopped leaves what the stopped run did not draw stale', () => {
    // Run 2 redraws a and is cancelled; run 3 confirms the first element,
    // then the person presses Stop. The server truncates nothing on a stop:
    // b and c (drawn by run 1) stay on the page, and must not look current.
    let s = reduceAll(firstRun(), [
      { type: 'run_started', run: 2 },
      { type: 'delta', run: 2, ops: [{ op: 'set', path: [0, 0], el: text('A') }] },
      { type: 'run_finished', run: 2, status: 'cancelled' },
      { type: 'run_started', run: 3 },
      { type: 'delta', run: 3, ops: [{ op: 'seen', path: [0], len: 1 }] },
      { type: 'run_finished', run: 3, status: 'stopped' },
    ]);
    assert.equal(s.run, null);
    assert.equal(s.lastStatus, 'stopped');
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [false, true, true]);
    // Still stale while nothing runs (a stray frame changes nothing) …
    s = reduceAll(s, [{ type: 'heartbeat' }, { type: 'status', message: null }]);
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [false, true, true]);
    // … and the next run takes over from there.
    s = reduceAll(s, [{ type: 'run_started', run: 4 }]);
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [true, true, true]);
    s = reduceAll(s, [
      { type: 'delta', run: 4, ops: [{ op: 'seen', path: [0], len: 3 }] },
      { type: 'run_finished', run: 4, status: 'complete' },
    ]);
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [false, false, false]);
  });

  test('a run stopped before drawing anything leaves the whole page stale', () => {
    const s = reduceAll(firstRun(), [
      { type: 'run_started', run: 2 },
      { type: 'run_finished', run: 2, status: 'stopped' },
    ]);
    assert.deepEqual([0, 1, 2].map((i) => staleAt(s, [0, i])), [true, true, true]);
  });

  test('a trivial rerun in one frame leaves the tree as it was except the change', () => {
    const before = firstRun();
    const s = reduceAll(before, [
      { type: 'run_started', run: 2 },
      {
        type: 'delta',
        run: 2,
        ops: [
          { op: 'set', path: [0, 2], el: text('C') },
          { op: 'seen', path: [0], len: 3 },
        ],
      },
      { type: 'run_finished', run: 2, status: 'complete' },
    ]);
    assert.equal(s.staleBefore, before.staleBefore);
    assert.equal(nodeAt(s.tree, [0, 2])?.el.kind, 'text');
    assert.deepEqual(nodeAt(s.tree, [0, 2])?.el, text('C'));
  });

  test('a late run_finished of an older run does not end the current one', () => {
    const s = reduceAll(firstRun(), [
      { type: 'run_started', run: 3 },
      { type: 'run_finished', run: 2, status: 'complete' },
    ]);
    assert.equal(s.run, 3);
    assert.equal(staleAt(s, [0, 0]), true);
  });
});

describe('Stop', () => {
  const running = () => reduceAll(firstRun(), [{ type: 'run_started', run: 2 }]);

  test('after Stop the run is "stopping" until it finishes', () => {
    let s = requestStop(running());
    assert.equal(isStopping(s), true);
    assert.equal(s.run, 2, 'still running: the server decides when it ends');
    assert.equal(requestStop(s), s, 'pressing again changes nothing');
    s = reduceAll(s, [{ type: 'delta', run: 2, ops: [{ op: 'seen', path: [0], len: 1 }] }]);
    assert.equal(isStopping(s), true, 'frames of the run keep it stopping');
    s = reduceAll(s, [{ type: 'run_finished', run: 1, status: 'complete' }]);
    assert.equal(isStopping(s), true, 'a late report of an older run does not end it');
    s = reduceAll(s, [{ type: 'run_finished', run: 2, status: 'stopped' }]);
    assert.equal(isStopping(s), false);
    assert.equal(s.stopping, null);
  });

  test('Stop with no run in progress changes nothing', () => {
    const s = firstRun();
    assert.equal(requestStop(s), s);
    assert.equal(isStopping(s), false);
  });

  test('a new run, a disconnect or a new session is not stopping', () => {
    const s = requestStop(running());
    assert.equal(isStopping(reduceAll(s, [{ type: 'run_started', run: 3 }])), false);
    assert.equal(isStopping(disconnected(s)), false);
    assert.equal(reduceAll(s, [session(false)]).stopping, null);
  });
});

describe('errors, shutdown, disconnects', () => {
  test('error is kept until dismissed', () => {
    let s = reduceAll(initialState(), [
      { type: 'error', code: 'malformed', message: 'bad frame', fatal: true },
    ]);
    assert.deepEqual(s.error, { code: 'malformed', message: 'bad frame', fatal: true });
    s = dismissError(s);
    assert.equal(s.error, null);
  });

  test('shutdown is shown until a new session', () => {
    let s = reduceAll(firstRun(), [{ type: 'shutdown', reason: 'server is shutting down' }]);
    assert.equal(s.connection, 'shutdown');
    assert.equal(s.shutdownReason, 'server is shutting down');
    s = disconnected(s);
    assert.equal(s.connection, 'shutdown', 'a close after shutdown keeps the reason');
    s = reduceAll(s, [session(false)]);
    assert.equal(s.connection, 'connected');
    assert.equal(s.shutdownReason, null);
  });

  test('a drop before any session is still "connecting"; later ones are "reconnecting"', () => {
    assert.equal(disconnected(initialState()).connection, 'connecting');
    const s = reduceAll(initialState(), [session(false), { type: 'run_started', run: 1 }]);
    const d = disconnected(s);
    assert.equal(d.connection, 'reconnecting');
    assert.equal(d.run, null, 'no run in progress once the socket is gone');
  });

  test('heartbeat and unknown messages change nothing', () => {
    const s = firstRun();
    assert.equal(reduceAll(s, [{ type: 'heartbeat' }]), s);
    assert.equal(reduceAll(s, [{ type: 'future_thing' } as unknown as ServerMessage]), s);
  });
});

describe('fragment runs (run_started with scope)', () => {
  const fragment = (id: string) => ({ kind: 'fragment' as const, id });

  /** main: [a, fragment f [x, y], c]; sidebar: [s]. */
  function page(): AppState {
    return reduceAll(initialState(), [
      session(false),
      { type: 'run_started', run: 1 },
      {
        type: 'delta',
        run: 1,
        ops: [
          { op: 'set', path: [0, 0], el: text('a') },
          { op: 'set', path: [0, 1], el: fragment('f') },
          { op: 'set', path: [0, 1, 0], el: text('x') },
          { op: 'set', path: [0, 1, 1], el: text('y') },
          { op: 'set', path: [0, 2], el: text('c') },
          { op: 'set', path: [1, 0], el: text('s') },
        ],
      },
      { type: 'run_finished', run: 1, status: 'complete' },
    ]);
  }

  const ALL = [[0, 0], [0, 1], [0, 1, 0], [0, 1, 1], [0, 2], [1, 0]];
  const staleOnes = (s: AppState) => ALL.filter((p) => isStaleAt(s, p)).map((p) => p.join('.'));

  test('only the elements inside the scoped block go stale', () => {
    const before = page();
    const s = reduceAll(before, [{ type: 'run_started', run: 2, scope: [0, 1] }]);
    assert.equal(s.tree, before.tree, 'same tree object: no rebuild');
    assert.equal(s.run, 2);
    assert.deepEqual(s.runScope, [0, 1]);
    assert.equal(s.staleBefore, 0, 'the page-wide threshold is untouched');
    assert.deepEqual(staleOnes(s), ['0.1.0', '0.1.1']);
  });

  test('sets and seens inside refresh; run_finished clears the subtree', () => {
    let s = reduceAll(page(), [
      { type: 'run_started', run: 2, scope: [0, 1] },
      { type: 'delta', run: 2, ops: [{ op: 'set', path: [0, 1, 1], el: text('Y') }] },
    ]);
    assert.deepEqual(staleOnes(s), ['0.1.0']);
    s = reduceAll(s, [{ type: 'run_finished', run: 2, status: 'complete' }]);
    assert.deepEqual(staleOnes(s), []);
    assert.equal(s.staleScopes, NO_SCOPES, 'no entries left');
    assert.equal(s.run, null);
  });

  test('run_finished error clears the subtree even unconfirmed', () => {
    const s = reduceAll(page(), [
      { type: 'run_started', run: 2, scope: [0, 1] },
      { type: 'run_finished', run: 2, status: 'error' },
    ]);
    assert.deepEqual(staleOnes(s), []);
  });

  test('a stopped fragment run leaves what it did not draw in its block stale, and only that', () => {
    let s = reduceAll(page(), [
      { type: 'run_started', run: 2, scope: [0, 1] },
      { type: 'delta', run: 2, ops: [{ op: 'seen', path: [0, 1], len: 1 }] },
      { type: 'run_finished', run: 2, status: 'stopped' },
    ]);
    assert.deepEqual(staleOnes(s), ['0.1.1']);
    s = reduceAll(s, [
      { type: 'run_started', run: 3, scope: [0, 1] },
      { type: 'delta', run: 3, ops: [{ op: 'seen', path: [0, 1], len: 2 }] },
      { type: 'run_finished', run: 3, status: 'complete' },
    ]);
    assert.deepEqual(staleOnes(s), []);
  });

  test('a cancelled fragment run leaves its subtree stale for the next run', () => {
    let s = reduceAll(page(), [
      { type: 'run_started', run: 2, scope: [0, 1] },
      { type: 'run_finished', run: 2, status: 'cancelled' },
    ]);
    assert.deepEqual(staleOnes(s), ['0.1.0', '0.1.1']);
    s = reduceAll(s, [
      { type: 'run_started', run: 3, scope: [0, 1] },
      { type: 'delta', run: 3, ops: [{ op: 'seen', path: [0, 1], len: 2 }] },
      { type: 'run_finished', run: 3, status: 'complete' },
    ]);
    assert.deepEqual(staleOnes(s), []);
  });

  test('a full run after a fragment run makes everything stale again', () => {
    let s = reduceAll(page(), [
      { type: 'run_started', run: 2, scope: [0, 1] },
      { type: 'run_finished', run: 2, status: 'cancelled' },
      { type: 'run_started', run: 3 },
    ]);
    assert.equal(s.staleScopes, NO_SCOPES);
    assert.deepEqual(staleOnes(s), ALL.map((p) => p.join('.')));
    s = reduceAll(s, [{ type: 'run_finished', run: 3, status: 'complete' }]);
    assert.deepEqual(staleOnes(s), []);
  });

  test('a fragment run ending inside a page left stale by a cancelled full run', () => {
    const s = reduceAll(page(), [
      { type: 'run_started', run: 2 },
      { type: 'run_finished', run: 2, status: 'cancelled' },
      { type: 'run_started', run: 3, scope: [0, 1] },
      { type: 'run_finished', run: 3, status: 'error' },
    ]);
    assert.deepEqual(staleOnes(s), ['0.0', '0.1', '0.2', '1.0'], 'inside fresh, around still stale');
  });

  test('nested fragments: the outer run supersedes the inner one', () => {
    let s = reduceAll(page(), [
      { type: 'run_started', run: 2 },
      {
        type: 'delta',
        run: 2,
        ops: [
          { op: 'set', path: [0, 1, 1], el: fragment('g') },
          { op: 'set', path: [0, 1, 1, 0], el: text('z') },
          { op: 'seen', path: [0], len: 3 },
          { op: 'seen', path: [0, 1], len: 2 },
          { op: 'seen', path: [1], len: 1 },
        ],
      },
      { type: 'run_finished', run: 2, status: 'complete' },
      { type: 'run_started', run: 3, scope: [0, 1, 1] },
      { type: 'run_finished', run: 3, status: 'cancelled' },
    ]);
    assert.equal(isStaleAt(s, [0, 1, 1, 0]), true);
    assert.equal(isStaleAt(s, [0, 1, 0]), false);
    s = reduceAll(s, [{ type: 'run_started', run: 4, scope: [0, 1] }]);
    assert.deepEqual(Object.keys(s.staleScopes), ['0.1']);
    assert.equal(isStaleAt(s, [0, 1, 0]), true);
    assert.equal(isStaleAt(s, [0, 1, 1, 0]), true);
    s = reduceAll(s, [{ type: 'run_finished', run: 4, status: 'complete' }]);
    assert.equal(isStaleAt(s, [0, 1, 1, 0]), false);
    assert.equal(s.staleScopes, NO_SCOPES);
  });

  test('a malformed scope counts as a full run', () => {
    const s = reduceAll(page(), [
      { type: 'run_started', run: 2, scope: 'nope' } as unknown as ServerMessage,
    ]);
    assert.equal(s.runScope, null);
    assert.deepEqual(staleOnes(s), ALL.map((p) => p.join('.')));
  });

  test('a new session forgets scoped staleness', () => {
    const s = reduceAll(page(), [{ type: 'run_started', run: 2, scope: [0, 1] }, session(false)]);
    assert.equal(s.staleScopes, NO_SCOPES);
    assert.equal(s.runScope, null);
  });

  test('staleThreshold: the nearest scoped block wins over the page-wide value', () => {
    const scopes = { '0.1': 7, '0.1.2': 0 };
    assert.equal(staleThreshold(scopes, 3, [0, 0]), 3);
    assert.equal(staleThreshold(scopes, 3, [0, 1]), 3, 'the scoped block itself');
    assert.equal(staleThreshold(scopes, 3, [0, 1, 0]), 7);
    assert.equal(staleThreshold(scopes, 3, [0, 1, 2, 5]), 0);
    assert.equal(staleThreshold(scopes, 3, [0, 10, 0]), 3, '"0.10" is not inside "0.1"');
  });
});

describe('widget errors', () => {
  const input = { kind: 'text_input' as const, id: 'w', label: 'Notes', value: '' };
  /** A page with widget `w`, after its first run. */
  function withWidget(): AppState {
    return reduceAll(initialState(), [
      session(false),
      { type: 'run_started', run: 1 },
      { type: 'delta', run: 1, ops: [{ op: 'set', path: [0, 0], el: input }] },
      { type: 'run_finished', run: 1, status: 'complete' },
    ]);
  }
  const refused: ServerMessage = {
    type: 'error',
    code: 'too_large',
    message: 'value of 300000 bytes refused',
    fatal: false,
    widget: 'w',
  };
  const run = (n: number, status: 'complete' | 'cancelled' = 'complete'): ServerMessage[] => [
    { type: 'run_started', run: n },
    { type: 'run_finished', run: n, status },
  ];

  test('a non-fatal error about a widget on the page goes under it, not in the banner', () => {
    const s = reduceAll(sentRerun(withWidget()), [refused]);
    assert.equal(s.error, null);
    assert.equal(s.widgetErrors.w?.message, 'value of 300000 bytes refused');
  });

  test('about a widget not on the page, or fatal: the banner', () => {
    const gone = reduceAll(initialState(), [refused]);
    assert.equal(gone.widgetErrors, NO_WIDGET_ERRORS);
    assert.equal(gone.error?.message, 'value of 300000 bytes refused');
    const fatal = reduceAll(withWidget(), [{ ...refused, fatal: true } as ServerMessage]);
    assert.equal(fatal.widgetErrors, NO_WIDGET_ERRORS);
    assert.equal(fatal.error?.fatal, true);
  });

  test('the run of the same message, timer runs and unfinished runs keep it; the run after the next rerun clears it', () => {
    let s = reduceAll(sentRerun(withWidget()), [refused, ...run(2)]);
    assert.ok(s.widgetErrors.w, 'the run the refused message started');
    s = reduceAll(s, run(3));
    assert.ok(s.widgetErrors.w, 'a run nobody asked for (a fragment timer)');
    s = sentRerun(s);
    s = reduceAll(s, run(4, 'cancelled'));
    assert.ok(s.widgetErrors.w, 'a cancelled run');
    s = reduceAll(s, run(5));
    assert.equal(s.widgetErrors, NO_WIDGET_ERRORS, 'a complete run started after a later rerun');
  });

  test('values left out by the client: marked with the rerun that left them out', () => {
    let s = sentRerun(withWidget(), { w: 'This value is 1.2 MB, over …' });
    assert.equal(s.sent, 1);
    assert.equal(s.widgetErrors.w?.message, 'This value is 1.2 MB, over …');
    s = reduceAll(s, run(2));
    assert.ok(s.widgetErrors.w, 'the run of the rest of that message keeps it');
    s = reduceAll(sentRerun(s), run(3));
    assert.equal(s.widgetErrors.w, undefined);
  });

  test('a change of the value clears it', () => {
    const s = sentRerun(withWidget(), { w: 'too big', other: 'also' });
    const t = clearWidgetError(s, 'w');
    assert.deepEqual(Object.keys(t.widgetErrors), ['other']);
    assert.equal(clearWidgetError(t, 'w'), t, 'nothing to clear: the same state');
    assert.equal(clearWidgetError(t, 'other').widgetErrors, NO_WIDGET_ERRORS);
  });

  test('a new session (not resumed) clears them', () => {
    const s = reduceAll(sentRerun(withWidget(), { w: 'too big' }), [session(false)]);
    assert.equal(s.widgetErrors, NO_WIDGET_ERRORS);
  });
});

describe('status notes and overloaded', () => {
  const note: ServerMessage = { type: 'status', message: 'waiting for a worker thread (64 of 64 in use)' };

  test('a note shows until the run finishes or it is cleared', () => {
    let s = reduceAll(firstRun(), [{ type: 'run_started', run: 2 }, note]);
    assert.equal(s.note, 'waiting for a worker thread (64 of 64 in use)');
    assert.equal(reduceAll(s, [{ type: 'status', message: null }]).note, null);
    assert.equal(reduceAll(s, [{ type: 'run_finished', run: 1, status: 'complete' }]).note, s.note, 'not by an older run');
    s = reduceAll(s, [{ type: 'run_finished', run: 2, status: 'cancelled' }]);
    assert.equal(s.note, null);
  });

  test('a drop clears the note', () => {
    const s = reduceAll(firstRun(), [note]);
    assert.equal(disconnected(s).note, null);
  });

  test('"overloaded" is shown until a session is let in; other errors stay', () => {
    const busy: ServerMessage = { type: 'error', code: 'overloaded', message: 'at capacity', fatal: true };
    let s = reduceAll(initialState(), [busy]);
    assert.equal(s.error?.code, 'overloaded');
    s = reduceAll(disconnected(s), [session(false)]);
    assert.equal(s.error, null);
    const other: ServerMessage = { type: 'error', code: 'protocol', message: 'x', fatal: true };
    assert.equal(reduceAll(initialState(), [other, session(false)]).error?.code, 'protocol');
  });
});
