// The one mutable place: holds the current AppState, applies whole server
// frames and tells subscribers.
//
// A frame's state is applied at once (`state` is always current: the
// connection and the actions read it), but the view hears of it at the next
// animation frame, so frames that arrive together are drawn together. And
// while the view is slow to draw (a run streaming 50,000 elements: each draw
// lays out the whole page), it is told no more often than it can keep up
// with: the next draw waits as long as the last one took, and meanwhile the
// frames already on their way are read (the browser hands the page the
// next one only when it has taken the last) and drawn together. A frame
// that ends a run is drawn at the next animation frame. Nothing is painted
// sooner either way.
//
// The run-end listeners (widgets dropping their local value) are told in
// the same flush as the view, so they re-render with the view that shows
// the run's end. A change made by the page itself (`update`: Stop, a sent
// rerun) is told at once.

import type { ServerMessage } from './protocol';
import { initialState, reduceAll, type AppState } from './state';

type Listener = () => void;

/** How the store waits. */
export interface Clock {
  now(): number;
  /** Runs `fn` at the first animation frame at least `delayMs` from now. */
  later(fn: () => void, delayMs: number): void;
  /** Runs `fn` after the current task (when called from an animation frame: after its paint). */
  after(fn: () => void): void;
}

/**
 * The browser's clock: `later` runs at an animation frame (or after 100 ms
 * without one: a hidden tab gets none); outside a browser, after a timeout.
 */
export const browserClock: Clock = {
  now: () => performance.now(),
  later(fn, delayMs) {
    if (typeof requestAnimationFrame !== 'function') {
      setTimeout(fn, delayMs);
      return;
    }
    if (delayMs > 0) {
      setTimeout(() => browserClock.later(fn, 0), delayMs);
      return;
    }
    let done = false;
    const once = () => {
      if (done) return;
      done = true;
      fn();
    };
    requestAnimationFrame(once);
    setTimeout(once, 100);
  },
  after(fn) {
    setTimeout(fn, 0);
  },
};

export class Store {
  private current: AppState = initialState();
  /** The state the listeners were last told of. */
  private told: AppState = this.current;
  /** A run ended since the run-end listeners were last told. */
  private runEnded = false;
  /**
   * The epoch of the last run that ended. Not `state.epoch`: one frame can
   * end a run and start the next, and a value committed during the run that
   * ended must wait for the next one.
   */
  private ended = 0;
  /** When a scheduled flush will run (`Infinity`: none is scheduled). */
  private flushAt = Infinity;
  /** When the last flush for frames started, and how long it took to draw. */
  private drawnAt = -Infinity;
  private drawCost = 0;
  /** That draw's cost is not known yet (it is at least the time since it started). */
  private measuring = false;
  private readonly listeners = new Set<Listener>();
  private readonly runEndListeners = new Set<Listener>();

  constructor(private readonly clock: Clock = browserClock) {}

  get state(): AppState {
    return this.current;
  }

  /** The epoch of the last run that ended (see `ended`). */
  get endedEpoch(): number {
    return this.ended;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called after a frame that ended a run (whatever its status), when the view hears of it. */
  onRunEnd(fn: Listener): () => void {
    this.runEndListeners.add(fn);
    return () => this.runEndListeners.delete(fn);
  }

  /** A change made by the page itself: applied and told at once. */
  update(fn: (s: AppState) => AppState): void {
    const next = fn(this.current);
    if (next === this.current) return;
    this.current = next;
    this.flush();
  }

  /** A frame from the server: applied at once, told at an animation frame (see above). */
  applyFrame(msgs: readonly ServerMessage[]): void {
    for (const m of msgs) {
      this.current = reduceAll(this.current, [m]);
      if (m && m.type === 'run_finished') {
        this.runEnded = true;
        this.ended = this.current.epoch;
      }
    }
    if (this.current === this.told && !this.runEnded) return;
    const now = this.clock.now();
    // The view's share of the time stays at most about half while it is slow.
    const cost = this.measuring ? now - this.drawnAt : this.drawCost;
    const delay = this.runEnded ? 0 : Math.max(0, this.drawnAt + 2 * cost - now);
    if (now + delay >= this.flushAt) return;
    this.flushAt = now + delay;
    this.clock.later(() => {
      this.flushAt = Infinity;
      const start = this.clock.now();
      if (!this.flush()) return;
      this.drawnAt = start;
      this.measuring = true;
      // The render, style, layout and paint of this frame.
      this.clock.after(() => {
        if (this.drawnAt !== start) return;
        this.drawCost = this.clock.now() - start;
        this.measuring = false;
      });
    }, delay);
  }

  /**
   * Tells the listeners of what changed since they were last told; returns
   * whether there was anything.
   */
  flush(): boolean {
    let told = false;
    if (this.current !== this.told) {
      this.told = this.current;
      for (const l of this.listeners) l();
      told = true;
    }
    if (this.runEnded) {
      this.runEnded = false;
      for (const l of this.runEndListeners) l();
      told = true;
    }
    return told;
  }
}

export const store = new Store();
