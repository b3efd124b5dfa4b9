// One element of the tree: the `bk-el` wrapper (path, kind, staleness) and
// the component for its kind, looked up in registry.ts. Children of blocks
// are keyed by index.
//
// Staleness: each element gets the `staleBefore` that applies to it; a block
// hands its children its own, or its entry in `scopes` when a fragment run
// set one for it (state.ts, `staleThreshold`).
//
// What a frame costs must follow what it changed, not the size of the page:
// - an element re-renders only when its element object, its child list or
//   its staleness changes (`sameView`), not when only its node is new: a
//   `seen` op makes a new node for every element it confirms;
// - a block's children are drawn in groups (`KidsGroup`, no DOM of their
//   own): groups of `GROUP` children, themselves in groups of `GROUP`
//   groups, and a group re-renders only when one of its nodes would look
//   different. A change to one child of a block of 50,000 renders one
//   group of groups, one group and one element;
// - a plain display element (registry.ts, `isPlainKind`: text, markdown, …)
//   is not a component of its own: its group draws its wrapper and content
//   directly, which on a first render of 50,000 texts saves 50,000
//   component instances. Blocks and the other leaves are an `ElementView`.

import { Component, type ComponentChildren } from 'preact';
import type { Element } from '../protocol';
import type { StaleScopes } from '../state';
import { isStale, type TreeNode } from '../tree';
import { blockView, isPlainKind, isWidgetKind, leafView, placesEachChild } from './registry';
import { WidgetError } from './widgets/common';

interface Props {
  node: TreeNode;
  /** The path, dot-separated ("0.3.1"): a string so props compare cheaply. */
  path: string;
  /** This node is stale if it was seen before this epoch. */
  staleBefore: number;
  /** Per-block overrides of `staleBefore` for their children, by path. */
  scopes: StaleScopes;
}

/** A kind this page does not know (a newer server). */
function Unknown({ el }: { el: Element }) {
  return <div class="bk-unknown">Unsupported element: {String(el.kind)}</div>;
}

/**
 * Whether node `b` (stale before epoch `tb`, scopes `sb`) draws the same as
 * node `a` (with `ta`, `sa`): same element object, same child list, same
 * staleness, and for a block the same thresholds (it passes them down). A
 * node that only a `seen` op renewed draws the same.
 */
export function sameView(
  a: TreeNode,
  b: TreeNode,
  ta: number,
  tb: number,
  sa: StaleScopes,
  sb: StaleScopes,
): boolean {
  if (a.el !== b.el || a.kids !== b.kids) return false;
  if (a.kids !== null && (ta !== tb || sa !== sb)) return false;
  return isStale(a, ta) === isStale(b, tb);
}

/** The class of an element's `bk-el` wrapper. */
function wrapperClass(node: TreeNode, staleBefore: number): string {
  let cls = 'bk-el bk-' + node.el.kind;
  if (node.kids) cls += ' bk-block';
  if (isStale(node, staleBefore)) cls += ' bk-stale';
  return cls;
}

export class ElementView extends Component<Props> {
  /**
   * A leaf's content as last rendered, kept while its element object and
   * path stay the same: Preact skips a virtual node it rendered before, so
   * a leaf whose staleness alone changed does not re-render its content.
   */
  private leaf: { el: Element; path: string; body: ComponentChildren } | null = null;

  override shouldComponentUpdate(next: Props): boolean {
    const prev = this.props;
    if (next.path !== prev.path) return true;
    if (next.node === prev.node && next.staleBefore === prev.staleBefore && next.scopes === prev.scopes) return false;
    return !sameView(prev.node, next.node, prev.staleBefore, next.staleBefore, prev.scopes, next.scopes);
  }

  override render({ node, path, staleBefore, scopes }: Props): ComponentChildren {
    const el = node.el;
    let body: ComponentChildren;
    if (node.kids) {
      const Block = blockView(el.kind) ?? Unknown;
      body = (
        <Block el={el} path={path} nodes={node.kids}>
          {renderKids(node.kids, path, scopes[path] ?? staleBefore, scopes, placesEachChild(el.kind))}
        </Block>
      );
    } else if (this.leaf && this.leaf.el === el && this.leaf.path === path) {
      body = this.leaf.body;
    } else {
      // A different widget at the same index gets a fresh component (and
      // fresh local state).
      const key = 'id' in el ? el.id : el.kind;
      const C = leafView(el.kind) ?? Unknown;
      body = <C key={key} el={el} path={path} />;
      // A widget's error line (its value was refused) sits under it.
      if ('id' in el && isWidgetKind(el.kind)) {
        body = (
          <>
            {body}
            <WidgetError key={'error:' + el.id} id={el.id} />
          </>
        );
      }
      this.leaf = { el, path, body };
    }
    return (
      <div
        class={wrapperClass(node, staleBefore)}
        data-path={path}
        data-form-id={el.kind === 'form' ? el.id : undefined}
        data-fragment-id={el.kind === 'fragment' ? el.id : undefined}
      >
        {body}
      </div>
    );
  }
}

/** Child `i` of the block at `path`: a plain element drawn in place, or an `ElementView`. */
function child(node: TreeNode, i: number, path: string, staleBefore: number, scopes: StaleScopes) {
  const at = path + '.' + i;
  if (node.kids === null && isPlainKind(node.el.kind)) {
    const C = leafView(node.el.kind) ?? Unknown;
    return (
      <div key={i} class={wrapperClass(node, staleBefore)} data-path={at}>
        {C({ el: node.el, path: at })}
      </div>
    );
  }
  return <ElementView key={i} node={node} path={at} staleBefore={staleBefore} scopes={scopes} />;
}

/** How many children (or groups) one `KidsGroup` holds. */
export const GROUP = 64;

interface GroupProps {
  /** The whole child list of the block; the group draws `[from, to)`. */
  kids: readonly TreeNode[];
  from: number;
  to: number;
  /** `GROUP`: children; `GROUP * GROUP`: groups of `GROUP` children. */
  span: number;
  /** The block's path. */
  path: string;
  staleBefore: number;
  scopes: StaleScopes;
}

/**
 * Whether children `[from, to)` of `b` draw the same as those of `a` (each
 * list with its thresholds): what `KidsGroup` re-renders on.
 */
export function sameGroup(a: GroupProps, b: GroupProps): boolean {
  if (a.from !== b.from || a.to !== b.to || a.span !== b.span || a.path !== b.path) return false;
  const sameThresholds = a.staleBefore === b.staleBefore && a.scopes === b.scopes;
  if (a.kids === b.kids && sameThresholds) return true;
  for (let i = b.from; i < b.to; i++) {
    const x = a.kids[i];
    const y = b.kids[i];
    if (x === y && sameThresholds) continue;
    if (!x || !y || !sameView(x, y, a.staleBefore, b.staleBefore, a.scopes, b.scopes)) return false;
  }
  return true;
}

/**
 * Children `[from, to)` of a block, or groups of them, as a fragment (no
 * element of its own, so the layout is the same as without groups).
 */
class KidsGroup extends Component<GroupProps> {
  override shouldComponentUpdate(next: GroupProps): boolean {
    return !sameGroup(this.props, next);
  }

  override render(props: GroupProps): ComponentChildren {
    const { kids, from, to, span, path, staleBefore, scopes } = props;
    if (span > GROUP) return groups(kids, from, to, GROUP, path, staleBefore, scopes);
    const out: ComponentChildren[] = [];
    for (let i = from; i < to; i++) out.push(child(kids[i] as TreeNode, i, path, staleBefore, scopes));
    return out;
  }
}

function groups(
  kids: readonly TreeNode[],
  from: number,
  to: number,
  span: number,
  path: string,
  staleBefore: number,
  scopes: StaleScopes,
): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  for (let start = from; start < to; start += span) {
    out.push(
      <KidsGroup
        key={start}
        kids={kids}
        from={start}
        to={Math.min(start + span, to)}
        span={span}
        path={path}
        staleBefore={staleBefore}
        scopes={scopes}
      />,
    );
  }
  return out;
}

/**
 * The children of the block (or root) at `path`: in groups of groups
 * (always, whatever their number, so that a block growing past one group
 * keeps its first children's DOM), or, for a block that places each child
 * itself (`eachChild`: columns, tabs), one entry per child.
 */
export function renderKids(
  kids: readonly TreeNode[],
  path: string,
  staleBefore: number,
  scopes: StaleScopes,
  eachChild = false,
): ComponentChildren[] {
  if (eachChild) return kids.map((k, i) => child(k, i, path, staleBefore, scopes));
  return groups(kids, 0, kids.length, GROUP * GROUP, path, staleBefore, scopes);
}
