import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blockView, isPlainKind, isWidgetKind, leafView, placesEachChild, REGISTRY } from '../src/components/registry';
import type { Element } from '../src/protocol';
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
    for (const kind of ['hologram', '', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.equal(leafView(kind), undefined, kind);
      assert.equal(blockView(kind), undefined, kind);
      assert.equal(isWidgetKind(kind), false, kind);
    }
  });

  test('plain kinds are display leaves whose component needs no render (no hooks)', () => {
    // Element.tsx calls these as functions; a hook outside a render throws.
    const samples: Element[] = [
      { kind: 'title', text: 't' },
      { kind: 'header', text: 'h', divider: true },
      { kind: 'subheader', text: 'h' },
      { kind: 'markdown', text: 'm', html: '<p>m</p>' },
      { kind: 'text', text: 't' },
      { kind: 'caption', text: 'c' },
      { kind: 'divider' },
      { kind: 'metric', label: 'l', value: '1', delta: '-2', help: 'h' },
      { kind: 'alert', level: 'info', text: 'a', html: 'a' },
      { kind: 'exception', message: 'boom `x`', location: 'src/main.rs:1', detail: 'd' },
      { kind: 'progress', value: 0.5, text: 'p' },
      { kind: 'spinner', text: 's' },
      { kind: 'empty' },
    ];
    assert.deepEqual(
      samples.map((el) => el.kind).sort(),
      kinds.filter(isPlainKind).sort(),
      'a sample of every plain kind',
    );
    for (const el of samples) {
      assert.ok(!isBlockKind(el.kind) && !isWidgetKind(el.kind), el.kind);
      const C = leafView(el.kind);
      assert.ok(C, el.kind);
      assert.doesNotThrow(() => C({ el, path: '0.0' }), el.kind);
    }
  });

  test('only columns and tabs get one entry per child', () => {
    assert.deepEqual(kinds.filter(placesEachChild).sort(), ['columns', 'tabs']);
  });
});
