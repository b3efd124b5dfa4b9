// One element of the tree: the `bk-el` wrapper (path, kind, staleness) and
// the component for its kind, looked up in registry.ts. Children of blocks
// are keyed by index.
//
// Staleness: each element gets the `staleBefore` that applies to it; a block
// hands its children its own, or its entry in `scopes` when a fragment run
// set one for it (state.ts, `staleThreshold`).

import { Component, type ComponentChildren } from 'preact';
import type { Element } from '../protocol';
import type { StaleScopes } from '../state';
import { isStale, type TreeNode } from '../tree';
import { pure } from './common';
import { blockView, isWidgetKind, leafView } from './registry';
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

/** Renders a leaf's content only when its element object changes. */
const LeafBody = pure(function LeafBody({ el, path }: { el: Element; path: string }) {
  const C = leafView(el.kind) ?? Unknown;
  return <C el={el} path={path} />;
});

export class ElementView extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    const prev = this.props;
    if (next.node !== prev.node || next.path !== prev.path) return true;
    if (next.staleBefore === prev.staleBefore && next.scopes === prev.scopes) return false;
    // A block passes the epoch down to its children; a leaf only cares
    // whether its own staleness flipped.
    return (
      next.node.kids !== null ||
      isStale(prev.node, prev.staleBefore) !== isStale(next.node, next.staleBefore)
    );
  }

  override render({ node, path, staleBefore, scopes }: Props): ComponentChildren {
    const el = node.el;
    let cls = 'bk-el bk-' + el.kind;
    if (node.kids) cls += ' bk-block';
    if (isStale(node, staleBefore)) cls += ' bk-stale';
    let body: ComponentChildren;
    if (node.kids) {
      const Block = blockView(el.kind) ?? Unknown;
      body = (
        <Block el={el} path={path} nodes={node.kids}>
          {renderKids(node.kids, path, scopes[path] ?? staleBefore, scopes)}
        </Block>
      );
    } else {
      // A different widget at the same index gets a fresh component (and
      // fresh local state).
      const key = 'id' in el ? el.id : el.kind;
      body = <LeafBody key={key} el={el} path={path} />;
      // A widget's error line (its value was refused) sits under it.
      if ('id' in el && isWidgetKind(el.kind)) {
        body = (
          <>
            {body}
            <WidgetError key={'error:' + el.id} id={el.id} />
          </>
        );
      }
    }
    return (
      <div
        class={cls}
        data-path={path}
        data-form-id={el.kind === 'form' ? el.id : undefined}
        data-fragment-id={el.kind === 'fragment' ? el.id : undefined}
      >
        {body}
      </div>
    );
  }
}

export function renderKids(
  kids: readonly TreeNode[],
  path: string,
  staleBefore: number,
  scopes: StaleScopes,
): ComponentChildren[] {
  return kids.map((k, i) => (
    <ElementView key={i} node={k} path={path + '.' + i} staleBefore={staleBefore} scopes={scopes} />
  ));
}
