// The element tree and the delta ops that change it (docs/protocol.md,
// "The element tree and paths" and "delta").
//
// Updates are immutable with structural sharing: an op creates new objects
// only along the path it touches, so every untouched node keeps its identity
// and the renderer (which memoizes on identity) skips it. Within one
// `applyOps` call, lists and nodes that the call itself created are changed
// in place by its later ops (nobody else has seen them yet): a delta that
// appends 5,000 elements to a block copies its child list once, not 5,000
// times (which made a first run of 50,000 elements quadratic).
//
// Staleness is not stored as a flag (that would mean rewriting every node at
// each run start). Instead each node records `seen`, the client-side run
// epoch in which it was last set or confirmed; the app state holds a
// `staleBefore` epoch, and a node is stale when `node.seen < staleBefore`.

import { isBlockKind, type DeltaOp, type Element, type Path } from './protocol';

export interface TreeNode {
  readonly el: Element;
  /** Children for blocks, `null` for leaves. */
  readonly kids: readonly TreeNode[] | null;
  /** The epoch in which this node was last set or seen. */
  readonly seen: number;
}

/** The two roots (0 = main, 1 = sidebar), each a list of top-level nodes. */
export type Tree = readonly (readonly TreeNode[])[];

export const ROOT_COUNT = 2;
const NO_KIDS: readonly TreeNode[] = [];

export function emptyTree(): Tree {
  return [NO_KIDS, NO_KIDS];
}

/** Where warnings about ops that cannot be applied go. */
export type Warn = (message: string) => void;
const consoleWarn: Warn = (message) => console.warn('[brooklet] ' + message);

export function isStale(node: TreeNode, staleBefore: number): boolean {
  return node.seen < staleBefore;
}

function isIndex(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

function validPath(path: unknown, minLen: number): path is Path {
  return (
    Array.isArray(path) &&
    path.length >= minLen &&
    path.every(isIndex) &&
    (path[0] as number) < ROOT_COUNT
  );
}

/**
 * The lists (child lists, the tree's list of roots) and nodes created by the
 * ops of one `applyOps` call so far: the call's later ops may change them in
 * place, since no state outside the call refers to them yet. Everything else
 * is copied before a change. `null`: copy everything (a lone `applyOp`).
 */
type Owned = WeakSet<object> | null;

/** `list` itself if this call created it, else a copy that it now owns. */
function writable<T>(list: readonly T[], owned: Owned): T[] {
  if (owned?.has(list)) return list as T[];
  const copy = list.slice();
  owned?.add(copy);
  return copy;
}

function replaceAt<T>(list: readonly T[], index: number, item: T, owned: Owned): T[] {
  const out = writable(list, owned);
  out[index] = item;
  return out;
}

function newNode(el: Element, kids: readonly TreeNode[] | null, seen: number, owned: Owned): TreeNode {
  const node: TreeNode = { el, kids, seen };
  owned?.add(node);
  return node;
}

/**
 * Rebuilds the tree along `path` (which names a block or root), giving the
 * block's child list to `change`. Returns the input tree unchanged when
 * `change` returns the same list, and `null` when the path does not name a
 * block. (A list or node this `applyOps` call owns is changed in place and
 * counts as the same: everything above it was rebuilt by this call already.)
 */
function updateKids(
  tree: Tree,
  path: Path,
  change: (kids: readonly TreeNode[]) => readonly TreeNode[] | null,
  owned: Owned,
): Tree | null {
  const walk = (kids: readonly TreeNode[], depth: number): readonly TreeNode[] | null => {
    if (depth === path.length) return change(kids);
    const index = path[depth] as number;
    const node = kids[index];
    if (!node || !node.kids) return null;
    const next = walk(node.kids, depth + 1);
    if (next === null) return null;
    if (next === node.kids) return kids;
    if (owned?.has(node)) {
      (node as { kids: readonly TreeNode[] | null }).kids = next;
      return kids;
    }
    return replaceAt(kids, index, newNode(node.el, next, node.seen, owned), owned);
  };
  const root = path[0] as number;
  const next = walk(tree[root] as readonly TreeNode[], 1);
  if (next === null) return null;
  if (next === tree[root]) return tree;
  return replaceAt(tree, root, next, owned);
}

function validElement(el: unknown): el is Element {
  return typeof el === 'object' && el !== null && typeof (el as { kind?: unknown }).kind === 'string';
}

/**
 * Applies one op. Never throws: an op that cannot be applied (bad path,
 * missing parent, parent not a block, index past the end) is ignored with a
 * warning and the tree is returned unchanged.
 */
export function applyOp(tree: Tree, op: DeltaOp, epoch: number, warn: Warn = consoleWarn): Tree {
  return apply(tree, op, epoch, warn, null);
}

function apply(tree: Tree, op: DeltaOp, epoch: number, warn: Warn, owned: Owned): Tree {
  if (!op || typeof op !== 'object') {
    warn(`ignoring malformed op: ${JSON.stringify(op)}`);
    return tree;
  }
  if (op.op === 'set') {
    if (!validPath(op.path, 2) || !validElement((op as { el?: unknown }).el)) {
      warn(`ignoring set with bad path or element: ${JSON.stringify(op)}`);
      return tree;
    }
    const { el } = op;
    const index = op.path[op.path.length - 1] as number;
    const next = updateKids(tree, op.path.slice(0, -1), (kids) => {
      if (index > kids.length) return null;
      const old = kids[index];
      let children: readonly TreeNode[] | null = null;
      if (isBlockKind(el.kind)) {
        children = old && old.kids && old.el.kind === el.kind ? old.kids : NO_KIDS;
      }
      return replaceAt(kids, index, newNode(el, children, epoch, owned), owned);
    }, owned);
    if (next === null) {
      warn(`ignoring set at [${op.path.join(', ')}]: no such parent block or index out of range`);
      return tree;
    }
    return next;
  }
  if (op.op === 'seen' || op.op === 'truncate') {
    const kind = op.op;
    if (!validPath(op.path, 1) || !isIndex(op.len)) {
      warn(`ignoring ${kind} with bad path or len: ${JSON.stringify(op)}`);
      return tree;
    }
    const len = op.len;
    const next = updateKids(tree, op.path, (kids) => {
      if (kind === 'truncate') {
        if (len >= kids.length) return kids;
        if (!owned?.has(kids)) return kids.slice(0, len);
        (kids as TreeNode[]).length = len;
        return kids;
      }
      if (len > kids.length) {
        warn(`seen at [${op.path.join(', ')}] names ${len} children, the block has ${kids.length}`);
      }
      let out: TreeNode[] | null = null;
      const end = Math.min(len, kids.length);
      for (let i = 0; i < end; i++) {
        const node = kids[i] as TreeNode;
        if (node.seen >= epoch) continue;
        out ??= writable(kids, owned);
        out[i] = newNode(node.el, node.kids, epoch, owned);
      }
      return out ?? kids;
    }, owned);
    if (next === null) {
      warn(`ignoring ${kind} at [${op.path.join(', ')}]: no such block`);
      return tree;
    }
    return next;
  }
  if (op.op === 'add_rows') {
    if (!validPath(op.path, 2) || !Array.isArray(op.rows) || !op.rows.every(Array.isArray)) {
      warn(`ignoring add_rows with bad path or rows: ${JSON.stringify(op).slice(0, 200)}`);
      return tree;
    }
    const rows = op.rows;
    const index = op.path[op.path.length - 1] as number;
    const next = updateKids(tree, op.path.slice(0, -1), (kids) => {
      const old = kids[index];
      if (!old || old.el.kind !== 'table') return null;
      const el = { ...old.el, rows: [...(old.el.rows ?? []), ...rows] };
      return replaceAt(kids, index, newNode(el, old.kids, old.seen, owned), owned);
    }, owned);
    if (next === null) {
      warn(`ignoring add_rows at [${op.path.join(', ')}]: no table there`);
      return tree;
    }
    return next;
  }
  warn(`ignoring unknown op: ${JSON.stringify(op)}`);
  return tree;
}

/**
 * Applies ops in order. Like applying them one by one with `applyOp`, but
 * what the first ops create, the later ones change in place (see `Owned`).
 */
export function applyOps(tree: Tree, ops: readonly DeltaOp[], epoch: number, warn: Warn = consoleWarn): Tree {
  if (ops.length === 1) return apply(tree, ops[0] as DeltaOp, epoch, warn, null);
  const owned: Owned = new WeakSet();
  let t = tree;
  for (const op of ops) t = apply(t, op, epoch, warn, owned);
  return t;
}

/** The node at `path`, if any (for tests and debugging). */
export function nodeAt(tree: Tree, path: Path): TreeNode | undefined {
  let kids: readonly TreeNode[] | null | undefined = tree[path[0] as number];
  let node: TreeNode | undefined;
  for (let d = 1; d < path.length; d++) {
    if (!kids) return undefined;
    node = kids[path[d] as number];
    if (!node) return undefined;
    kids = node.kids;
  }
  return node;
}

/** What a widget is inside of, as far as its events are concerned. */
export interface Enclosing {
  /** The nearest `form` block around the widget: its changes wait for that form's submit. */
  form: string | null;
  /**
   * The fragment to rerun for the widget's events: the nearest `fragment` block
   * around it or, for a widget inside a form, around that form (a submit
   * reruns what covers the whole form). `null`: the whole app.
   */
  fragment: string | null;
}

/**
 * The widget id of a leaf: a widget's `id`, the selection id of a
 * dataframe whose rows or columns can be selected, or a data editor's
 * `editor.id` (both commit like a widget).
 */
function widgetId(el: Element): string | undefined {
  if (el.kind === 'dataframe') return el.selection?.id ?? undefined;
  if (el.kind === 'data_editor') return el.editor?.id ?? undefined;
  return 'id' in el ? el.id : undefined;
}

/**
 * Finds the widget with this id (blocks are searched in page order) and
 * tells what encloses it; `null` when no such widget is on the page.
 */
export function enclosing(tree: Tree, id: string): Enclosing | null {
  const walk = (
    kids: readonly TreeNode[],
    form: string | null,
    fragment: string | null,
    formFragment: string | null,
  ): Enclosing | null => {
    for (const { el, kids: sub } of kids) {
      let found: Enclosing | null = null;
      if (sub) {
        found =
          el.kind === 'form'
            ? walk(sub, String(el.id), fragment, fragment)
            : walk(sub, form, el.kind === 'fragment' ? String(el.id) : fragment, formFragment);
      } else if (widgetId(el) === id) {
        found = { form, fragment: form === null ? fragment : formFragment };
      }
      if (found) return found;
    }
    return null;
  };
  for (const root of tree) {
    const found = walk(root, null, null, null);
    if (found) return found;
  }
  return null;
}
