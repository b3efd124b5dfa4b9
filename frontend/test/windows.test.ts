import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WindowReply, WindowRequest } from '../src/protocol';
import { WindowRouter, type WindowQuery } from '../src/windows';

const q = (start: number, over: Partial<WindowQuery> = {}): WindowQuery => ({
  frame: 'F',
  start,
  count: 10,
  sort: null,
  search: '',
  ...over,
});

const answer = (r: WindowRequest, over: Partial<WindowReply> = {}): WindowReply => ({
  type: 'window',
  view: r.view,
  frame: r.frame,
  start: r.start,
  total: 100,
  index: [],
  rows: [],
  error: null,
  ...over,
});

/** A router whose sends are recorded; `online` decides whether they go out. */
function setup() {
  const sent: WindowRequest[] = [];
  const state = { online: true };
  const router = new WindowRouter((msg) => {
    if (!state.online) return false;
    sent.push(msg);
    return true;
  });
  return { router, sent, state };
}

describe('window router', () => {
  test('one request in flight per grid; the latest wanted goes when the reply comes', () => {
    const { router, sent } = setup();
    const got: [number, number][] = [];
    const view = router.open((reply, req) => got.push([reply.start, req.start]));
    view.request(q(0));
    view.request(q(100));
    view.request(q(200));
    view.request(q(300));
    assert.deepEqual(
      sent.map((m) => m.start),
      [0],
      'only the first is sent while it is in flight',
    );
    assert.equal(sent[0]?.type, 'window');
    assert.equal(sent[0]?.view, view.view);
    assert.equal(view.pending().waiting?.start, 300, 'only the latest waits');
    router.receive(answer(sent[0]!));
    assert.deepEqual(got, [[0, 0]]);
    assert.deepEqual(
      sent.map((m) => m.start),
      [0, 300],
      'the latest one, not those in between',
    );
    router.receive(answer(sent[1]!));
    assert.equal(sent.length, 2, 'nothing more to send');
    assert.deepEqual(view.pending(), { inFlight: null, waiting: null });
  });

  test('asking again for what is in flight asks for nothing more', () => {
    const { router, sent } = setup();
    const view = router.open(() => {});
    view.request(q(0));
    view.request(q(50));
    view.request(q(0));
    assert.equal(view.pending().waiting, null);
    router.receive(answer(sent[0]!));
    assert.equal(sent.length, 1);
  });

  test('replies go to the grid that asked, by view', () => {
    const { router, sent } = setup();
    const a: string[] = [];
    const b: string[] = [];
    const va = router.open((r) => a.push(r.frame));
    const vb = router.open((r) => b.push(r.frame));
    assert.notEqual(va.view, vb.view);
    va.request(q(0, { frame: 'A' }));
    vb.request(q(0, { frame: 'B' }));
    assert.equal(sent.length, 2, 'each grid has its own request in flight');
    router.receive(answer(sent[1]!));
    router.receive(answer(sent[0]!));
    assert.deepEqual(a, ['A']);
    assert.deepEqual(b, ['B']);
  });

  test('replies nobody is waiting for are dropped', () => {
    const { router, sent } = setup();
    const got: unknown[] = [];
    const view = router.open((r) => got.push(r));
    router.receive(answer({ type: 'window', view: view.view, frame: 'F', start: 0, count: 1, sort: null, search: '' }));
    router.receive(answer({ type: 'window', view: 'nope', frame: 'F', start: 0, count: 1, sort: null, search: '' }));
    assert.equal(got.length, 0);
    view.request(q(0));
    view.close();
    router.receive(answer(sent[0]!));
    assert.equal(got.length, 0, 'a closed grid hears nothing');
  });

  test('the handler sees the request a reply answers (its sort and search)', () => {
    const { router, sent } = setup();
    let seen: WindowRequest | null = null;
    const view = router.open((_r, req) => (seen = req));
    view.request(q(0, { sort: { column: 'p', descending: true }, search: 'x' }));
    router.receive(answer(sent[0]!));
    assert.deepEqual(seen, {
      type: 'window',
      view: view.view,
      frame: 'F',
      start: 0,
      count: 10,
      sort: { column: 'p', descending: true },
      search: 'x',
    });
  });

  test('what waits is refined after the reply: trimmed, or dropped', () => {
    const { router, sent } = setup();
    let drop = false;
    const view = router.open(
      () => {},
      (w) => (drop ? null : { ...w, start: w.start + 5, count: 5 }),
    );
    view.request(q(0));
    view.request(q(5));
    router.receive(answer(sent[0]!));
    assert.deepEqual(
      sent.map((m) => [m.start, m.count]),
      [
        [0, 10],
        [10, 5],
      ],
    );
    drop = true;
    view.request(q(40));
    router.receive(answer(sent[1]!));
    assert.equal(sent.length, 2, 'the reply brought everything: nothing sent');
    assert.deepEqual(view.pending(), { inFlight: null, waiting: null });
  });

  test('a request made by the reply handler is the latest', () => {
    const { router, sent } = setup();
    let again = true;
    const view = router.open(() => {
      if (again) view.request(q(77));
      again = false;
    });
    view.request(q(0));
    view.request(q(50));
    router.receive(answer(sent[0]!));
    assert.deepEqual(
      sent.map((m) => m.start),
      [0, 77],
    );
    router.receive(answer(sent[1]!));
    assert.equal(sent.length, 2, 'the older wish is gone');
  });

  test('offline: requests wait, the latest goes out when the session is back', () => {
    const { router, sent, state } = setup();
    state.online = false;
    const view = router.open(() => {});
    view.request(q(0));
    view.request(q(20));
    assert.equal(sent.length, 0);
    assert.equal(view.pending().waiting?.start, 20);
    state.online = true;
    router.resend();
    assert.deepEqual(
      sent.map((m) => m.start),
      [20],
    );
    assert.equal(view.pending().inFlight?.start, 20);
  });

  test('a request in flight when the socket dropped is sent again on the new session', () => {
    const { router, sent } = setup();
    const got: number[] = [];
    const view = router.open((r) => got.push(r.start));
    view.request(q(0));
    router.resend();
    assert.deepEqual(
      sent.map((m) => m.start),
      [0, 0],
    );
    router.receive(answer(sent[1]!));
    router.receive(answer(sent[1]!));
    assert.deepEqual(got, [0], 'a second answer to the same request is dropped');
    assert.equal(view.pending().inFlight, null);
  });
});
