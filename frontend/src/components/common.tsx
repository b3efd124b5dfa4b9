// Pieces shared by the element components.

import { Component, type ComponentChildren, type FunctionComponent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { store } from '../store';

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const k in a) if (a[k] !== b[k]) return false;
  for (const k in b) if (!(k in a)) return false;
  return true;
}

/**
 * Wraps a function component so that it renders only when a prop changes
 * identity (Preact core has no `memo`; this is the same idea in a few lines).
 */
export function pure<P extends object>(fn: FunctionComponent<P>): FunctionComponent<P> {
  class Pure extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !shallowEqual(this.props as Record<string, unknown>, next as Record<string, unknown>);
    }
    override render(props: P): ComponentChildren {
      return fn(props);
    }
  }
  return Pure as unknown as FunctionComponent<P>;
}

/** A small "?" with the help text as its tooltip. */
export function Help({ text }: { text?: string | null }) {
  if (!text) return null;
  return (
    <span class="bk-help" title={text} aria-label={text} role="img">
      ?
    </span>
  );
}

/** A widget's label line: `<label for>` plus the optional help mark. */
export function LabelRow(props: {
  for?: string;
  id?: string;
  label: string;
  help?: string | null;
  children?: ComponentChildren;
}) {
  return (
    <div class="bk-label-row">
      <label class="bk-label" for={props.for} id={props.id}>
        {props.label}
      </label>
      <Help text={props.help} />
      {props.children}
    </div>
  );
}

/** A DOM id for a widget's control, unique per element path. */
export function domId(path: string, suffix = ''): string {
  return 'bk-' + path.replace(/\./g, '-') + suffix;
}

export interface Local<T> {
  /** What the control shows: the local value while there is one. */
  value: T;
  /** The user is editing (typed but not committed yet). */
  dirty: boolean;
  /** Replace the local value (`dirty`: still being edited). */
  set(v: T, dirty: boolean): void;
  /** Drop the local value and show the server's. */
  reset(): void;
}

/**
 * A widget's value as the user sees it. The server's value is shown unless
 * the user has a local one: while `dirty` (being edited) a server update
 * never replaces it; after a commit it is kept until a run that started after
 * the commit brings a new element or ends, so the control does not flicker
 * back to the old value while the rerun is on its way.
 */
export function useLocal<T>(el: object, server: T): Local<T> {
  const [, setTick] = useState(0);
  const st = useRef({ el, local: undefined as T | undefined, dirty: false, epoch: 0 }).current;
  const settled = () => !st.dirty && st.local !== undefined && store.state.epoch > st.epoch;
  if (st.el !== el) {
    st.el = el;
    if (settled()) st.local = undefined;
  }
  useEffect(
    () =>
      store.onRunEnd(() => {
        if (settled()) {
          st.local = undefined;
          setTick((n) => n + 1);
        }
      }),
    [],
  );
  return {
    value: st.local === undefined ? server : st.local,
    dirty: st.dirty,
    set(v: T, dirty: boolean) {
      st.local = v;
      st.dirty = dirty;
      st.epoch = store.state.epoch;
      setTick((n) => n + 1);
    },
    reset() {
      st.local = undefined;
      st.dirty = false;
      setTick((n) => n + 1);
    },
  };
}
