// What every widget shares (the `WidgetBase` part of its element in
// protocol.ts: `id`, `label`, `help`, `disabled`): the label line with its
// help mark, the two outer shapes (a labelled field, or an inline control
// with the help mark after it), the local value (`useLocal`) and the error
// line under a widget (`WidgetError`, drawn by Element.tsx).
//
// Each widget shows the server's value unless the user has a local one (see
// useLocal), and sends a `rerun` when its value is committed (inside a form:
// keeps it for the form's submit, see actions.ts): text fields on Enter/blur
// (text areas on blur or Ctrl/Cmd+Enter), number fields on Enter/blur/step,
// sliders on release, everything else at once.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { actions } from '../../actions';
import type { WidgetEl, WidgetValue } from '../../protocol';
import { clearWidgetError } from '../../state';
import { store } from '../../store';
import { Help } from '../common';
import type { LeafProps } from '../props';

/** A widget's props: its element and its path. */
export type WidgetProps<E extends WidgetEl> = LeafProps<E>;

/** The `WidgetBase` fields of any widget's element. */
type Base = Pick<WidgetEl, 'label' | 'help' | 'disabled'>;

/** Whether the widget's controls are disabled. */
export function isDisabled(el: Base): boolean {
  return !!el.disabled;
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

/**
 * A widget with its label line above it (`div.bk-field`). `for` ties the
 * label to one control; `labelId` names the label for a group's
 * `aria-labelledby`; `extra` goes on the label line after the help mark.
 */
export function Field(props: {
  el: Base;
  for?: string;
  labelId?: string;
  extra?: ComponentChildren;
  children?: ComponentChildren;
}) {
  const { el } = props;
  return (
    <div class="bk-field">
      <LabelRow for={props.for} id={props.labelId} label={el.label} help={el.help}>
        {props.extra}
      </LabelRow>
      {props.children}
    </div>
  );
}

/** A control that carries its own label, the help mark after it (`div.bk-inline`). */
export function Inline({ el, children }: { el: Base; children?: ComponentChildren }) {
  return (
    <div class="bk-inline">
      {children}
      <Help text={el.help} />
    </div>
  );
}

export interface Local<T> {
  /** What the control shows: the local value while there is one. */
  value: T;
  /** The user is editing (typed but not committed yet). */
  dirty: boolean;
  /** Replace the local value (`dirty`: still being edited). */
  set(v: T, dirty: boolean): void;
  /** Drop the local value and show the server's (or the one waiting in a form). */
  reset(): void;
  /**
   * Commit `v` (sent as `wire`): to the server, or, inside a form, into the
   * form until its submit. `unchanged`: it is the server's value, so outside
   * a form there is nothing to send and the local value is dropped.
   */
  commit(v: T, wire: WidgetValue, unchanged?: boolean): void;
}

/**
 * A widget's value as the user sees it. The server's value is shown unless
 * the user has a local one: while `dirty` (being edited) a server update
 * never replaces it; after a commit it is kept until a run that started after
 * the commit brings a new element or ends, so the control does not flicker
 * back to the old value while the rerun is on its way. A value waiting in a
 * form is kept (and shown, even by a fresh component) until the form is
 * submitted, and from then on like a committed one; `fromWire` turns it into
 * the local representation. While the widget has an error (its value was
 * refused or left out for size), the local value stays too: the person keeps
 * what they typed, and any change to it clears the error.
 */
export function useLocal<T>(
  el: { id: string },
  server: T,
  fromWire: (v: WidgetValue) => T = (v) => v as T,
): Local<T> {
  const [, setTick] = useState(0);
  const st = useRef({ el, local: undefined as T | undefined, dirty: false, epoch: 0, fromWire }).current;
  st.fromWire = fromWire;
  // `epoch`: a run newer than the commit brought an element (or, at a run's
  // end, the run that ended was newer than the commit).
  const settled = (epoch = store.state.epoch) =>
    !st.dirty &&
    st.local !== undefined &&
    epoch > st.epoch &&
    actions.held(st.el.id) === undefined &&
    !(st.el.id in store.state.widgetErrors);
  if (st.el !== el) {
    st.el = el;
    if (settled()) st.local = undefined;
  }
  useEffect(() => {
    const offRun = store.onRunEnd(() => {
      if (settled(store.endedEpoch)) {
        st.local = undefined;
        setTick((n) => n + 1);
      }
    });
    // A submitted value counts as committed at the submit.
    const offSubmit = actions.onSubmit((values) => {
      const v = values[st.el.id];
      if (v !== undefined && !st.dirty) {
        st.local = st.fromWire(v);
        st.epoch = store.state.epoch;
      }
    });
    return () => {
      offRun();
      offSubmit();
    };
  }, []);
  const assign = (v: T, dirty: boolean) => {
    st.local = v;
    st.dirty = dirty;
    st.epoch = store.state.epoch;
    setTick((n) => n + 1);
  };
  // The value changes: an error about the old one no longer applies. (A
  // no-op when there is none, so typing does not notify the store.)
  const clearError = () => store.update((s) => clearWidgetError(s, st.el.id));
  const set = (v: T, dirty: boolean) => {
    clearError();
    assign(v, dirty);
  };
  const reset = () => {
    clearError();
    st.local = undefined;
    st.dirty = false;
    setTick((n) => n + 1);
  };
  const held = st.local === undefined ? actions.held(el.id) : undefined;
  return {
    value: st.local !== undefined ? st.local : held !== undefined ? fromWire(held) : server,
    dirty: st.dirty,
    set,
    reset,
    commit(v: T, wire: WidgetValue, unchanged?: boolean) {
      // Cleared before sending: the send itself may set a new error (the
      // value is over the size limit), which must stay.
      clearError();
      if (actions.commit(el.id, wire, unchanged)) assign(v, false);
      else reset();
    },
  };
}

/**
 * The error line under a widget (state.ts, `widgetErrors`). It follows the
 * store itself, so that the element around it need not re-render.
 */
export function WidgetError({ id }: { id: string }) {
  const [message, setMessage] = useState(() => store.state.widgetErrors[id]?.message ?? null);
  useEffect(() => {
    const read = () => setMessage(store.state.widgetErrors[id]?.message ?? null);
    read();
    return store.subscribe(read);
  }, [id]);
  if (message === null) return null;
  return (
    <div class="bk-widget-error" role="alert">
      {message}
    </div>
  );
}
