// A small stand-in for the browser's DOM, enough for Preact to render
// components into in node's test runner (there is no jsdom here) and for a
// test to find their parts and fire events at them: elements with
// attributes, children, a style object and events, text nodes, and a
// document that makes them.
//
// Preact sets a prop as a property when the element has one of that name
// and as an attribute otherwise; these elements have almost no properties,
// so what a component renders (`value`, `checked`, `src`, …) reads back with
// `getAttribute`, and what a component assigns itself (`files`,
// `srcObject`, …) stays a plain property.
//
// Events are real `Event`s, delivered here: to capture listeners from the
// root down, then at the target, then, when the event bubbles, up through
// the ancestors; `stopPropagation`, `preventDefault` and `currentTarget`
// behave as in a browser, and a listener that throws throws out of the
// dispatch. `el.dispatch(type, init)` fires a bubbling, cancelable event with
// `init`'s fields on it and returns it; `el.click()` clicks unless the element
// is `disabled`.
//
// <audio> and <video> are `FakeMedia`: the few HTMLMediaElement members
// the players use, driven by the test (`currentTime`, `readyState`,
// `paused`, `error`, `play()`, `pause()`, `fire(type)`).
//
// Two ways to use it:
// - `const page = mount()`: a fresh document as the global `document` with a
//   root in its body; `render(…, page.root)` inside `act` (preact/test-utils)
//   so that effects run, and `page.cleanup()` at the end.
// - `const root = fakeRoot()`: one shared document installed as `document`
//   (once, for the whole file) and a fresh detached root to render into.
// Parts are found with `querySelectorAll`/`querySelector` (simple selectors)
// or with `findAll`/`findOne` and a predicate (`byClass`, `byLabel`,
// `buttonText`, or any function).

type Style = Record<string, string> & { cssText: string; setProperty(name: string, value: string): void };

function makeStyle(): Style {
  const style: Record<string, unknown> = {};
  Object.defineProperty(style, 'setProperty', {
    value: (name: string, value: string) => void (style[name] = value),
  });
  // Preact clears a string style through `cssText`.
  Object.defineProperty(style, 'cssText', {
    get: () => '',
    set: () => {
      for (const k of Object.keys(style)) delete style[k];
    },
  });
  return style as Style;
}

type Listener = ((this: FakeNode, e: Event) => unknown) | { handleEvent(e: Event): unknown };
type ListenerOptions = boolean | { capture?: boolean; once?: boolean };
type Registered = { fn: Listener; capture: boolean; once: boolean };

/** What `dispatch` returns: the event, with the fields it was given. */
export type FakeEvent = Event & Record<string, unknown>;

/** Sets a field on an event as its own (shadowing `Event`'s read-only getters). */
function setField(e: Event, name: string, value: unknown): void {
  Object.defineProperty(e, name, { value, configurable: true, writable: true, enumerable: true });
}

export class FakeNode {
  parentNode: FakeElement | null = null;
  readonly childNodes: FakeNode[] = [];
  private readonly listeners = new Map<string, Registered[]>();

  constructor(
    readonly ownerDocument: FakeDocument,
    readonly nodeType: number,
  ) {}

  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }

  get nextSibling(): FakeNode | null {
    const siblings = this.parentNode?.childNodes;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }

  get textContent(): string {
    return this.childNodes.map((n) => n.textContent).join('');
  }

  set textContent(_: string) {
    for (const n of [...this.childNodes]) n.remove();
  }

  insertBefore<N extends FakeNode>(node: N, ref: FakeNode | null): N {
    node.remove();
    const at = ref ? this.childNodes.indexOf(ref) : -1;
    if (at < 0) this.childNodes.push(node);
    else this.childNodes.splice(at, 0, node);
    node.parentNode = this as unknown as FakeElement;
    return node;
  }

  appendChild<N extends FakeNode>(node: N): N {
    return this.insertBefore(node, null);
  }

  removeChild<N extends FakeNode>(node: N): N {
    node.remove();
    return node;
  }

  remove(): void {
    const p = this.parentNode;
    if (!p) return;
    p.childNodes.splice(p.childNodes.indexOf(this), 1);
    this.parentNode = null;
  }

  addEventListener(type: string, fn: Listener | null, options: ListenerOptions = false): void {
    if (!fn) return;
    const capture = typeof options === 'boolean' ? options : !!options.capture;
    const once = typeof options === 'boolean' ? false : !!options.once;
    const list = this.listeners.get(type) ?? [];
    if (list.some((r) => r.fn === fn && r.capture === capture)) return;
    list.push({ fn, capture, once });
    this.listeners.set(type, list);
  }

  removeEventListener(type: string, fn: Listener | null, options: ListenerOptions = false): void {
    const capture = typeof options === 'boolean' ? options : !!options.capture;
    const list = this.listeners.get(type);
    const i = list?.findIndex((r) => r.fn === fn && r.capture === capture) ?? -1;
    if (i >= 0) list!.splice(i, 1);
  }

  /**
   * Delivers `e` with this node as its target: capture listeners from the
   * root down, this node's own (capture ones first), then (if `e.bubbles`)
   * the ancestors' other listeners up to the root. Returns `!e.defaultPrevented`.
   */
  dispatchEvent(e: Event): boolean {
    let stopped = false;
    let stoppedNow = false;
    const stop = e.stopPropagation.bind(e);
    const stopNow = e.stopImmediatePropagation.bind(e);
    setField(e, 'stopPropagation', () => ((stopped = true), stop()));
    setField(e, 'stopImmediatePropagation', () => ((stopped = stoppedNow = true), stopNow()));
    setField(e, 'target', this);
    const ancestors: FakeNode[] = [];
    for (let at = this.parentNode; at; at = at.parentNode) ancestors.push(at);
    const deliver = (at: FakeNode, capture: boolean) => {
      if (stopped) return;
      setField(e, 'currentTarget', at);
      for (const r of [...(at.listeners.get(e.type) ?? [])]) {
        if (stoppedNow) break;
        if (r.capture !== capture) continue;
        if (!at.listeners.get(e.type)?.includes(r)) continue; // removed meanwhile
        if (r.once) at.removeEventListener(e.type, r.fn, r.capture);
        if (typeof r.fn === 'function') r.fn.call(at, e);
        else r.fn.handleEvent(e);
      }
    };
    try {
      for (const at of [...ancestors].reverse()) deliver(at, true);
      deliver(this, true);
      deliver(this, false);
      if (e.bubbles) for (const at of ancestors) deliver(at, false);
    } finally {
      setField(e, 'currentTarget', null);
    }
    return !e.defaultPrevented;
  }

  /** Fires a bubbling, cancelable `type` event here with `init`'s fields on it; returns the event. */
  dispatch(type: string, init: Record<string, unknown> = {}): FakeEvent {
    const e = new Event(type, { bubbles: true, cancelable: true });
    for (const [name, value] of Object.entries(init)) setField(e, name, value);
    this.dispatchEvent(e);
    return e as FakeEvent;
  }
}

export class FakeText extends FakeNode {
  constructor(
    doc: FakeDocument,
    public data: string,
  ) {
    super(doc, 3);
  }

  override get textContent(): string {
    return this.data;
  }
}

export class FakeElement extends FakeNode {
  readonly style: Style = makeStyle();
  private readonly attrs = new Map<string, string>();

  constructor(
    doc: FakeDocument,
    readonly localName: string,
    readonly namespaceURI: string,
  ) {
    super(doc, 1);
  }

  get attributes(): { name: string; value: string }[] {
    return [...this.attrs].map(([name, value]) => ({ name, value }));
  }

  setAttribute(name: string, value: unknown): void {
    this.attrs.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attrs.has(name);
  }

  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }

  /** The class names (a plain array here). */
  get classList(): string[] {
    return (this.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
  }

  /** A click: a bubbling `click` event at this element, unless it is `disabled` (as in a browser). */
  click(): void {
    if (!this.hasAttribute('disabled')) this.dispatchEvent(new Event('click', { bubbles: true, cancelable: true }));
  }

  /** Descendants matching a simple selector: `tag`, `.class`, `[attr]` and compounds of them (`a.b[c]`). */
  querySelectorAll(selector: string): FakeElement[] {
    return findAll(this, (el) => el.matches(selector));
  }

  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  matches(selector: string): boolean {
    const parts = selector.match(/^[a-z0-9-]+|\.[\w-]+|\[[\w-]+\]/gi) ?? [];
    if (parts.join('') !== selector) throw new Error(`fakedom: unsupported selector ${selector}`);
    return parts.every((p) => {
      if (p[0] === '.') return this.classList.includes(p.slice(1));
      if (p[0] === '[') return this.hasAttribute(p.slice(1, -1));
      return this.localName === p;
    });
  }
}

/** An <audio> or <video>: what the players read and call, set by the test. */
export class FakeMedia extends FakeElement {
  currentTime = 0;
  readyState = 0;
  paused = true;
  error: { code: number } | null = null;
  /** How many times `play()` was called. */
  plays = 0;

  play(): Promise<void> {
    this.plays++;
    this.paused = false;
    return Promise.resolve();
  }

  pause(): void {
    this.paused = true;
  }

  /** Fires `type` at the element, as the browser would (not bubbling). */
  fire(type: string): void {
    this.dispatchEvent(new Event(type));
  }
}

const XHTML = 'http://www.w3.org/1999/xhtml';

export class FakeDocument {
  readonly nodeType = 9;
  readonly documentElement: FakeElement;
  readonly body: FakeElement;

  constructor() {
    this.documentElement = this.createElement('html');
    this.body = this.documentElement.appendChild(this.createElement('body'));
  }

  createElementNS(ns: string | null, tag: string): FakeElement {
    if (tag === 'audio' || tag === 'video') return new FakeMedia(this, tag, ns ?? XHTML);
    return new FakeElement(this, tag, ns ?? XHTML);
  }

  createElement(tag: string): FakeElement {
    return this.createElementNS(XHTML, tag);
  }

  createTextNode(data: string): FakeText {
    return new FakeText(this, String(data));
  }
}

/**
 * A fresh document as the global `document`, and a root element in its
 * body to render into; `cleanup` puts the old global back.
 */
export function mount(): { doc: FakeDocument; root: FakeElement; cleanup: () => void } {
  const g = globalThis as { document?: unknown };
  const old = g.document;
  const doc = new FakeDocument();
  g.document = doc;
  const root = doc.body.appendChild(doc.createElement('div'));
  return { doc, root, cleanup: () => void (g.document = old) };
}

let shared: FakeDocument | undefined;

/**
 * Installs one shared fake `document` (once, unless there is a `document`
 * already) and returns a fresh root, not in the page, to render into.
 */
export function fakeRoot(): FakeElement {
  shared ??= new FakeDocument();
  (globalThis as { document?: unknown }).document ??= shared;
  return shared.createElement('div');
}

/** Every element under `root` (depth first, `root` itself left out) that `pred` accepts. */
export function findAll(root: FakeNode, pred: (el: FakeElement) => boolean): FakeElement[] {
  const out: FakeElement[] = [];
  const walk = (n: FakeNode) => {
    if (n instanceof FakeElement && pred(n)) out.push(n);
    n.childNodes.forEach(walk);
  };
  root.childNodes.forEach(walk);
  return out;
}

/** The one element under `root` that `pred` accepts (throws unless exactly one). */
export function findOne(root: FakeNode, pred: (el: FakeElement) => boolean, what = 'element'): FakeElement {
  const found = findAll(root, pred);
  if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}`);
  return found[0]!;
}

/** Elements with this class. */
export const byClass = (cls: string) => (el: FakeElement) => el.classList.includes(cls);

/** The element with this `aria-label`. */
export const byLabel = (label: string) => (el: FakeElement) => el.getAttribute('aria-label') === label;

/** A button whose text is `text`. */
export const buttonText = (text: string) => (el: FakeElement) => el.localName === 'button' && el.textContent === text;
