// The one mutable place: holds the current AppState, applies whole server
// frames (so a frame renders once) and tells subscribers.

import type { ServerMessage } from './protocol';
import { initialState, reduceAll, type AppState } from './state';

type Listener = () => void;

export class Store {
  private current: AppState = initialState();
  private readonly listeners = new Set<Listener>();
  private readonly runEndListeners = new Set<Listener>();

  get state(): AppState {
    return this.current;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called after a frame that ended a run (whatever its status). */
  onRunEnd(fn: Listener): () => void {
    this.runEndListeners.add(fn);
    return () => this.runEndListeners.delete(fn);
  }

  update(fn: (s: AppState) => AppState): void {
    const next = fn(this.current);
    if (next === this.current) return;
    this.current = next;
    for (const l of this.listeners) l();
  }

  applyFrame(msgs: readonly ServerMessage[]): void {
    this.update((s) => reduceAll(s, msgs));
    if (msgs.some((m) => m && m.type === 'run_finished')) {
      for (const l of this.runEndListeners) l();
    }
  }
}

export const store = new Store();
