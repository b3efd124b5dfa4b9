// Pure logic behind the data editor (components/elements/editor.tsx): the
// edits (the widget's value: edited cells, added rows, deleted rows), what an
// edited or added cell shows, checking a typed value against the column's
// `edit` constraints, the text an input starts from, and the footer count.
// No DOM here.

import { countText } from './dataframe';
import type { ColumnEdit, ColumnSpec, Edits, EditsShown, Json } from './protocol';

export const NO_EDITS: Edits = Object.freeze({ edited: {}, added: [], deleted: [] }) as unknown as Edits;
export const NO_SHOWN: EditsShown = Object.freeze({ edited: {}, added: [] }) as unknown as EditsShown;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isJson(v: unknown): v is Json {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) || Array.isArray(v) || isObject(v);
}

function cellsOf(v: unknown): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (isJson(x)) out[k] = x;
  return out;
}

/** Deleted positions: whole numbers ≥ 0, ascending, each once. */
function sortedPositions(rows: readonly unknown[]): number[] {
  const set = new Set<number>();
  for (const r of rows) if (typeof r === 'number' && Number.isInteger(r) && r >= 0) set.add(r);
  return [...set].sort((a, b) => a - b);
}

/** Edits from the wire (or a form's held value), made safe to read. */
export function asEdits(v: unknown): Edits {
  if (!isObject(v)) return { edited: {}, added: [], deleted: [] };
  const edited: Edits['edited'] = {};
  if (isObject(v.edited)) {
    for (const [row, cells] of Object.entries(v.edited)) {
      if (!/^\d+$/.test(row)) continue;
      const c = cellsOf(cells);
      if (Object.keys(c).length > 0) edited[String(Number(row))] = c;
    }
  }
  const added = Array.isArray(v.added) ? v.added.map(cellsOf) : [];
  const deleted = Array.isArray(v.deleted) ? sortedPositions(v.deleted) : [];
  return { edited, added, deleted };
}

/** Cells shown for edits, from the wire, made safe to read. */
export function asShown(v: unknown): EditsShown {
  if (!isObject(v)) return NO_SHOWN;
  const edited: EditsShown['edited'] = {};
  if (isObject(v.edited)) for (const [row, cells] of Object.entries(v.edited)) edited[row] = cellsOf(cells);
  const added = Array.isArray(v.added) ? v.added.map((r) => (Array.isArray(r) ? (r as Json[]) : [])) : [];
  return { edited, added };
}

/** Whether two JSON values are the same. */
export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as Json[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ao = a as Record<string, Json>;
  const bo = b as Record<string, Json>;
  const ka = Object.keys(ao);
  if (ka.length !== Object.keys(bo).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && sameJson(ao[k], bo[k]));
}

// ----- rows -----

/** A row of an editor: a row of the frame (its original position), or an added row (its place in `added`). */
export type RowRef = { kind: 'row'; index: number } | { kind: 'added'; at: number };

/** A short string naming a row ("r12", "a0"). */
export function rowKey(ref: RowRef): string {
  return ref.kind === 'row' ? 'r' + ref.index : 'a' + ref.at;
}

/** The row a `rowKey` names (null: not a key). */
export function parseRowKey(key: string): RowRef | null {
  const m = /^([ra])(\d+)$/.exec(key);
  if (!m) return null;
  const n = Number(m[2]);
  return m[1] === 'r' ? { kind: 'row', index: n } : { kind: 'added', at: n };
}

// ----- changing the edits (each returns new edits; the input is not changed) -----

/**
 * Sets one cell: of a row of the frame (replacing an earlier edit of that
 * cell) or of an added row. `null` empties the cell. Edits to an added row
 * that is not there change nothing.
 */
export function setCell(edits: Edits, ref: RowRef, column: string, value: Json): Edits {
  if (ref.kind === 'row') {
    const key = String(ref.index);
    const row = { ...(edits.edited[key] ?? {}), [column]: value };
    return { edited: { ...edits.edited, [key]: row }, added: edits.added, deleted: edits.deleted };
  }
  if (ref.at < 0 || ref.at >= edits.added.length) return edits;
  const added = edits.added.slice();
  added[ref.at] = { ...added[ref.at], [column]: value };
  return { edited: edits.edited, added, deleted: edits.deleted };
}

/** The new value of a cell, if it was edited (undefined: not edited). */
export function cellEdit(edits: Edits, ref: RowRef, column: string): Json | undefined {
  const cells = ref.kind === 'row' ? edits.edited[String(ref.index)] : edits.added[ref.at];
  return cells && Object.prototype.hasOwnProperty.call(cells, column) ? cells[column] : undefined;
}

/** Appends an empty row (after every row of the frame). */
export function addRow(edits: Edits): Edits {
  return { edited: edits.edited, added: [...edits.added, {}], deleted: edits.deleted };
}

/**
 * Deletes rows: rows of the frame join `deleted` (they stay in the grid,
 * struck through; their edits are kept for a restore), added rows are
 * removed from `added` (the ones after them move up).
 */
export function deleteRows(edits: Edits, refs: readonly RowRef[]): Edits {
  const rows = refs.flatMap((r) => (r.kind === 'row' ? [r.index] : []));
  const gone = new Set(refs.flatMap((r) => (r.kind === 'added' ? [r.at] : [])));
  return {
    edited: edits.edited,
    added: gone.size > 0 ? edits.added.filter((_, i) => !gone.has(i)) : edits.added,
    deleted: rows.length > 0 ? sortedPositions([...edits.deleted, ...rows]) : edits.deleted,
  };
}

/** Undeletes rows of the frame (original positions). */
export function restoreRows(edits: Edits, rows: readonly number[]): Edits {
  const back = new Set(rows);
  return { edited: edits.edited, added: edits.added, deleted: edits.deleted.filter((r) => !back.has(r)) };
}

/** Whether a row of the frame is deleted. */
export function isDeleted(edits: Edits, index: number): boolean {
  // `deleted` is short and sorted: a binary search would do, this is enough.
  return edits.deleted.includes(index);
}

/** Rows after the edits: the frame's, plus the added ones, minus the deleted ones. */
export function rowsAfterEdits(rowCount: number, edits: Edits): number {
  const deleted = edits.deleted.filter((r) => r < rowCount).length;
  return Math.max(0, rowCount - deleted) + edits.added.length;
}

/**
 * The footer: "N rows × M columns", N counting the edits. While searching,
 * `matched` rows of the frame match (added rows are always shown):
 * "X of N rows × M columns".
 */
export function editorFooter(rowCount: number, columns: number, edits: Edits, matched: number | null = null): string {
  const rows = countText(rowsAfterEdits(rowCount, edits), 'row', 'rows');
  const cols = countText(columns, 'column', 'columns');
  if (matched === null) return `${rows} × ${cols}`;
  return `${(matched + edits.added.length).toLocaleString('en-US')} of ${rows} × ${cols}`;
}

// ----- what cells show -----

/**
 * A cell showing a raw value the person typed (until the server formats
 * it): as the column's cells are on the wire.
 */
export function rawCell(spec: ColumnSpec, v: Json | undefined): Json {
  if (v === undefined || v === null) return null;
  if (spec.type === 'checkbox') return typeof v === 'boolean' ? v : null;
  if (spec.type === 'link') return typeof v === 'string' ? [v, v] : null;
  if (typeof v === 'number') return String(v);
  return v;
}

/**
 * What the edited cell `column` of row `index` shows: the server's
 * formatting (`shown`) when the server holds that very value (`server`),
 * else the raw value (`value`, the edits as the page has them). Undefined:
 * the cell is not edited.
 */
export function shownEdit(
  spec: ColumnSpec,
  value: Edits,
  server: Edits,
  shown: EditsShown,
  index: number,
  column = spec.name,
): Json | undefined {
  const raw = cellEdit(value, { kind: 'row', index }, column);
  if (raw === undefined) return undefined;
  const key = String(index);
  const formatted = shown.edited[key];
  if (formatted && Object.prototype.hasOwnProperty.call(formatted, column)) {
    if (sameJson(cellEdit(server, { kind: 'row', index }, column), raw)) return formatted[column] as Json;
  }
  return rawCell(spec, raw);
}

/** The cells of added row `at`, one per spec: the server's formatting when it holds that row as it is, else the raw values. */
export function shownAdded(specs: readonly ColumnSpec[], value: Edits, server: Edits, shown: EditsShown, at: number): Json[] {
  const row = value.added[at] ?? {};
  const formatted = shown.added[at];
  if (formatted && at < server.added.length && sameJson(server.added[at] as Json, row as Json)) {
    return specs.map((_, i) => (formatted[i] === undefined ? null : formatted[i]));
  }
  return specs.map((s) => rawCell(s, row[s.name]));
}

// ----- editing a cell -----

/** Column types whose cells can be edited (with an `edit`). */
const EDITABLE_TYPES: ReadonlySet<string> = new Set(['text', 'number', 'checkbox', 'date', 'datetime', 'time', 'link']);

/** The column's constraints when its cells can be edited, else null. */
export function editOf(spec: ColumnSpec): ColumnEdit | null {
  const e = spec.edit;
  if (!e || typeof e !== 'object' || !EDITABLE_TYPES.has(spec.type)) return null;
  return e;
}

/** The control that edits a column's cells. */
export type InputKind = 'number' | 'text' | 'date' | 'datetime-local' | 'time' | 'select' | 'checkbox';

export function inputKind(spec: ColumnSpec, edit: ColumnEdit): InputKind {
  if (Array.isArray(edit.options)) return 'select';
  switch (spec.type) {
    case 'number':
      return 'number';
    case 'checkbox':
      return 'checkbox';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime-local';
    case 'time':
      return 'time';
    default:
      return 'text';
  }
}

export type Parsed = { ok: true; value: Json } | { ok: false; message: string };

function fmt(n: number): string {
  return String(n);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

function validTime(s: string): boolean {
  const m = TIME.exec(s);
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3] ?? 0) < 60;
}

/** "HH:MM" → "HH:MM:SS" (inputs leave out zero seconds). */
function withSeconds(t: string): string {
  return /^\d{2}:\d{2}$/.test(t) ? t + ':00' : t;
}

/**
 * Why `value` may not go into a cell of this column (null: it may). Checks
 * the type (numbers, strings, booleans, ISO dates and times), `required`,
 * `min`/`max`, `integer`, `options` and `max_chars`.
 */
export function validate(spec: ColumnSpec, edit: ColumnEdit, value: Json): string | null {
  if (value === null || (typeof value === 'string' && value.trim() === '')) return edit.required ? 'Required' : null;
  const kind = inputKind(spec, edit);
  if (kind === 'select') {
    return typeof value === 'string' && (edit.options as string[]).includes(value) ? null : 'Not one of the options';
  }
  switch (kind) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Must be a number';
      if (edit.integer && !Number.isInteger(value)) return 'Whole numbers only';
      if (typeof edit.min === 'number' && value < edit.min) return `Must be at least ${fmt(edit.min)}`;
      if (typeof edit.max === 'number' && value > edit.max) return `Must be at most ${fmt(edit.max)}`;
      return null;
    }
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'Must be true or false';
    case 'date':
      return typeof value === 'string' && validDate(value) ? null : 'Must be a date (YYYY-MM-DD)';
    case 'datetime-local': {
      const [d, t] = typeof value === 'string' ? value.split('T') : [];
      return d && t && validDate(d) && validTime(t) ? null : 'Must be a date and time (YYYY-MM-DDTHH:MM:SS)';
    }
    case 'time':
      return typeof value === 'string' && validTime(value) ? null : 'Must be a time (HH:MM:SS)';
    default: {
      if (typeof value !== 'string') return 'Must be text';
      const n = [...value].length;
      if (typeof edit.max_chars === 'number' && n > edit.max_chars) {
        return `At most ${edit.max_chars} ${edit.max_chars === 1 ? 'character' : 'characters'} (${n})`;
      }
      return null;
    }
  }
}

/**
 * The raw value for what was typed into a cell's input, or why it is
 * refused. An empty input is `null` (refused when `required`).
 */
export function parseInput(spec: ColumnSpec, edit: ColumnEdit, text: string): Parsed {
  const kind = inputKind(spec, edit);
  let value: Json;
  const t = kind === 'text' || kind === 'select' ? text : text.trim();
  if (t === '') value = null;
  else if (kind === 'number') {
    const n = Number(t);
    if (!Number.isFinite(n)) return { ok: false, message: 'Must be a number' };
    value = n;
  } else if (kind === 'datetime-local') value = t.replace(' ', 'T').replace(/T(\d{2}:\d{2})$/, 'T$1:00');
  else if (kind === 'time') value = withSeconds(t);
  else value = t;
  const message = validate(spec, edit, value);
  return message === null ? { ok: true, value } : { ok: false, message };
}

/** The number in a cell the server formatted ("$1,234.50" → 1234.5; "42%" → 42), or null. */
export function numberFrom(text: string): number | null {
  let s = text.trim();
  const negative = /^\(.*\)$/.test(s) || /^[^\d]*[-−]/.test(s);
  s = s.replace(/,(?=\d{3}(\D|$))/g, '');
  const m = /\d+(\.\d+)?([eE][-+]?\d+)?|\.\d+/.exec(s);
  if (!m) return null;
  const n = Number(m[0]);
  if (!Number.isFinite(n)) return null;
  return negative ? -n : n;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The text an input starts from. `raw`: the cell's edited value (exact);
 * else the cell as the server formatted it, read back as well as possible
 * (numbers lose their formatting; dates in another format than ISO are
 * parsed by the browser, or left empty).
 */
export function draftFor(spec: ColumnSpec, edit: ColumnEdit, raw: Json | undefined, cell: Json | undefined): string {
  const kind = inputKind(spec, edit);
  if (raw !== undefined) {
    if (raw === null) return '';
    if (kind === 'datetime-local' && typeof raw === 'string') return raw;
    return typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '';
  }
  if (cell === null || cell === undefined) return '';
  if (spec.type === 'link') {
    const href = Array.isArray(cell) ? cell[0] : cell;
    return typeof href === 'string' ? href : '';
  }
  const text = typeof cell === 'string' ? cell : typeof cell === 'number' ? String(cell) : '';
  switch (kind) {
    case 'number': {
      const n = numberFrom(text);
      return n === null ? '' : String(n);
    }
    case 'date': {
      const m = /^(\d{4}-\d{2}-\d{2})/.exec(text);
      if (m) return m[1] as string;
      const d = new Date(text);
      return Number.isNaN(d.getTime()) ? '' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    }
    case 'datetime-local': {
      const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2})?)/.exec(text);
      if (m) return `${m[1]}T${withSeconds(m[2] as string)}`;
      const d = new Date(text);
      if (Number.isNaN(d.getTime())) return '';
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    }
    case 'time': {
      const m = /(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(text);
      if (!m) return '';
      let h = Number(m[1]);
      if (/pm/i.test(text) && h < 12) h += 12;
      if (/am/i.test(text) && h === 12) h = 0;
      return `${pad(h)}:${m[2]}:${m[3] ?? '00'}`;
    }
    default:
      return text;
  }
}

/** The accessible name of a cell's input. */
export function editLabel(spec: ColumnSpec, ref: RowRef): string {
  return `Edit ${spec.label}, ${ref.kind === 'row' ? 'row ' + ref.index : 'new row ' + (ref.at + 1)}`;
}
