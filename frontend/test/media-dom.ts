// A small stand-in for the browser's DOM, enough for Preact to render the
// media components into in node's test runner (there is no jsdom here):
// elements with attributes, children, a style object and events (node's own
// EventTarget), text nodes, and a document that makes them. Preact sets a
// prop as a property when the element has one of that name and as an
// attribute otherwise; these elements have almost no properties, so what a
// component renders reads back with `getAttribute`.
//
// <audio> and <video> are `FakeMedia`: the few HTMLMediaElement members
// the players use, driven by the test (`currentTime`, `readyState`,
// `paused`, `error`, `play()`, `pause()`).
//
// Use: `const page = mount()`, then `render(…, page.root)` inside `act`
// (preact/test-utils) so that effects run; `page.cleanup()` at the end.

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

export class FakeNode extends EventTarget {
  parentNode: FakeElement | null = null;
  readonly childNodes: FakeNode[] = [];

  constructor(
    readonly ownerDocument: FakeDocument,
    readonly nodeType: number,
  ) {
    super();
  }

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

  /** A click: a `click` event at this element (Preact listens on the element itself). */
  click(): void {
    this.dispatchEvent(new Event('click', { bubbles: true }));
  }

  /** Descendants matching a simple selector: `tag`, `.class`, `[attr]` and compounds of them (`a.b[c]`). */
  querySelectorAll(selector: string): FakeElement[] {
    const out: FakeElement[] = [];
    const walk = (n: FakeNode) => {
      for (const c of n.childNodes) {
        if (c instanceof FakeElement) {
          if (c.matches(selector)) out.push(c);
          walk(c);
        }
      }
    };
    walk(this);
    return out;
  }

  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  matches(selector: string): boolean {
    const parts = selector.match(/^[a-z0-9-]+|\.[\w-]+|\[[\w-]+\]/gi) ?? [];
    if (parts.join('') !== selector) throw new Error(`media-dom: unsupported selector ${selector}`);
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

  /** Fires `type` at the element, as the browser would. */
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
