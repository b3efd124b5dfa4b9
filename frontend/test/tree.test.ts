import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeltaOp, Element } from '../src/protocol';
import { applyOp, applyOps, emptyTree, isStale, nodeAt, type Tree, type TreeNode } from '../src/tree';

const text = (t: string): Element => ({ kind: 'text', text: t });
const container: Element = { kind: 'container', border: false };
const set = (path: number[], el: Element): DeltaOp => ({ op: 'set', path, el });
const seen = (path: number[], len: number): DeltaOp => ({ op: 'seen', path, len });
const truncate = (path: number[], len: number): DeltaOp => ({ op: 'truncate', path, len });

/** Collects warnings instead of printing them. */
function recorder() {
  const warnings: string[] = [];
  return { warnings, warn: (m: string) => warnings.push(m) };
}

function texts(tree: Tree, root = 0): string[] {
  return (tree[root] ?? []).map((n) => ('text' in n.el ? String(n.el.text) : n.el.kind));
}

/** main: [title, container[a, b], text c]; sidebar: [text s] */
function sample(epoch = 1): Tree {
  return applyOps(
    emptyTree(),
    [
      set([0, 0], { kind: 'title', text: 'T' }),
      set([0, 1], container),
      set([0, 1, 0], text('a')),
      set([0, 1, 1], text('b')),
      set([0, 2], text('c')),
      set([1, 0], text('s')),
    ],
    epoch,
  );
}

describe('set', () => {
  test('appends and replaces', () => {
    let t = applyOps(emptyTree(), [set([0, 0], text('a')), set([0, 1], text('b'))], 1);
    assert.deepEqual(texts(t), ['a', 'b']);
    t = applyOp(t, set([0, 0], text('A')), 1);
    assert.deepEqual(texts(t), ['A', 'b']);
  });

  test('builds nested blocks and both roots', () => {
    const t = sample();
    assert.equal(nodeAt(t, [0, 1])?.el.kind, 'container');
    assert.deepEqual(
      nodeAt(t, [0, 1])?.kids?.map((n) => n.el),
      [text('a'), text('b')],
    );
    assert.deepEqual(nodeAt(t, [1, 0])?.el, text('s'));
    assert.equal(nodeAt(t, [0, 0])?.kids, null, 'leaves have no child list');
  });

  test('the new element is fresh', () => {
    const t = applyOp(sample(1), set([0, 2], text('c2')), 5);
    assert.equal(nodeAt(t, [0, 2])?.seen, 5);
    assert.equal(nodeAt(t, [0, 0])?.seen, 1);
  });

  test('a block replaced by a block of the same kind keeps its children', () => {
    const before = sample();
    const after = applyOp(before, set([0, 1], { kind: 'container', border: true }), 2);
    const node = nodeAt(after, [0, 1]);
    assert.deepEqual(node?.el, { kind: 'container', border: true });
    assert.equal(node?.kids, nodeAt(before, [0, 1])?.kids, 'same child list object');
  });

  test('a block replaced by another kind of block drops its children', () => {
    const t = applyOp(sample(), set([0, 1], { kind: 'expander', label: 'x', expanded: false }), 2);
    assert.deepEqual(nodeAt(t, [0, 1])?.kids, []);
  });

  test('a block replaced by a leaf drops its children', () => {
    const t = applyOp(sample(), set([0, 1], text('leaf')), 2);
    assert.equal(nodeAt(t, [0, 1])?.kids, null);
    assert.equal(nodeAt(t, [0, 1, 0]), undefined);
  });

  test('a leaf replaced by a block starts empty', () => {
    const t = applyOp(sample(), set([0, 2], container), 2);
    assert.deepEqual(nodeAt(t, [0, 2])?.kids, []);
  });
});

describe('structural sharing', () => {
  test('a set at [0, 1, 0] creates new objects only along the path', () => {
    const before = sample();
    const after = applyOp(before, set([0, 1, 0], text('a2')), 2);
    assert.notEqual(after, before);
    assert.notEqual(after[0], before[0], 'root 0 list is new');
    assert.notEqual(nodeAt(after, [0, 1]), nodeAt(before, [0, 1]), 'parent block is new');
    assert.notEqual(nodeAt(after, [0, 1, 0]), nodeAt(before, [0, 1, 0]));
    // Everything else keeps its identity.
    assert.equal(after[1], before[1], 'sidebar untouched');
    assert.equal(nodeAt(after, [0, 0]), nodeAt(before, [0, 0]));
    assert.equal(nodeAt(after, [0, 2]), nodeAt(before, [0, 2]));
    assert.equal(nodeAt(after, [0, 1, 1]), nodeAt(before, [0, 1, 1]));
    // The parent block's element and freshness are unchanged.
    assert.equal(nodeAt(after, [0, 1])?.el, nodeAt(before, [0, 1])?.el);
    assert.equal(nodeAt(after, [0, 1])?.seen, nodeAt(before, [0, 1])?.seen);
  });

  test('a set on [0, 5] leaves siblings and the other root alone', () => {
    let t = emptyTree();
    for (let i = 0; i < 8; i++) t = applyOp(t, set([0, i], text(String(i))), 1);
    const after = applyOp(t, set([0, 5], text('five')), 1);
    for (let i = 0; i < 8; i++) {
      if (i === 5) assert.notEqual(after[0]?.[i], t[0]?.[i]);
      else assert.equal(after[0]?.[i], t[0]?.[i], `sibling ${i} keeps identity`);
    }
    assert.equal(after[1], t[1]);
  });

  test('seen that changes nothing returns the same tree', () => {
    const t = sample(3);
    assert.equal(applyOp(t, seen([0], 3), 3), t);
    assert.equal(applyOp(t, seen([0, 1], 2), 3), t);
  });

  test('truncate that removes nothing returns the same tree', () => {
    const t = sample();
    assert.equal(applyOp(t, truncate([0], 3), 1), t);
    assert.equal(applyOp(t, truncate([0], 10), 1), t);
  });

  test('the input tree is never mutated', () => {
    const t = sample();
    const snapshot = JSON.stringify(t);
    applyOps(t, [set([0, 1, 0], text('x')), seen([0], 3), truncate([0, 1], 0), set([1, 1], text('y'))], 9);
    assert.equal(JSON.stringify(t), snapshot);
  });
});

describe('seen', () => {
  test('refreshes the first len children only', () => {
    const t = applyOp(sample(1), seen([0], 2), 2);
    assert.equal(nodeAt(t, [0, 0])?.seen, 2);
    assert.equal(nodeAt(t, [0, 1])?.seen, 2);
    assert.equal(nodeAt(t, [0, 2])?.seen, 1);
    // Not recursive: the block's children keep their own epoch.
    assert.equal(nodeAt(t, [0, 1, 0])?.seen, 1);
  });

  test('inside a block', () => {
    const t = applyOp(sample(1), seen([0, 1], 1), 2);
    assert.equal(nodeAt(t, [0, 1, 0])?.seen, 2);
    assert.equal(nodeAt(t, [0, 1, 1])?.seen, 1);
  });

  test('len past the end refreshes what exists and warns', () => {
    const r = recorder();
    const t = applyOp(sample(1), seen([1], 4), 2, r.warn);
    assert.equal(nodeAt(t, [1, 0])?.seen, 2);
    assert.equal(r.warnings.length, 1);
  });
});

describe('truncate', () => {
  test('removes children from len on', () => {
    const t = applyOp(sample(), truncate([0], 1), 1);
    assert.deepEqual(texts(t), ['T']);
  });

  test('inside a block', () => {
    const t = applyOp(sample(), truncate([0, 1], 1), 1);
    assert.deepEqual(
      nodeAt(t, [0, 1])?.kids?.map((n) => n.el),
      [text('a')],
    );
  });

  test('to zero empties a root', () => {
    const t = applyOp(sample(), truncate([1], 0), 1);
    assert.deepEqual(t[1], []);
  });
});

describe('bad ops are ignored with a warning', () => {
  const cases: [string, unknown][] = [
    ['parent missing', set([0, 7, 0], text('x'))],
    ['parent is a leaf', set([0, 2, 0], text('x'))],
    ['index past append position', set([0, 4], text('x'))],
    ['unknown root', set([2, 0], text('x'))],
    ['path too short for set', set([0], text('x'))],
    ['empty path', seen([], 1)],
    ['negative index', set([0, -1], text('x'))],
    ['fractional index', set([0, 1.5], text('x'))],
    ['path not an array', { op: 'set', path: '0.1', el: text('x') }],
    ['element without kind', { op: 'set', path: [0, 0], el: { text: 'x' } }],
    ['element null', { op: 'set', path: [0, 0], el: null }],
    ['seen on a leaf', seen([0, 0], 1)],
    ['truncate on a missing block', truncate([0, 9], 0)],
    ['truncate with negative len', truncate([0], -1)],
    ['unknown op', { op: 'explode', path: [0] }],
    ['null op', null],
    ['not an object', 42],
  ];
  for (const [name, op] of cases) {
    test(name, () => {
      const r = recorder();
      const t = sample();
      const after = applyOp(t, op as DeltaOp, 2, r.warn);
      assert.equal(after, t, 'tree unchanged');
      assert.equal(r.warnings.length, 1, 'one warning');
    });
  }

  test('a bad op in a batch does not stop the ops after it', () => {
    const r = recorder();
    const t = applyOps(sample(), [set([0, 9, 9], text('x')), set([0, 3], text('d'))], 2, r.warn);
    assert.deepEqual(texts(t), ['T', 'container', 'c', 'd']);
    assert.equal(r.warnings.length, 1);
  });
});

describe('staleness by epoch', () => {
  test('a node is stale when last seen before the stale epoch', () => {
    const t = sample(1);
    const n = nodeAt(t, [0, 0]);
    assert.ok(n);
    assert.equal(isStale(n, 0), false, 'no run: nothing stale');
    assert.equal(isStale(n, 1), false, 'set in this run');
    assert.equal(isStale(n, 2), true, 'a later run started');
  });
});

describe('applyOps in one batch', () => {
  /** Freezes the tree, its lists and nodes: a write to any of them throws. */
  function deepFreeze(tree: Tree): Tree {
    const visit = (kids: readonly TreeNode[]) => {
      for (const n of kids) {
        if (n.kids) visit(n.kids);
        Object.freeze(n);
      }
      Object.freeze(kids);
    };
    tree.forEach(visit);
    return Object.freeze(tree);
  }

  /** Every node as "path seen kind/text", in page order. */
  function dump(tree: Tree): string[] {
    const out: string[] = [];
    const walk = (kids: readonly TreeNode[], path: string) =>
      kids.forEach((n, i) => {
        out.push(`${path}.${i} ${n.seen} ${'text' in n.el ? n.el.text : n.el.kind}`);
        if (n.kids) walk(n.kids, `${path}.${i}`);
      });
    tree.forEach((root, r) => walk(root, String(r)));
    return out;
  }

  const ops: DeltaOp[] = [
    set([0, 3], text('d')),
    set([0, 4], container),
    set([0, 4, 0], text('e0')),
    set([0, 4, 1], text('e1')),
    set([0, 1, 2], text('a2')),
    seen([0], 5),
    seen([0, 1], 3),
    set([0, 4, 2], text('e2')),
    truncate([0, 4], 2),
    set([0, 4, 2], text('e2 again')),
    set([0, 1], container),
    set([1, 1], text('s1')),
    truncate([0], 4),
    set([0, 4], text('last')),
  ];

  test('gives the same tree as the ops one by one, and changes nothing it was given', () => {
    const before = deepFreeze(sample(1));
    let one = before;
    for (const op of ops) one = applyOp(one, op, 2);
    const batch = applyOps(before, ops, 2);
    assert.deepEqual(dump(batch), dump(one));
    assert.deepEqual(batch, one);
    assert.deepEqual(dump(before), dump(sample(1)), 'the frozen input is as it was');
  });

  test('a batch built on the result of another leaves that result alone', () => {
    const first = applyOps(sample(1), ops.slice(0, 5), 2);
    const snapshot = dump(first);
    const second = applyOps(first, ops.slice(5), 2);
    assert.deepEqual(dump(first), snapshot);
    assert.notEqual(second, first);
  });

  test('untouched nodes keep their identity through a batch', () => {
    const before = sample(1);
    const after = applyOps(before, [set([0, 3], text('d')), set([0, 4], text('e')), set([1, 1], text('t'))], 2);
    assert.equal(nodeAt(after, [0, 0]), nodeAt(before, [0, 0]));
    assert.equal(nodeAt(after, [0, 1]), nodeAt(before, [0, 1]));
    assert.equal(nodeAt(after, [1, 0]), nodeAt(before, [1, 0]));
  });

  test('appending thousands of elements in one batch', () => {
    const many: DeltaOp[] = [];
    for (let i = 0; i < 20_000; i++) many.push(set([0, i], text(`row ${i}`)));
    many.push(seen([0], 20_000));
    const t = applyOps(deepFreeze(emptyTree()), many, 1);
    assert.equal(t[0]?.length, 20_000);
    assert.deepEqual(nodeAt(t, [0, 19_999])?.el, text('row 19999'));
  });
});


describe('add_rows', () => {
  const table: Element = { kind: 'table', columns: ['n'], rows: [['1']], kinds: [], align: [] };
  test('appends to a table, keeping the rows it had and its freshness', () => {
    const before = applyOps(emptyTree(), [set([0, 0], table)], 1);
    const after = applyOp(before, { op: 'add_rows', path: [0, 0], rows: [['2'], ['3']] }, 2);
    const el = nodeAt(after, [0, 0])?.el;
    assert.ok(el && el.kind === 'table');
    assert.deepEqual(el.rows, [['1'], ['2'], ['3']]);
    assert.equal(isStale(nodeAt(after, [0, 0]) as TreeNode, 2), isStale(nodeAt(before, [0, 0]) as TreeNode, 2));
    const first = nodeAt(before, [0, 0])?.el;
    assert.ok(first && first.kind === 'table');
    assert.deepEqual(first.rows, [['1']], 'the old tree is not changed');
  });
  test('is ignored, with a warning, for anything but a table', () => {
    const { warnings, warn } = recorder();
    const tree = applyOps(emptyTree(), [set([0, 0], text('a'))], 1);
    assert.equal(applyOp(tree, { op: 'add_rows', path: [0, 0], rows: [['x']] }, 2, warn), tree);
    assert.equal(applyOp(tree, { op: 'add_rows', path: [0, 5], rows: [['x']] }, 2, warn), tree);
    assert.equal(warnings.length, 2, warnings.join('\n'));
  });
});
