// What the page can ask of the server. Components call these; main.tsx
// points them at the live connection and the store's tree.
//
// Widgets inside a `form` block send nothing when they change: their values
// wait here, per form, until the form's `form_submit` button is pressed, which
// sends them all in one `rerun`. Events of widgets inside a `fragment` block
// name that fragment, so that only it reruns.

import type { ClientMessage, WidgetValue } from './protocol';
import { emptyTree, enclosing, type Tree } from './tree';

export type Send = (msg: ClientMessage) => void;
export type Values = Record<string, WidgetValue>;

export class Actions {
  /** Values waiting for their form's submit: form id → widget id → value. */
  private readonly pending = new Map<string, Map<string, WidgetValue>>();
  private readonly submitListeners = new Set<(values: Values) => void>();

  constructor(
    /** Where messages go. */
    public send: Send = () => {},
    /** The page as drawn now (to find a widget's form and fragment). */
    public tree: () => Tree = emptyTree,
  ) {}

  /**
   * A widget's value was committed. Outside a form it is sent at once (unless
   * `unchanged`: it equals the server's value); inside one it waits for the
   * submit. Returns false when nothing was done (so the widget can drop its
   * local value).
   */
  commit(id: string, value: WidgetValue, unchanged = false): boolean {
    const at = enclosing(this.tree(), id);
    if (at?.form != null) {
      let values = this.pending.get(at.form);
      if (!values) this.pending.set(at.form, (values = new Map()));
      values.set(id, value);
      return true;
    }
    if (unchanged) return false;
    this.send({ type: 'rerun', widgets: { [id]: value }, trigger: null, fragment: at?.fragment ?? null });
    return true;
  }

  /** A button was pressed. */
  press(id: string): void {
    this.send({ type: 'rerun', widgets: {}, trigger: id, fragment: enclosing(this.tree(), id)?.fragment ?? null });
  }

  /** A form's submit button was pressed: send the form's waiting values with it. */
  submit(id: string): void {
    const at = enclosing(this.tree(), id);
    const form = at?.form;
    const values = form != null ? this.pendingOf(form) : {};
    if (form != null) this.pending.delete(form);
    this.send({ type: 'rerun', widgets: values, trigger: id, fragment: at?.fragment ?? null });
    for (const fn of this.submitListeners) fn(values);
  }

  /** The value waiting in a form for this widget, if any. */
  held(id: string): WidgetValue | undefined {
    for (const values of this.pending.values()) {
      const v = values.get(id);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The values waiting for the submit of form `form` (a copy). */
  pendingOf(form: string): Values {
    return Object.fromEntries(this.pending.get(form) ?? []);
  }

  /** Called with the values of every submit, after it is sent. */
  onSubmit(fn: (values: Values) => void): () => void {
    this.submitListeners.add(fn);
    return () => this.submitListeners.delete(fn);
  }

  stop(): void {
    this.send({ type: 'stop' });
  }
}

/** The page's one instance (main.tsx connects it). */
export const actions = new Actions();
