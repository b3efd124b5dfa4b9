// Just enough of a DOM for Preact to render a component in node and for a
// test to find its parts and fire events at them. (No jsdom: the tests run
// on node alone.) What Preact uses: createElementNS/createTextNode, the tree
// links (parentNode, childNodes, firstChild, nextSibling, insertBefore,
// removeChild, remove), attributes, `style`, and add/removeEventListener.
// Properties that a real element has (value, checked, …) are plain
// attributes here, which is how Preact sets names an element lacks.

export class FakeNode {
  parentNode: FakeNode | null = null;
  childNodes: FakeNode[] = [];
  readonly nodeType: number = 1;
  get ownerDocument(): FakeDocument {
    return fakeDocument;
  }
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  get nextSibling(): FakeNode | null {
    const kids = this.parentNode?.childNodes;
    return kids ? (kids[kids.indexOf(this) + 1] ?? null) : null;
  }
  insertBefore(node: FakeNode, ref: FakeNode | null): FakeNode {
    node.remove();
    const at = ref ? this.childNodes.indexOf(ref) : -1;
    this.childNodes.splice(at < 0 ? this.childNodes.length : at, 0, node);
    node.parentNode = this;
    return node;
  }
  appendChild(node: FakeNode): FakeNode {
    return this.insertBefore(node, null);
  }
  removeChild(node: FakeNode): FakeNode {
    const i = this.childNodes.indexOf(node);
    if (i >= 0) this.childNodes.splice(i, 1);
    node.parentNode = null;
    return node;
  }
  remove(): void {
    this.parentNode?.removeChild(this);
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
}

export class FakeText extends FakeNode {
  override readonly nodeType = 3;
  constructor(public data: string) {
    super();
  }
  override get textContent(): string {
    return this.data;
  }
}

type Listener = (this: FakeElement, e: FakeEvent) => void;

export interface FakeEvent {
  type: string;
  target: FakeElement;
  currentTarget: FakeElement;
  defaultPrevented: boolean;
  preventDefault(): void;
  stopPropagation(): void;
  [key: string]: unknown;
}

export class FakeElement extends FakeNode {
  override readonly nodeType = 1;
  readonly namespaceURI = 'http://www.w3.org/1999/xhtml';
  readonly attributes = new Map<string, string>();
  /** Preact sets `style.width = …` and, for custom properties, `style.setProperty`. */
  readonly style: Record<string, unknown> = {
    cssText: '',
    setProperty(this: Record<string, unknown>, k: string, v: string) {
      this[k] = v;
    },
  };
  private readonly listeners = new Map<string, Set<Listener>>();
  constructor(readonly localName: string) {
    super();
  }
  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  addEventListener(type: string, fn: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: Listener): void {
    this.listeners.get(type)?.delete(fn);
  }
  /** Fires an event here that bubbles up to the root; `init`'s fields go on the event. */
  dispatch(type: string, init: Record<string, unknown> = {}): FakeEvent {
    let stopped = false;
    const e = {
      ...init,
      type,
      target: this,
      currentTarget: this,
      defaultPrevented: false,
      preventDefault() {
        e.defaultPrevented = true;
      },
      stopPropagation() {
        stopped = true;
      },
    } as FakeEvent;
    for (let at: FakeNode | null = this; at && !stopped; at = at.parentNode) {
      if (!(at instanceof FakeElement)) continue;
      e.currentTarget = at;
      for (const fn of [...(at.listeners.get(type) ?? [])]) fn.call(at, e);
    }
    return e;
  }
  click(): void {
    if (!this.hasAttribute('disabled')) this.dispatch('click');
  }
}

export class FakeDocument {
  createElementNS(_ns: string | null, tag: string): FakeElement {
    return new FakeElement(tag);
  }
  createElement(tag: string): FakeElement {
    return new FakeElement(tag);
  }
  createTextNode(text: string): FakeText {
    return new FakeText(text);
  }
}

const fakeDocument = new FakeDocument();

/** Installs the fake `document` (once) and returns a fresh root to render into. */
export function fakeRoot(): FakeElement {
  (globalThis as { document?: unknown }).document ??= fakeDocument;
  return new FakeElement('div');
}

/** Every element under `root` (depth first) that `pred` accepts. */
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
export const byClass = (cls: string) => (el: FakeElement) =>
  (el.getAttribute('class') ?? '').split(/\s+/).includes(cls);

/** The element with this `aria-label`. */
export const byLabel = (label: string) => (el: FakeElement) => el.getAttribute('aria-label') === label;

/** A button whose text is `text`. */
export const buttonText = (text: string) => (el: FakeElement) => el.localName === 'button' && el.textContent === text;
