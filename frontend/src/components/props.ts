// The props every element component gets, by the kind it draws. The registry
// (registry.ts) checks each entry against these.

import type { ComponentChildren, FunctionComponent } from 'preact';
import type { BlockEl, Element, Kind, WidgetEl } from '../protocol';
import type { TreeNode } from '../tree';

/** The element type of a kind (`'subheader'` → `HeaderEl`). */
export type ElementOf<K extends Kind> = Element extends infer E
  ? E extends { kind: infer EK }
    ? K extends EK
      ? E
      : never
    : never
  : never;

export type BlockKind = BlockEl['kind'];
export type WidgetKind = WidgetEl['kind'];
/** Everything else: leaves that only show something. */
export type DisplayKind = Exclude<Kind, BlockKind | WidgetKind>;

/** A leaf (display element or widget). */
export interface LeafProps<E> {
  el: E;
  /** The element's path, dot-separated ("0.3.1"). */
  path: string;
}

/**
 * A block: its children are already rendered (Element.tsx) and passed in as
 * `children`, in order; `nodes` are those child nodes. Blocks listed in
 * `placesEachChild` (registry.ts: columns, tabs) get one entry per child
 * node; the others get them in groups (fragments of up to 64), so they must
 * put `children` into their flow as it is and not count it.
 */
export interface BlockProps<E> {
  el: E;
  path: string;
  nodes: readonly TreeNode[];
  children?: ComponentChildren;
}

export type LeafView<K extends Kind> = FunctionComponent<LeafProps<ElementOf<K>>>;
export type BlockView<K extends BlockKind> = FunctionComponent<BlockProps<ElementOf<K>>>;
