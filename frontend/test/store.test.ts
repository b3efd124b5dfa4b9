import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServerMessage } from '../src/protocol';
import { requestStop } from '../src/state';
import { Store, type Clock } from '../src/store';

/** A clock the test moves by hand. */
class FakeClock implements Clock {
  t = 0;
  private queue: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  later(fn: () => void, delayMs: number): void {
    this.queue.push({ at: this.t + delayMs, fn });
  }
  after(fn: () => void): void {
    this.queue.push({ at: this.t, fn });
  }
  /** Moves to `t + ms`, running what comes due on the way (in order). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.queue.filter((q) => q.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.queue.splice(this.queue.indexOf(due), 1);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = Math.max(this.t, end);
  }
  get pending(): number {
    return this.queue.length;
  }
}

const session: ServerMessage = {
  type: 'session',
  protocol: 1,
  session_id: 's',
  resumed: false,
  config: { max_message_bytes: 1 << 20, heartbeat_ms: 15000, page_title: 'x' },
};
const text = (t: string) => ({ kind: 'text' as const, text: t });
const started = (run: number): ServerMessage => ({ type: 'run_started', run });
const set = (run: number, i: number, t: string): ServerMessage => ({
  type: 'delta',
  run,
  ops: [{ op: 'set', path: [0, i], el: text(t) }],
});
const finished = (run: number): ServerMessage => ({ type: 'run_finished', run, status: 'complete' });

/** A store and a view that takes `draw.ms` to draw each time it is told. */
function setup() {
  const clock = new FakeClock();
  const store = new Store(clock);
  const log: string[] = [];
  const draw = { ms: 0 };
  store.subscribe(() => {
    log.push(`view ${store.state.tree[0]?.length ?? 0}`);
    clock.t += draw.ms;
  });
  store.onRunEnd(() => log.push('run end'));
  return { clock, store, log, draw };
}

describe('store', () => {
  test('a frame is applied at once and told at the next animation frame', () => {
    const { clock, store, log } = setup();
    store.applyFrame([session, started(1), set(1, 0, 'a')]);
    assert.equal(store.state.tree[0]?.length, 1, 'the state is current at once');
    assert.deepEqual(log, [], 'the view is not told yet');
    clock.advance(0);
    assert.deepEqual(log, ['view 1']);
  });

  test('frames that arrive before the view is told are told together, once', () => {
    const { clock, store, log } = setup();
    store.applyFrame([session, started(1), set(1, 0, 'a')]);
    store.applyFrame([set(1, 1, 'b')]);
    store.applyFrame([set(1, 2, 'c'), finished(1)]);
    clock.advance(0);
    assert.deepEqual(log, ['view 3', 'run end'], 'one render, then the run-end listeners');
    clock.advance(1000);
    assert.deepEqual(log, ['view 3', 'run end'], 'nothing more');
  });

  test('a frame that changes nothing tells nobody', () => {
    const { clock, store, log } = setup();
    store.applyFrame([session]);
    clock.advance(0);
    log.length = 0;
    store.applyFrame([{ type: 'heartbeat' }]);
    clock.advance(1000);
    assert.deepEqual(log, []);
    assert.equal(clock.pending, 0);
  });

  test("the page's own changes are told at once, with the frames not told yet", () => {
    const { clock, store, log } = setup();
    store.applyFrame([session, started(1), set(1, 0, 'a')]);
    store.update(requestStop);
    assert.deepEqual(log, ['view 1']);
    clock.advance(0);
    assert.deepEqual(log, ['view 1'], 'the scheduled flush finds nothing new');
  });

  test('while drawing is slow, frames wait for the view to catch up; a run end does not', () => {
    const { clock, store, log, draw } = setup();
    // Each draw takes 300 ms (render, style, layout, paint) …
    draw.ms = 300;
    store.applyFrame([session, started(1), set(1, 0, 'a')]);
    clock.advance(0);
    assert.deepEqual(log, ['view 1']);
    assert.equal(clock.t, 300);
    // … so the next frames are drawn no sooner than 600 ms after it started.
    store.applyFrame([set(1, 1, 'b')]);
    clock.advance(100);
    store.applyFrame([set(1, 2, 'c')]);
    clock.advance(100);
    assert.deepEqual(log, ['view 1'], 'not yet');
    clock.advance(100);
    assert.deepEqual(log, ['view 1', 'view 3'], 'both frames in one draw');
    assert.equal(clock.t, 900);
    // A run's end is drawn at the next animation frame.
    store.applyFrame([set(1, 3, 'd')]);
    clock.advance(10);
    store.applyFrame([finished(1)]);
    clock.advance(0);
    assert.deepEqual(log, ['view 1', 'view 3', 'view 4', 'run end']);
  });

  test('quick draws are not held back', () => {
    const { clock, store, log, draw } = setup();
    draw.ms = 2;
    store.applyFrame([session, started(1), set(1, 0, 'a')]);
    clock.advance(0);
    store.applyFrame([set(1, 1, 'b')]);
    clock.advance(16);
    assert.deepEqual(log, ['view 1', 'view 2']);
  });
});
