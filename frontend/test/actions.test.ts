import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Actions } from '../src/actions';
import type { ClientMessage, DeltaOp, Element } from '../src/protocol';
import { applyOps, emptyTree, enclosing, type Tree } from '../src/tree';

const set = (path: number[], el: Element): DeltaOp => ({ op: 'set', path, el });
const input = (id: string): Element => ({ kind: 'text_input', id, label: id, value: '' });
const check = (id: string): Element => ({ kind: 'checkbox', id, label: id, value: false });
const button = (id: string): Element => ({ kind: 'button', id, label: id });
const submit = (id: string): Element => ({ kind: 'form_submit', id, label: id });
const form = (id: string): Element => ({ kind: 'form', id, border: true });
const fragment = (id: string): Element => ({ kind: 'fragment', id });

/**
 * main:
 *   0 input wTop
 *   1 fragment fA
 *       0 input wA
 *       1 container
 *           0 fragment fB
 *               0 check wB
 *               1 button bB
 *       2 form F1
 *           0 input wF1a
 *           1 check wF1b
 *           2 submit sF1
 *   2 form F2
 *       0 input wF2
 *       1 submit sF2
 *   3 button bTop
 * sidebar:
 *   0 fragment fS
 *       0 check wS
 */
function page(): Tree {
  return applyOps(
    emptyTree(),
    [
      set([0, 0], input('wTop')),
      set([0, 1], fragment('fA')),
      set([0, 1, 0], input('wA')),
      set([0, 1, 1], { kind: 'container', border: false }),
      set([0, 1, 1, 0], fragment('fB')),
      set([0, 1, 1, 0, 0], check('wB')),
      set([0, 1, 1, 0, 1], button('bB')),
      set([0, 1, 2], form('F1')),
      set([0, 1, 2, 0], input('wF1a')),
      set([0, 1, 2, 1], check('wF1b')),
      set([0, 1, 2, 2], submit('sF1')),
      set([0, 2], form('F2')),
      set([0, 2, 0], input('wF2')),
      set([0, 2, 1], submit('sF2')),
      set([0, 3], button('bTop')),
      set([1, 0], fragment('fS')),
      set([1, 0, 0], check('wS')),
    ],
    1,
    (m) => assert.fail(m),
  );
}

function harness(tree = page()) {
  const sent: ClientMessage[] = [];
  const actions = new Actions(
    (m) => sent.push(m),
    () => tree,
  );
  return { sent, actions };
}

describe('enclosing: the form and fragment around a widget', () => {
  const t = page();
  test('outside any fragment or form', () => {
    assert.deepEqual(enclosing(t, 'wTop'), { form: null, fragment: null });
    assert.deepEqual(enclosing(t, 'bTop'), { form: null, fragment: null });
  });
  test('inside a fragment', () => {
    assert.deepEqual(enclosing(t, 'wA'), { form: null, fragment: 'fA' });
    assert.deepEqual(enclosing(t, 'wS'), { form: null, fragment: 'fS' }, 'in the sidebar');
  });
  test('the nearest of nested fragments, through other blocks', () => {
    assert.deepEqual(enclosing(t, 'wB'), { form: null, fragment: 'fB' });
    assert.deepEqual(enclosing(t, 'bB'), { form: null, fragment: 'fB' });
  });
  test('inside a form, inside a fragment or not', () => {
    assert.deepEqual(enclosing(t, 'wF1a'), { form: 'F1', fragment: 'fA' });
    assert.deepEqual(enclosing(t, 'sF1'), { form: 'F1', fragment: 'fA' });
    assert.deepEqual(enclosing(t, 'wF2'), { form: 'F2', fragment: null });
  });
  test('a fragment inside a form: events rerun what covers the form', () => {
    const tree = applyOps(
      emptyTree(),
      [
        set([0, 0], fragment('fOut')),
        set([0, 0, 0], form('F')),
        set([0, 0, 0, 0], fragment('fIn')),
        set([0, 0, 0, 0, 0], input('w')),
      ],
      1,
    );
    assert.deepEqual(enclosing(tree, 'w'), { form: 'F', fragment: 'fOut' });
  });
  test("a dataframe's selection is a widget", () => {
    const grid = (id: string | null): Element => ({
      kind: 'dataframe',
      frame: 'f',
      row_count: 0,
      columns: [],
      index: null,
      head: { start: 0, total: 0, index: [], rows: [] },
      height: 0,
      width: null,
      download: '/d.csv',
      selection: id === null ? null : { id, rows: 'multi', columns: null, value: { rows: [], columns: [] } },
      toolbar: true,
    });
    const tree = applyOps(
      emptyTree(),
      [set([0, 0], fragment('fG')), set([0, 0, 0], grid('sel')), set([0, 0, 1], grid(null)), set([0, 1], form('F')), set([0, 1, 0], grid('inForm'))],
      1,
    );
    assert.deepEqual(enclosing(tree, 'sel'), { form: null, fragment: 'fG' });
    assert.deepEqual(enclosing(tree, 'inForm'), { form: 'F', fragment: null });
    const sent: ClientMessage[] = [];
    const actions = new Actions((m) => sent.push(m), () => tree);
    actions.commit('sel', { rows: [2], columns: [] });
    assert.deepEqual(sent, [{ type: 'rerun', widgets: { sel: { rows: [2], columns: [] } }, trigger: null, fragment: 'fG' }]);
    actions.commit('inForm', { rows: [1], columns: [] });
    assert.equal(sent.length, 1, 'held for the form');
  });
  test('unknown ids and blocks are not found', () => {
    assert.equal(enclosing(t, 'nope'), null);
    assert.equal(enclosing(t, 'fA'), null, 'a fragment block is not a widget');
    assert.equal(enclosing(t, 'F1'), null, 'a form block is not a widget');
  });
});

describe('rerun messages carry the fragment', () => {
  test('a change outside fragments reruns the app', () => {
    const { sent, actions } = harness();
    assert.equal(actions.commit('wTop', 'hi'), true);
    assert.deepEqual(sent, [{ type: 'rerun', widgets: { wTop: 'hi' }, trigger: null, fragment: null }]);
  });
  test('a change inside a fragment names it', () => {
    const { sent, actions } = harness();
    actions.commit('wB', true);
    assert.deepEqual(sent, [{ type: 'rerun', widgets: { wB: true }, trigger: null, fragment: 'fB' }]);
  });
  test('a button press inside a fragment names it', () => {
    const { sent, actions } = harness();
    actions.press('bB');
    actions.press('bTop');
    assert.deepEqual(sent, [
      { type: 'rerun', widgets: {}, trigger: 'bB', fragment: 'fB' },
      { type: 'rerun', widgets: {}, trigger: 'bTop', fragment: null },
    ]);
  });
  test('an unchanged value outside a form sends nothing', () => {
    const { sent, actions } = harness();
    assert.equal(actions.commit('wA', '', true), false);
    assert.deepEqual(sent, []);
  });
});

describe('forms hold their widgets’ values until submitted', () => {
  test('a commit inside a form sends nothing and is held', () => {
    const { sent, actions } = harness();
    assert.equal(actions.commit('wF1a', 'Ada'), true);
    assert.equal(actions.commit('wF1b', true), true);
    assert.deepEqual(sent, []);
    assert.deepEqual(actions.pendingOf('F1'), { wF1a: 'Ada', wF1b: true });
    assert.equal(actions.held('wF1a'), 'Ada');
    assert.equal(actions.held('wTop'), undefined);
  });

  test('a later commit replaces the held value; an unchanged one is held too', () => {
    const { sent, actions } = harness();
    actions.commit('wF1a', 'Ada');
    actions.commit('wF1a', '', true);
    assert.deepEqual(sent, []);
    assert.deepEqual(actions.pendingOf('F1'), { wF1a: '' });
  });

  test('submit sends one message with every held value, the trigger and the fragment', () => {
    const { sent, actions } = harness();
    actions.commit('wF1a', 'Ada');
    actions.commit('wF1b', true);
    actions.commit('wF2', 'other form');
    actions.submit('sF1');
    assert.deepEqual(sent, [
      { type: 'rerun', widgets: { wF1a: 'Ada', wF1b: true }, trigger: 'sF1', fragment: 'fA' },
    ]);
    assert.deepEqual(actions.pendingOf('F1'), {}, 'the form’s map is cleared');
    assert.equal(actions.held('wF1a'), undefined);
    assert.deepEqual(actions.pendingOf('F2'), { wF2: 'other form' }, 'other forms keep theirs');
  });

  test('a form outside fragments submits with fragment null; an untouched form submits no values', () => {
    const { sent, actions } = harness();
    actions.submit('sF2');
    actions.commit('wF2', 'x');
    actions.submit('sF2');
    actions.submit('sF2');
    assert.deepEqual(sent, [
      { type: 'rerun', widgets: {}, trigger: 'sF2', fragment: null },
      { type: 'rerun', widgets: { wF2: 'x' }, trigger: 'sF2', fragment: null },
      { type: 'rerun', widgets: {}, trigger: 'sF2', fragment: null },
    ]);
  });

  test('submit listeners get the submitted values', () => {
    const { actions } = harness();
    const seen: unknown[] = [];
    const off = actions.onSubmit((v) => seen.push(v));
    actions.commit('wF1a', 'Ada');
    actions.submit('sF1');
    off();
    actions.submit('sF1');
    assert.deepEqual(seen, [{ wF1a: 'Ada' }]);
  });

  test('the form is found in the page as it is at commit time', () => {
    let tree: Tree = emptyTree();
    const sent: ClientMessage[] = [];
    const actions = new Actions(
      (m) => sent.push(m),
      () => tree,
    );
    tree = applyOps(tree, [set([0, 0], input('w'))], 1);
    actions.commit('w', 'a');
    tree = applyOps(tree, [set([0, 0], form('F')), set([0, 0, 0], input('w'))], 2);
    actions.commit('w', 'b');
    assert.deepEqual(sent, [{ type: 'rerun', widgets: { w: 'a' }, trigger: null, fragment: null }]);
    assert.deepEqual(actions.pendingOf('F'), { w: 'b' });
  });

  test('stop', () => {
    const { sent, actions } = harness();
    actions.stop();
    assert.deepEqual(sent, [{ type: 'stop' }]);
  });
});
