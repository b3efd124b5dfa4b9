import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sameGroup, sameView } from '../src/components/Element';
import { NO_SCOPES, type StaleScopes } from '../src/state';
import { applyOp, applyOps, emptyTree, type Tree, type TreeNode } from '../src/tree';

// What decides whether an element (and a group of a block's children)
// re-renders: the look of its node, not the node object.

const text = (t: string) => ({ kind: 'text' as const, text: t });

/** main: 100 texts, drawn in run (epoch) 1. */
function page(): Tree {
  const ops = Array.from({ length: 100 }, (_, i) => ({ op: 'set' as const, path: [0, i], el: text(`row ${i}`) }));
  return applyOps(emptyTree(), ops, 1);
}
const kids = (t: Tree) => t[0] as readonly TreeNode[];
const group = (t: Tree, staleBefore = 0, scopes: StaleScopes = NO_SCOPES, from = 0, to = 64) => ({
  kids: kids(t),
  from,
  to,
  span: 64,
  path: '0',
  staleBefore,
  scopes,
});

describe('sameView', () => {
  test('a node renewed by `seen` draws the same (when its staleness does not change)', () => {
    const before = page();
    const after = applyOp(before, { op: 'seen', path: [0], len: 100 }, 2);
    const a = kids(before)[5] as TreeNode;
    const b = kids(after)[5] as TreeNode;
    assert.notEqual(a, b, 'a new node object');
    assert.equal(sameView(a, b, 0, 0, NO_SCOPES, NO_SCOPES), true);
    // During run 2 it was stale before the `seen` and is not after it.
    assert.equal(sameView(a, b, 2, 2, NO_SCOPES, NO_SCOPES), false);
  });

  test('a new element, or a flip of staleness, draws differently', () => {
    const before = page();
    const after = applyOp(before, { op: 'set', path: [0, 5], el: text('row 5') }, 1);
    assert.equal(sameView(kids(before)[5] as TreeNode, kids(after)[5] as TreeNode, 0, 0, NO_SCOPES, NO_SCOPES), false);
    const n = kids(before)[5] as TreeNode;
    assert.equal(sameView(n, n, 0, 2, NO_SCOPES, NO_SCOPES), false, 'it goes stale');
    assert.equal(sameView(n, n, 0, 1, NO_SCOPES, NO_SCOPES), true, 'seen in epoch 1: not stale before 1');
  });
});

describe('sameGroup', () => {
  test('a change to one child re-renders only the group that holds it', () => {
    const before = page();
    const after = applyOp(before, { op: 'set', path: [0, 70], el: text('changed') }, 1);
    assert.equal(sameGroup(group(before), group(after)), true, 'children 0–63');
    assert.equal(sameGroup(group(before, 0, NO_SCOPES, 64, 100), group(after, 0, NO_SCOPES, 64, 100)), false);
  });

  test('a `seen` over the whole page re-renders no group once the run is over', () => {
    const before = page();
    const after = applyOp(before, { op: 'seen', path: [0], len: 100 }, 2);
    assert.equal(sameGroup(group(before), group(after)), true);
  });

  test('a run start re-renders the groups whose children go stale', () => {
    const t = page();
    assert.equal(sameGroup(group(t, 0), group(t, 2)), false);
    assert.equal(sameGroup(group(t, 0), group(t, 1)), true, 'nothing is stale before epoch 1');
  });

  test('a group whose range grew re-renders', () => {
    const t = page();
    assert.equal(sameGroup(group(t, 0, NO_SCOPES, 64, 99), group(t, 0, NO_SCOPES, 64, 100)), false);
  });
});
