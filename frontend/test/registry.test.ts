import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockView, isWidgetKind, leafView, REGISTRY } from '../src/components/registry';
import { isBlockKind } from '../src/protocol';

// The registry's type already lists every kind of the `Element` union; these
// check that its runtime lookups agree with the tree's idea of a block
// (`isBlockKind`, which decides whether a node holds children).

const kinds = Object.keys(REGISTRY);

describe('registry', () => {
  test('every kind has a component', () => {
    for (const kind of kinds) {
      assert.equal(typeof REGISTRY[kind as keyof typeof REGISTRY], 'function', kind);
    }
  });

  test('block kinds are exactly the kinds that hold children', () => {
    for (const kind of kinds) {
      const block = isBlockKind(kind);
      assert.equal(blockView(kind) !== undefined, block, kind);
      assert.equal(leafView(kind) !== undefined, !block, kind);
    }
  });

  test('widgets are leaves', () => {
    for (const kind of ['button', 'form_submit', 'toggle', 'slider', 'multiselect']) {
      assert.ok(isWidgetKind(kind), kind);
    }
    for (const kind of ['title', 'markdown', 'dataframe', 'form', 'fragment']) {
      assert.ok(!isWidgetKind(kind), kind);
    }
    for (const kind of kinds.filter(isWidgetKind)) assert.ok(leafView(kind), kind);
  });

  test('an unknown kind has no component, whatever its name', () => {
    for (const kind of ['image', '', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.equal(leafView(kind), undefined, kind);
      assert.equal(blockView(kind), undefined, kind);
      assert.equal(isWidgetKind(kind), false, kind);
    }
  });
});
