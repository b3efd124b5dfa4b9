// The data editor: the dataframe grid (dataframe.tsx) with an editing layer.
//
// The rows stay on the server; the person's edits are the widget's value (a
// small change list, edits.ts) committed with `actions.commit(editor.id,
// edits)` through `useLocal`: shown at once, held inside a form until its
// submit, replaced by the server's `editor.value` after the rerun.
//
// DOM, on top of the grid's: an edited cell has `.bk-de-edited`; a cell
// being edited (`.bk-de-editing`) holds `input.bk-de-input` (or
// `select.bk-de-input`) named "Edit <label>, row <n>" ("…, new row <k>" in
// an added row) and, when the value is refused, `.bk-de-msg[role=alert]`
// with the input `aria-invalid`. Deleted rows are `.bk-de-deleted` with
// `aria-label="deleted"`, added rows `.bk-de-new` (after every row of the
// frame). Cells that cannot be edited are `aria-readonly`. Under the grid,
// `.bk-de-bar` holds the buttons "Add row", "Delete selected rows" and
// "Restore selected rows" (dynamic editors only).

import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CachedRow, Cursor } from '../../dataframe';
import {
  addRow,
  asEdits,
  asShown,
  cellEdit,
  deleteRows,
  draftFor,
  editLabel,
  editOf,
  editorFooter,
  inputKind,
  isDeleted,
  parseInput,
  parseRowKey,
  restoreRows,
  rowKey,
  sameJson,
  setCell,
  shownAdded,
  shownEdit,
  type InputKind,
  type RowRef,
} from '../../edits';
import type { ColumnEdit, DataEditorEl, EditorState, Edits, Json } from '../../protocol';
import { domId } from '../common';
import type { LeafProps } from '../props';
import { useLocal, WidgetError } from '../widgets/common';
import { DataframeView, type GridCtx, type GridLayer, type RowLook } from './dataframe';

const NONE: ReadonlySet<never> = new Set();

/** How an editing ends: the key (or the focus leaving) that ended it. */
type Finish = 'enter' | 'tab' | 'shift-tab' | 'blur';

/** The cell being edited. */
interface Editing {
  ref: RowRef;
  /** Cell index (the column's place in `columns`). */
  cell: number;
  /** What the input holds, and what it started from (unchanged: nothing to commit). */
  draft: string;
  initial: string;
  /** Why the last commit was refused. */
  error: string | null;
  /** Put the focus in the input when it is drawn. */
  focus: boolean;
  /** Select the input's text when focused (else the caret goes at the end). */
  select: boolean;
}

/** What a cell's input calls back (one object for the editor's life). */
interface EditorHandlers {
  input(text: string): void;
  /**
   * Tries to commit `text` (what the input holds); false when the value was
   * refused (the input stays). `bad`: the browser could not read the input.
   */
  commit(how: Finish, text: string, bad: boolean): boolean;
  cancel(): void;
}

// ----- the input in a cell -----

function CellInput(p: {
  kind: InputKind;
  edit: ColumnEdit;
  label: string;
  draft: string;
  error: string | null;
  focus: boolean;
  select: boolean;
  msgId: string;
  on: EditorHandlers;
}) {
  const ref = useRef<HTMLInputElement & HTMLSelectElement>(null);
  const msgRef = useRef<HTMLDivElement>(null);
  /** The commit is done (a blur after it is not another one). */
  const done = useRef(false);

  useLayoutEffect(() => {
    const input = ref.current;
    if (!input || !p.focus) return;
    input.focus({ preventScroll: true });
    if (p.kind === 'text' || p.kind === 'number') {
      if (p.select) input.select();
      else if (p.kind === 'text') input.setSelectionRange(input.value.length, input.value.length);
    }
  }, []);

  // The message is fixed-positioned next to the cell (the grid's scroll box
  // would clip it in a small grid): under it, or above it near the bottom of
  // the window; hidden while the cell is scrolled out of the grid's view.
  useLayoutEffect(() => {
    const msg = msgRef.current;
    const cell = msg?.parentElement;
    if (!msg || !cell) return;
    const grid = msg.closest('.bk-df-scroll');
    const place = () => {
      const c = cell.getBoundingClientRect();
      const g = grid?.getBoundingClientRect() ?? c;
      const head = grid?.querySelector('.bk-df-head')?.getBoundingClientRect().bottom ?? g.top;
      const shown = c.bottom > head + 4 && c.top < g.bottom - 4 && c.right > g.left + 4 && c.left < g.right - 4;
      msg.style.visibility = shown ? '' : 'hidden';
      const w = msg.offsetWidth;
      const h = msg.offsetHeight;
      const up = c.bottom + h > window.innerHeight - 4 && c.top - h >= 4;
      msg.dataset.side = up ? 'up' : 'down';
      msg.style.top = (up ? c.top - h + 2 : c.bottom - 2) + 'px';
      const left = cell.classList.contains('bk-df-right') ? c.right - w : c.left;
      msg.style.left = Math.max(4, Math.min(left, window.innerWidth - w - 4)) + 'px';
    };
    place();
    window.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      window.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
  }, [p.error]);

  const finish = (how: Finish): boolean => {
    const input = ref.current;
    done.current = true;
    const ok = p.on.commit(how, input ? input.value : p.draft, !!input?.validity?.badInput);
    if (!ok) done.current = false;
    return ok;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.isComposing) {
      e.preventDefault();
      e.stopPropagation();
      finish('enter');
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      done.current = true;
      p.on.cancel();
    } else if (e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      finish(e.shiftKey ? 'shift-tab' : 'tab');
    }
  };

  const onBlur = () => {
    if (!done.current) finish('blur');
  };
  const onInput = (e: Event) => {
    done.current = false;
    p.on.input((e.currentTarget as HTMLInputElement).value);
  };

  const invalid = p.error !== null;
  const common = {
    ref,
    class: 'bk-de-input',
    'aria-label': p.label,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': invalid ? p.msgId : undefined,
    onKeyDown,
    onBlur,
    onMouseDown: (e: MouseEvent) => e.stopPropagation(),
    onDblClick: (e: MouseEvent) => e.stopPropagation(),
  };
  let control;
  if (p.kind === 'select') {
    const options = (p.edit.options ?? []).slice();
    if (p.draft !== '' && !options.includes(p.draft)) options.unshift(p.draft);
    control = (
      <select {...common} value={p.draft} onChange={onInput}>
        {!p.edit.required || p.draft === '' ? <option value="">—</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    const num = p.kind === 'number';
    const step = num ? (typeof p.edit.step === 'number' && p.edit.step > 0 ? p.edit.step : p.edit.integer ? 1 : 'any') : undefined;
    control = (
      <input
        {...common}
        // One of text, number, date, datetime-local, time (preact types each apart).
        type={p.kind as 'text'}
        value={p.draft}
        min={num && typeof p.edit.min === 'number' ? p.edit.min : undefined}
        max={num && typeof p.edit.max === 'number' ? p.edit.max : undefined}
        step={p.kind === 'datetime-local' || p.kind === 'time' ? 1 : step}
        autoComplete="off"
        spellcheck={p.kind === 'text' ? false : undefined}
        onInput={onInput}
      />
    );
  }
  return (
    <>
      {control}
      {invalid && (
        <div ref={msgRef} id={p.msgId} class="bk-de-msg" role="alert">
          {p.error}
        </div>
      )}
    </>
  );
}

// ----- the layer -----

/** The message for an input the browser could not read. */
function badInputMessage(kind: InputKind): string {
  switch (kind) {
    case 'number':
      return 'Must be a number';
    case 'date':
      return 'Must be a date (YYYY-MM-DD)';
    case 'datetime-local':
      return 'Must be a date and time (YYYY-MM-DDTHH:MM:SS)';
    case 'time':
      return 'Must be a time (HH:MM:SS)';
    default:
      return 'Not a valid value';
  }
}

/** A key that starts editing with itself (typing over a cell). */
function typedKey(e: KeyboardEvent, kind: InputKind): boolean {
  if (e.ctrlKey || e.metaKey || e.key.length !== 1 || e.key === ' ') return false;
  if (kind === 'number') return /[\d.+-]/.test(e.key);
  return kind === 'text';
}

const heldCache = new WeakMap<object, Edits>();
/** A value held in a form, read as edits (the same object each time it is asked for). */
function heldEdits(v: unknown): Edits {
  if (typeof v !== 'object' || v === null) return asEdits(v);
  let e = heldCache.get(v);
  if (!e) heldCache.set(v, (e = asEdits(v)));
  return e;
}

function useEditLayer(el: DataEditorEl, ctx: GridCtx, path: string): GridLayer {
  const editor = el.editor;
  const specs = Array.isArray(el.columns) ? el.columns : [];
  const disabled = !!editor.disabled;
  const dynamic = !!editor.dynamic && !disabled;
  const rowCount = typeof el.row_count === 'number' ? el.row_count : 0;

  const server = useMemo(() => asEdits(editor.value), [editor.value]);
  const shown = useMemo(() => asShown(editor.shown), [editor.shown]);
  const local = useLocal<Edits>(editor, server, heldEdits);
  const value = local.value;
  const [checkedKeys, setChecked] = useState<ReadonlySet<string>>(NONE);
  const [editing, setEditing] = useState<Editing | null>(null);
  /** A cell to make active once the grid has drawn the rows a change added. */
  const reveal = useRef<Cursor | null>(null);

  /** Cells (by cell index) that can be edited. */
  const editable = useMemo(() => {
    const out = new Set<number>();
    if (!disabled) specs.forEach((s, i) => editOf(s) && out.add(i));
    return out;
  }, [specs, disabled]);

  // Checked rows that are still there (an added row the server dropped is not).
  const checked = useMemo(() => {
    const out = new Set<string>();
    for (const k of checkedKeys) {
      const ref = parseRowKey(k);
      if (ref && (ref.kind === 'row' || ref.at < value.added.length)) out.add(k);
    }
    return out;
  }, [checkedKeys, value]);

  useLayoutEffect(() => {
    if (reveal.current) {
      ctx.moveTo(reveal.current);
      reveal.current = null;
    }
  });

  const commit = (next: Edits) => local.commit(next, next);

  /** The row at view position `pos` (null: not here yet). */
  const refAt = (pos: number): RowRef | null => {
    if (pos < 0) return null;
    if (pos >= ctx.viewRows) {
      const at = pos - ctx.viewRows;
      return at < value.added.length ? { kind: 'added', at } : null;
    }
    const got = ctx.row(pos);
    return got && !got.stale ? { kind: 'row', index: got.row.index } : null;
  };

  /** The editable cell at `cur`: its row, column and constraints (null: none). */
  const cellAt = (cur: Cursor) => {
    const col = ctx.layout.columns[cur.col];
    if (!col || col.kind !== 'data' || !editable.has(col.cell)) return null;
    const ref = refAt(cur.row);
    if (!ref || (ref.kind === 'row' && isDeleted(value, ref.index))) return null;
    const edit = editOf(col.spec) as ColumnEdit;
    return { ref, spec: col.spec, cell: col.cell, edit, kind: inputKind(col.spec, edit) };
  };

  /** The server's cell (formatted) under an edit. */
  const serverCell = (ref: RowRef, cell: number, pos: number): Json | undefined => {
    if (ref.kind !== 'row') return undefined;
    return ctx.row(pos)?.row.cells[cell];
  };

  const startEdit = (cur: Cursor, typed: string | null = null, error: string | null = null): boolean => {
    const c = cellAt(cur);
    if (!c || c.kind === 'checkbox') return false;
    const initial = draftFor(c.spec, c.edit, cellEdit(value, c.ref, c.spec.name), serverCell(c.ref, c.cell, cur.row));
    setEditing({
      ref: c.ref,
      cell: c.cell,
      draft: typed ?? (error !== null ? '' : initial),
      initial,
      error,
      focus: true,
      select: typed === null,
    });
    return true;
  };

  const toggle = (cur: Cursor): boolean => {
    const c = cellAt(cur);
    if (!c || c.kind !== 'checkbox') return false;
    const now = cellEdit(value, c.ref, c.spec.name);
    const on = now !== undefined ? now === true : serverCell(c.ref, c.cell, cur.row) === true;
    setEditing(null);
    commit(setCell(value, c.ref, c.spec.name, !on));
    return true;
  };

  /** Delete/Backspace: empties the cell (a required one says so, in the cell). */
  const clear = (cur: Cursor): boolean => {
    const c = cellAt(cur);
    if (!c) return false;
    if (c.edit.required) {
      if (c.kind !== 'checkbox') startEdit(cur, null, 'Required');
      return true;
    }
    commit(setCell(value, c.ref, c.spec.name, null));
    return true;
  };

  const toggleCheck = (pos: number) => {
    const ref = refAt(pos);
    if (!ref || !dynamic) return;
    const key = rowKey(ref);
    const next = new Set(checked);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setChecked(next);
  };

  const checkedRefs = [...checked].map(parseRowKey).filter((r): r is RowRef => r !== null);
  const toDelete = checkedRefs.filter((r) => r.kind === 'added' || !isDeleted(value, r.index));
  const toRestore = checkedRefs.flatMap((r) => (r.kind === 'row' && isDeleted(value, r.index) ? [r.index] : []));

  const add = () => {
    const at = value.added.length;
    commit(addRow(value));
    setChecked(NONE);
    const pos = ctx.viewRows + at;
    // The first editable cell that has an input (checkboxes are toggled, not edited).
    const col = ctx.layout.columns.findIndex(
      (c) => c.kind === 'data' && editable.has(c.cell) && c.spec.type !== 'checkbox',
    );
    const first = col >= 0 ? col : ctx.layout.columns.findIndex((c) => c.kind === 'data' && editable.has(c.cell));
    reveal.current = { row: pos, col: Math.max(0, first) };
    const c = ctx.layout.columns[col];
    if (c?.kind === 'data') {
      setEditing({ ref: { kind: 'added', at }, cell: c.cell, draft: '', initial: '', error: null, focus: true, select: true });
    } else {
      setEditing(null);
      ctx.focus();
    }
  };

  const remove = () => {
    if (toDelete.length === 0) return;
    setEditing(null);
    setChecked(NONE);
    commit(deleteRows(value, toDelete));
  };

  const restore = () => {
    if (toRestore.length === 0) return;
    setChecked(NONE);
    commit(restoreRows(value, toRestore));
  };

  // The input's callbacks read the latest render's state through this object.
  const on = useRef<EditorHandlers>({ input() {}, commit: () => true, cancel() {} }).current;
  on.input = (text) => {
    setEditing((e) => (e ? { ...e, draft: text, focus: true } : e));
  };
  on.cancel = () => {
    setEditing(null);
    ctx.focus();
  };
  on.commit = (how, text, bad) => {
    if (!editing) return true;
    const e = { ...editing, draft: text };
    const spec = specs[e.cell];
    const edit = spec ? editOf(spec) : null;
    if (!spec || !edit || disabled) {
      setEditing(null);
      return true;
    }
    const kind = inputKind(spec, edit);
    const parsed = bad
      ? ({ ok: false, message: badInputMessage(kind) } as const)
      : e.draft === e.initial
        ? null
        : parseInput(spec, edit, e.draft);
    if (parsed && !parsed.ok) {
      setEditing({ ...e, error: parsed.message, focus: how !== 'blur' });
      return false;
    }
    setEditing(null);
    if (parsed && !sameJson(cellEdit(value, e.ref, spec.name), parsed.value)) {
      commit(setCell(value, e.ref, spec.name, parsed.value));
    }
    if (how !== 'blur') {
      ctx.focus();
      if (how !== 'enter') {
        const cur = ctx.cursor;
        const last = ctx.layout.columns.length - 1;
        ctx.moveTo({ row: cur.row, col: Math.max(0, Math.min(last, cur.col + (how === 'tab' ? 1 : -1))) });
      }
    }
    return true;
  };

  // ----- row looks: one object per row while nothing about it changes -----

  const looks = useMemo(() => new Map<string, { src: CachedRow | null; look: RowLook }>(), [value, server, shown, checked, editable, specs]);
  const idBase = domId(path, '-de');

  const look = (i: number, row: CachedRow | null): RowLook | null => {
    let ref: RowRef;
    if (i >= ctx.viewRows) {
      const at = i - ctx.viewRows;
      if (at >= value.added.length) return null;
      ref = { kind: 'added', at };
    } else if (row) ref = { kind: 'row', index: row.index };
    else return null;
    const key = rowKey(ref);
    let entry = looks.get(key);
    if (!entry || entry.src !== row) {
      let drawn: CachedRow;
      let edited: Set<number> | null = null;
      let deleted = false;
      if (ref.kind === 'added') {
        drawn = { index: -1, cells: shownAdded(specs, value, server, shown, ref.at) };
      } else {
        const base = row as CachedRow;
        drawn = base;
        if (value.edited[String(ref.index)]) {
          const cells = base.cells.slice();
          specs.forEach((spec, ci) => {
            const v = shownEdit(spec, value, server, shown, ref.index);
            if (v !== undefined) {
              cells[ci] = v;
              (edited ??= new Set()).add(ci);
            }
          });
          if (edited) drawn = { index: base.index, cells };
        }
        deleted = isDeleted(value, ref.index);
      }
      const added = ref.kind === 'added';
      entry = {
        src: row,
        look: {
          row: drawn,
          edited,
          editable: deleted ? NONE : editable,
          deleted,
          added,
          indexText: added ? '+' + (ref.kind === 'added' ? ref.at + 1 : '') : null,
          checked: checked.has(key),
          checkLabel: ref.kind === 'added' ? `Select new row ${ref.at + 1}` : `Select row ${ref.index}`,
          label: deleted ? 'deleted' : undefined,
          editing: -1,
          editor: null,
        },
      };
      looks.set(key, entry);
    }
    if (!editing || rowKey(editing.ref) !== key || entry.look.deleted) return entry.look;
    // The row being edited: drawn afresh each time (its input follows the typing).
    const spec = specs[editing.cell];
    const edit = spec ? editOf(spec) : null;
    if (!spec || !edit) return entry.look;
    return {
      ...entry.look,
      editing: editing.cell,
      editor: (
        <CellInput
          key={key + ':' + editing.cell}
          kind={inputKind(spec, edit)}
          edit={edit}
          label={editLabel(spec, editing.ref)}
          draft={editing.draft}
          error={editing.error}
          focus={editing.focus}
          select={editing.select}
          msgId={idBase + '-msg'}
          on={on}
        />
      ),
    };
  };

  // ----- keys and clicks on the grid -----

  const key = (e: KeyboardEvent, cur: Cursor): boolean => {
    if (cur.row < 0 || e.ctrlKey || e.metaKey) return false;
    const col = ctx.layout.columns[cur.col];
    switch (e.key) {
      case 'Enter':
      case 'F2':
        if (col?.kind === 'select') {
          toggleCheck(cur.row);
          return true;
        }
        return toggle(cur) || startEdit(cur);
      case ' ':
      case 'Spacebar':
        if (toggle(cur)) return true;
        if (dynamic) {
          toggleCheck(cur.row);
          return true;
        }
        return false;
      case 'Delete':
      case 'Backspace':
        return clear(cur);
      default: {
        const c = cellAt(cur);
        if (c && typedKey(e, c.kind)) return startEdit(cur, e.key);
        return false;
      }
    }
  };

  const click = (cur: Cursor, e: MouseEvent) => {
    if ((e.target as Element).closest?.('.bk-de-input, .bk-de-msg')) return;
    toggle(cur);
  };

  const dblclick = (cur: Cursor, e: MouseEvent) => {
    if ((e.target as Element).closest?.('.bk-de-input, .bk-de-msg, a')) return;
    startEdit(cur);
  };

  const controls = dynamic ? (
    <div class="bk-de-bar">
      <button type="button" class="bk-de-btn bk-de-add" onClick={add}>
        <span aria-hidden="true" class="bk-de-plus">
          +
        </span>
        Add row
      </button>
      <button
        type="button"
        class="bk-de-btn bk-de-delete"
        aria-label="Delete selected rows"
        disabled={toDelete.length === 0}
        onClick={remove}
      >
        Delete<span class="bk-de-long"> selected rows</span>
      </button>
      {toRestore.length > 0 && (
        <button type="button" class="bk-de-btn bk-de-restore" aria-label="Restore selected rows" onClick={restore}>
          Restore<span class="bk-de-long"> selected rows</span>
        </button>
      )}
    </div>
  ) : null;

  return {
    extraRows: value.added.length,
    checks: dynamic,
    readonly: disabled,
    look,
    key,
    click,
    dblclick,
    toggleCheck,
    footer: (matched) => editorFooter(rowCount, specs.length, value, matched),
    controls,
  };
}

/** A data editor: the grid, with its editing layer, and the error line of its value. */
export function DataEditorView({ el, path }: LeafProps<DataEditorEl>) {
  // An element without its editor (not from a server that knows editors) shows read-only.
  const e: DataEditorEl = el.editor ? el : { ...el, editor: NO_EDITOR };
  const id = e.editor.id;
  return (
    <>
      <DataframeView key={id} el={e} path={path} useLayer={(ctx) => useEditLayer(e, ctx, path)} />
      {id && <WidgetError id={id} />}
    </>
  );
}

const NO_EDITOR: EditorState = {
  id: '',
  dynamic: false,
  disabled: true,
  value: { edited: {}, added: [], deleted: [] },
  shown: { edited: {}, added: [] },
};
