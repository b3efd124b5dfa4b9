import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addRow,
  asEdits,
  cellEdit,
  deleteRows,
  draftFor,
  editLabel,
  editOf,
  editorFooter,
  inputKind,
  isDeleted,
  NO_EDITS,
  numberFrom,
  parseInput,
  parseRowKey,
  restoreRows,
  rowKey,
  rowsAfterEdits,
  setCell,
  shownAdded,
  shownEdit,
  validate,
} from '../src/edits';
import { Actions } from '../src/actions';
import type { ClientMessage, ColumnEdit, ColumnSpec, DataEditorEl, DeltaOp, Edits, EditsShown, Element } from '../src/protocol';
import { applyOps, emptyTree, enclosing } from '../src/tree';

function col(name: string, type: ColumnSpec['type'], edit: ColumnEdit | null = {}): ColumnSpec {
  return { name, label: name.toUpperCase(), type, width: 80, align: 'left', sortable: true, edit };
}

const price = col('price', 'number', { min: 0, max: 100, step: 0.01 });
const qty = col('qty', 'number', { integer: true, required: true });
const name = col('name', 'text', { max_chars: 5 });
const size = col('size', 'text', { options: ['S', 'M', 'L'] });
const ok = col('ok', 'checkbox');
const day = col('day', 'date');
const at = col('at', 'datetime');
const time = col('time', 'time');
const site = col('site', 'link');
const tags = col('tags', 'list');
const fixed = col('fixed', 'text', null);

const E = (e: Partial<Edits> = {}): Edits => ({ edited: {}, added: [], deleted: [], ...e });

describe('edits: merging', () => {
  test('an edit adds a cell to its row, and a second one to the same cell replaces it', () => {
    let e = setCell(NO_EDITS, { kind: 'row', index: 3 }, 'price', 5);
    e = setCell(e, { kind: 'row', index: 3 }, 'name', 'Kettle');
    e = setCell(e, { kind: 'row', index: 17 }, 'price', 1);
    assert.deepEqual(e.edited, { '3': { price: 5, name: 'Kettle' }, '17': { price: 1 } });
    e = setCell(e, { kind: 'row', index: 3 }, 'price', 7);
    assert.deepEqual(e.edited, { '3': { price: 7, name: 'Kettle' }, '17': { price: 1 } });
    assert.equal(cellEdit(e, { kind: 'row', index: 3 }, 'price'), 7);
    assert.equal(cellEdit(e, { kind: 'row', index: 4 }, 'price'), undefined);
  });

  test('clearing a cell is an edit to null (not the same as no edit)', () => {
    const e = setCell(E({ edited: { '3': { price: 5 } } }), { kind: 'row', index: 3 }, 'price', null);
    assert.deepEqual(e.edited, { '3': { price: null } });
    assert.equal(cellEdit(e, { kind: 'row', index: 3 }, 'price'), null);
    assert.equal(cellEdit(e, { kind: 'row', index: 3 }, 'name'), undefined);
  });

  test('the input is never changed', () => {
    const before = E({ edited: { '1': { a: 1 } }, added: [{ a: 2 }], deleted: [4] });
    const copy = JSON.parse(JSON.stringify(before));
    setCell(before, { kind: 'row', index: 1 }, 'a', 9);
    setCell(before, { kind: 'added', at: 0 }, 'a', 9);
    addRow(before);
    deleteRows(before, [{ kind: 'row', index: 2 }, { kind: 'added', at: 0 }]);
    restoreRows(before, [4]);
    assert.deepEqual(before, copy);
  });

  test('added rows take edits by their place; a missing one takes none', () => {
    let e = addRow(addRow(NO_EDITS));
    assert.deepEqual(e.added, [{}, {}]);
    e = setCell(e, { kind: 'added', at: 1 }, 'name', 'Toaster');
    e = setCell(e, { kind: 'added', at: 1 }, 'price', 1);
    assert.deepEqual(e.added, [{}, { name: 'Toaster', price: 1 }]);
    assert.equal(setCell(e, { kind: 'added', at: 2 }, 'name', 'x'), e);
    assert.deepEqual(e.edited, {});
  });
});

describe('edits: added and deleted rows', () => {
  test('deleting rows of the frame keeps them sorted and once; deleting added rows removes them', () => {
    let e = E({ added: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], edited: { '17': { price: 2 } } });
    e = deleteRows(e, [{ kind: 'row', index: 17 }, { kind: 'row', index: 4 }, { kind: 'added', at: 1 }]);
    assert.deepEqual(e.deleted, [4, 17]);
    assert.deepEqual(e.added, [{ name: 'a' }, { name: 'c' }]);
    assert.deepEqual(e.edited, { '17': { price: 2 } }, 'edits of deleted rows are kept for a restore');
    e = deleteRows(e, [{ kind: 'row', index: 4 }, { kind: 'row', index: 1 }]);
    assert.deepEqual(e.deleted, [1, 4, 17]);
    assert.ok(isDeleted(e, 17) && !isDeleted(e, 2));
    e = restoreRows(e, [4, 99]);
    assert.deepEqual(e.deleted, [1, 17]);
  });

  test('the footer counts the frame, plus added, minus deleted rows', () => {
    const e = E({ added: [{}, {}], deleted: [3, 9] });
    assert.equal(rowsAfterEdits(10, e), 10);
    assert.equal(rowsAfterEdits(10, E({ added: [{}] })), 11);
    assert.equal(rowsAfterEdits(10, E({ deleted: [0] })), 9);
    assert.equal(rowsAfterEdits(10, E({ deleted: [0, 10, 12] })), 9, 'positions past the frame do not count');
    assert.equal(editorFooter(10_000, 3, E({ added: [{}, {}, {}], deleted: [1] })), '10,002 rows × 3 columns');
    assert.equal(editorFooter(1, 1, NO_EDITS), '1 row × 1 column');
    assert.equal(editorFooter(2, 4, E({ deleted: [0] })), '1 row × 4 columns');
    assert.equal(editorFooter(0, 2, E({ added: [{}] })), '1 row × 2 columns');
    assert.equal(editorFooter(100, 2, E({ added: [{}], deleted: [5] }), 7), '8 of 100 rows × 2 columns');
  });

  test('row keys name rows of the frame and added rows', () => {
    assert.equal(rowKey({ kind: 'row', index: 12 }), 'r12');
    assert.equal(rowKey({ kind: 'added', at: 0 }), 'a0');
    assert.deepEqual(parseRowKey('r12'), { kind: 'row', index: 12 });
    assert.deepEqual(parseRowKey('a3'), { kind: 'added', at: 3 });
    assert.equal(parseRowKey('x1'), null);
    assert.equal(parseRowKey('r'), null);
  });
});

describe('edits: the committed value', () => {
  test('has exactly edited (string keys), added and deleted (ascending)', () => {
    let e = NO_EDITS;
    e = setCell(e, { kind: 'row', index: 3 }, 'price', 5);
    e = addRow(e);
    e = setCell(e, { kind: 'added', at: 0 }, 'ok', true);
    e = deleteRows(e, [{ kind: 'row', index: 17 }, { kind: 'row', index: 4 }]);
    assert.deepEqual(JSON.parse(JSON.stringify(e)), {
      edited: { '3': { price: 5 } },
      added: [{ ok: true }],
      deleted: [4, 17],
    });
    assert.deepEqual(Object.keys(e).sort(), ['added', 'deleted', 'edited']);
  });

  test('a value from the wire is made safe', () => {
    assert.deepEqual(asEdits(null), E());
    assert.deepEqual(asEdits({ edited: { '3': { a: 1 }, x: { a: 2 }, '4': {} }, added: [{ a: 1 }, 5], deleted: [9, 2, 2, -1, 'x'] }), {
      edited: { '3': { a: 1 } },
      added: [{ a: 1 }, {}],
      deleted: [2, 9],
    });
  });
});

describe('edits: validation', () => {
  const bad = (c: ColumnSpec, text: string) => {
    const r = parseInput(c, editOf(c) as ColumnEdit, text);
    return r.ok ? null : r.message;
  };
  const good = (c: ColumnSpec, text: string) => {
    const r = parseInput(c, editOf(c) as ColumnEdit, text);
    assert.ok(r.ok, `${c.name} ${JSON.stringify(text)}: ${r.ok ? '' : r.message}`);
    return r.value;
  };

  test('required', () => {
    assert.equal(bad(qty, ''), 'Required');
    assert.equal(bad(qty, '   '), 'Required');
    const title = col('title', 'text', { required: true });
    assert.equal(bad(title, ''), 'Required');
    assert.equal(bad(title, '  '), 'Required', 'blank text is empty');
    assert.equal(good(title, ' x '), ' x ', 'text is kept as typed');
    assert.equal(good(price, ''), null, 'an optional cell empties to null');
    assert.equal(validate(qty, editOf(qty) as ColumnEdit, null), 'Required');
    assert.equal(validate(price, editOf(price) as ColumnEdit, null), null);
  });

  test('numbers: min, max, integer, not a number', () => {
    assert.equal(bad(price, '101'), 'Must be at most 100');
    assert.equal(bad(price, '-0.5'), 'Must be at least 0');
    assert.equal(good(price, '100'), 100);
    assert.equal(good(price, ' 5.25 '), 5.25);
    assert.equal(bad(qty, '2.5'), 'Whole numbers only');
    assert.equal(good(qty, '3'), 3);
    assert.equal(bad(price, 'abc'), 'Must be a number');
    assert.equal(bad(price, '1e999'), 'Must be a number');
  });

  test('options and max_chars', () => {
    assert.equal(good(size, 'M'), 'M');
    assert.equal(bad(size, 'XL'), 'Not one of the options');
    assert.equal(bad(size, 'm'), 'Not one of the options');
    assert.equal(good(name, 'Kettl'), 'Kettl');
    assert.equal(bad(name, 'Kettle'), 'At most 5 characters (6)');
    assert.equal(good(name, '😀😀😀😀😀'), '😀😀😀😀😀', 'characters, not UTF-16 units');
  });

  test('dates and times become ISO strings', () => {
    assert.equal(good(day, '2024-02-29'), '2024-02-29');
    assert.equal(bad(day, '2023-02-29'), 'Must be a date (YYYY-MM-DD)');
    assert.equal(good(at, '2024-01-05T08:30'), '2024-01-05T08:30:00');
    assert.equal(good(at, '2024-01-05T08:30:15'), '2024-01-05T08:30:15');
    assert.equal(good(time, '08:30'), '08:30:00');
    assert.equal(bad(time, '25:00'), 'Must be a time (HH:MM:SS)');
  });

  test('a value of the wrong type is refused', () => {
    const v = (c: ColumnSpec, x: Parameters<typeof validate>[2]) => validate(c, editOf(c) as ColumnEdit, x);
    assert.equal(v(price, '5'), 'Must be a number');
    assert.equal(v(price, true), 'Must be a number');
    assert.equal(v(name, 5), 'Must be text');
    assert.equal(v(ok, 'yes'), 'Must be true or false');
    assert.equal(v(ok, false), null);
    assert.equal(v(day, 20240105), 'Must be a date (YYYY-MM-DD)');
    assert.equal(v(size, 1), 'Not one of the options');
  });

  test('which columns are edited with what', () => {
    assert.equal(inputKind(price, {}), 'number');
    assert.equal(inputKind(size, editOf(size) as ColumnEdit), 'select');
    assert.equal(inputKind(ok, {}), 'checkbox');
    assert.equal(inputKind(day, {}), 'date');
    assert.equal(inputKind(at, {}), 'datetime-local');
    assert.equal(inputKind(time, {}), 'time');
    assert.equal(inputKind(site, {}), 'text');
    assert.equal(editOf(fixed), null, 'edit null: not editable');
    assert.equal(editOf(tags), null, 'a list column is never editable');
    assert.equal(editOf({ ...price, edit: undefined }), null, 'edit absent: not editable');
  });

  test('the input is named after the column and row', () => {
    assert.equal(editLabel(price, { kind: 'row', index: 3 }), 'Edit PRICE, row 3');
    assert.equal(editLabel(price, { kind: 'added', at: 0 }), 'Edit PRICE, new row 1');
  });
});

describe('edits: what cells show and where inputs start', () => {
  const specs = [price, name, ok];
  test('an edited cell shows the server formatting only for the value the server holds', () => {
    const server = E({ edited: { '3': { price: 5 } } });
    const shown: EditsShown = { edited: { '3': { price: '$5.00' } }, added: [] };
    assert.equal(shownEdit(price, server, server, shown, 3), '$5.00');
    const typed = setCell(server, { kind: 'row', index: 3 }, 'price', 6);
    assert.equal(shownEdit(price, typed, server, shown, 3), '6', 'the raw value until the rerun');
    assert.equal(shownEdit(price, typed, server, shown, 4), undefined, 'not edited');
    const cleared = setCell(server, { kind: 'row', index: 3 }, 'price', null);
    assert.equal(shownEdit(price, cleared, server, shown, 3), null);
    const checked = setCell(server, { kind: 'row', index: 3 }, 'ok', true);
    assert.equal(shownEdit(ok, checked, server, shown, 3), true);
  });

  test('an added row shows the server cells while the server holds it as it is', () => {
    const server = E({ added: [{ price: 1, name: 'Kettle', ok: true }] });
    const shown: EditsShown = { edited: {}, added: [['$1.00', 'Kettle', true]] };
    assert.deepEqual(shownAdded(specs, server, server, shown, 0), ['$1.00', 'Kettle', true]);
    const local = setCell(server, { kind: 'added', at: 0 }, 'price', 2);
    assert.deepEqual(shownAdded(specs, local, server, shown, 0), ['2', 'Kettle', true]);
    const more = addRow(server);
    assert.deepEqual(shownAdded(specs, more, server, shown, 1), [null, null, null]);
  });

  test('inputs start from the edit, else from the server cell read back', () => {
    const e = (c: ColumnSpec) => editOf(c) as ColumnEdit;
    assert.equal(draftFor(price, e(price), 5, '$9.00'), '5');
    assert.equal(draftFor(price, e(price), null, '$9.00'), '');
    assert.equal(draftFor(price, e(price), undefined, '$1,234.50'), '1234.5');
    assert.equal(draftFor(price, e(price), undefined, '-3'), '-3');
    assert.equal(draftFor(name, e(name), undefined, 'Kettle'), 'Kettle');
    assert.equal(draftFor(site, e(site), undefined, ['https://a.example', 'A']), 'https://a.example');
    assert.equal(draftFor(day, e(day), undefined, '2024-01-05'), '2024-01-05');
    assert.equal(draftFor(at, e(at), undefined, '2024-01-05 08:30'), '2024-01-05T08:30:00');
    assert.equal(draftFor(time, e(time), undefined, '8:05 pm'), '20:05:00');
    assert.equal(draftFor(price, e(price), undefined, null), '');
    assert.equal(numberFrom('42%'), 42);
    assert.equal(numberFrom('(12.5)'), -12.5);
    assert.equal(numberFrom('n/a'), null);
  });
});

describe('a data editor is a widget for forms and fragments', () => {
  const editor = (id: string): DataEditorEl => ({
    kind: 'data_editor',
    frame: 'f',
    row_count: 0,
    columns: [],
    index: null,
    head: { start: 0, total: 0, index: [], rows: [] },
    height: 0,
    width: null,
    download: '/d.csv',
    selection: null,
    toolbar: true,
    editor: { id, dynamic: true, disabled: false, value: E(), shown: { edited: {}, added: [] } },
  });
  const set = (path: number[], el: Element): DeltaOp => ({ op: 'set', path, el });
  test('enclosing finds it by editor.id; commits inside a form wait, inside a fragment name it', () => {
    const tree = applyOps(
      emptyTree(),
      [
        set([0, 0], { kind: 'fragment', id: 'fG' }),
        set([0, 0, 0], editor('ed')),
        set([0, 1], { kind: 'form', id: 'F', border: true }),
        set([0, 1, 0], editor('inForm')),
        set([0, 1, 1], { kind: 'form_submit', id: 'go', label: 'Go' }),
      ],
      1,
    );
    assert.deepEqual(enclosing(tree, 'ed'), { form: null, fragment: 'fG' });
    assert.deepEqual(enclosing(tree, 'inForm'), { form: 'F', fragment: null });
    const sent: ClientMessage[] = [];
    const actions = new Actions((m) => sent.push(m), () => tree);
    const value = setCell(NO_EDITS, { kind: 'row', index: 3 }, 'price', 5);
    actions.commit('ed', value);
    assert.deepEqual(sent, [{ type: 'rerun', widgets: { ed: value }, trigger: null, fragment: 'fG' }]);
    actions.commit('inForm', value);
    assert.equal(sent.length, 1, 'held for the form');
    assert.deepEqual(actions.held('inForm'), value);
    actions.submit('go');
    assert.deepEqual(sent[1], { type: 'rerun', widgets: { inForm: value }, trigger: 'go', fragment: null });
  });
});
