// The wire protocol (docs/protocol.md), as TypeScript types. Field names
// follow crates/brooklet/src/protocol/mod.rs, which is authoritative.

export const PROTOCOL_VERSION = 1;

import type { ChartElement, ChartSelectionValue } from './charts/protocol';

export type * from './charts/protocol';

export type Path = number[];
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ----- client → server -----

export type ClientMessage =
  | { type: 'hello'; protocol: number; session_id: string | null; query: string }
  | RerunMessage
  | { type: 'stop' }
  | { type: 'heartbeat' }
  | WindowRequest;

export type RerunMessage = {
  type: 'rerun';
  widgets: Record<string, WidgetValue>;
  trigger: string | null;
  /** The fragment to rerun (the nearest one around the change); null: the whole app. */
  fragment?: string | null;
};

/** A dataframe's selection: original row positions (ascending) and column names. */
export type SelectionValue = { rows: number[]; columns: string[] };

export type WidgetValue =
  | boolean
  | string
  | number
  | number[]
  | SelectionValue
  | Edits
  | ChartSelectionValue
  /** file_uploader, camera_input, audio_input: the files the server holds. */
  | UploadedFileRef[]
  | Record<string, unknown>;

/** A dataframe view's sort: by column name (`ColumnSpec.name`). */
export type WindowSort = { column: string; descending: boolean };

/**
 * Asks for rows [start, start + count) of a dataframe's view (sorted by
 * `sort`, filtered by `search`). `view` is the grid's own id, echoed in the
 * reply; the server keeps the latest request per view.
 */
export type WindowRequest = {
  type: 'window';
  /** The grid's id (≤ 64 chars). */
  view: string;
  /** The element's `frame`. */
  frame: string;
  start: number;
  /** 1..=1000. */
  count: number;
  sort: WindowSort | null;
  /** Case-insensitive substring over the shown cells; "" = no filter. */
  search: string;
};

// ----- server → client -----

export interface ClientConfig {
  /** The largest client message the server accepts (bytes of UTF-8 JSON); bigger ones end the connection. */
  max_message_bytes: number;
  heartbeat_ms: number;
  page_title: string;
}

export type RunStatus = 'complete' | 'error' | 'cancelled' | 'stopped';
export type ErrorCode =
  | 'malformed'
  | 'too_large'
  | 'unsupported'
  | 'handshake'
  /** The server is at its session capacity (fatal): try again later, slowly. */
  | 'overloaded'
  | 'protocol';

export type ServerMessage =
  | { type: 'session'; protocol: number; session_id: string; resumed: boolean; config: ClientConfig }
  | { type: 'run_started'; run: number; scope?: Path | null }
  | { type: 'delta'; run: number; ops: DeltaOp[] }
  | { type: 'run_finished'; run: number; status: RunStatus }
  /** With `widget` (and not fatal): about that widget's value, e.g. it was refused. */
  | { type: 'error'; code: ErrorCode; message: string; fatal: boolean; widget?: string | null }
  | { type: 'shutdown'; reason: string }
  | { type: 'heartbeat' }
  | { type: 'query_params'; query: string }
  /** A short note about the run in progress (e.g. waiting for a worker); null clears it. */
  | { type: 'status'; message: string | null }
  | WindowReply;

/**
 * The answer to a `window` request (routed to its grid by `view`, never into
 * the element store). With `error`, `index`/`rows` are empty and `total` is 0.
 */
export type WindowReply = WindowRows & {
  type: 'window';
  view: string;
  frame: string;
  error: string | null;
};

export type DeltaOp =
  | { op: 'set'; path: Path; el: Element }
  | { op: 'seen'; path: Path; len: number }
  | { op: 'truncate'; path: Path; len: number }
  /** Rows appended to the `table` at `path` (its `add_rows`); the rows it has are not sent again. */
  | { op: 'add_rows'; path: Path; rows: Json[][] };

// ----- elements -----

interface WidgetBase {
  id: string;
  label: string;
  help?: string | null;
  disabled?: boolean;
}

export type TitleEl = { kind: 'title'; text: string };
export type HeaderEl = { kind: 'header' | 'subheader'; text: string; divider?: boolean };
export type MarkdownEl = { kind: 'markdown'; text: string; html: string };
export type TextEl = { kind: 'text' | 'caption'; text: string };
export type CodeEl = { kind: 'code'; code: string; language?: string | null };
export type DividerEl = { kind: 'divider' };
export type JsonEl = {
  kind: 'json';
  value: Json;
  expanded: boolean;
  /** How many levels start open (0: closed; 1: the top level, its children closed); absent: `expanded` decides. */
  depth?: number | null;
};
export type MetricEl = {
  kind: 'metric';
  label: string;
  value: string;
  delta?: string | null;
  delta_color?: 'normal' | 'inverse' | 'off';
  help?: string | null;
  /** Draw a border around it. */
  border?: boolean;
  /** Recent values (oldest first), drawn small under the value; absent or null: no chart. */
  chart?: (number | null)[] | null;
  chart_type?: ChartType;
};
/** How a metric's recent values are drawn. */
export type ChartType = 'line' | 'bar' | 'area';
/** Horizontal alignment of a column's cells. */
export type Align = 'left' | 'center' | 'right';
/**
 * A static table: every row in the element. Cells are encoded as a
 * dataframe's (`WindowRows`), by the column's kind in `kinds`; `kinds` and
 * `align` may be empty (text, left).
 */
export type TableEl = { kind: 'table'; columns: string[]; rows: Json[][]; kinds?: ColumnType[]; align?: Align[] };
export type ColumnType =
  | 'text'
  | 'number'
  | 'checkbox'
  | 'date'
  | 'datetime'
  | 'time'
  | 'link'
  | 'progress'
  | 'list'
  | 'image'
  | 'line_chart'
  | 'bar_chart';

/** A dataframe column as the server describes it (its cells arrive formatted). */
export interface ColumnSpec {
  /** The key of sort requests, the CSV `columns` and the selection. */
  name: string;
  /** Header text. */
  label: string;
  type: ColumnType;
  /** Pixels, computed by the server from the whole column. */
  width: number;
  align: Align;
  /** Tooltip on the header. */
  help?: string | null;
  /** Stays visible at the left when scrolling sideways. */
  pinned?: boolean;
  /** False for list/image/chart columns: a header click does nothing. */
  sortable?: boolean;
  /** line_chart/bar_chart: the shared y range (null: per cell). */
  y_min?: number | null;
  y_max?: number | null;
  /** In a data editor: how the column may be edited; null or absent: it may not. */
  edit?: ColumnEdit | null;
}

/** How a data editor's column may be edited (`ColumnSpec.edit`). */
export interface ColumnEdit {
  /** An empty value is refused. */
  required?: boolean;
  /** Numbers: the smallest and largest allowed. */
  min?: number | null;
  max?: number | null;
  /** Numbers: the input's step. */
  step?: number | null;
  /** Numbers: whole numbers only. */
  integer?: boolean;
  /** Text: one of these (edited with a select). */
  options?: string[] | null;
  /** Text: at most this many characters. */
  max_chars?: number | null;
}

/**
 * Rows of a dataframe view. Cells by column type: text/number/date/datetime/
 * time a string; checkbox a boolean; link `[href, text]`; progress
 * `[fraction, text]`; list an array of strings; image a url; line_chart/
 * bar_chart an array of numbers (or nulls). Any cell may be null.
 */
export interface WindowRows {
  /** Position of `rows[0]` in the view (sorted/filtered order). */
  start: number;
  /** Rows in the view (after search). */
  total: number;
  /** Original row position of each row. */
  index: number[];
  /** One array per row, one cell per `ColumnSpec`, in order. */
  rows: Json[][];
}

export type SelectionMode = 'single' | 'multi';

export interface DataframeSelection {
  /** The widget id the selection is committed to (`actions.commit`). */
  id: string;
  rows: SelectionMode | null;
  columns: SelectionMode | null;
  /** The current selection: the truth, after the rerun a commit causes. */
  value: SelectionValue;
}

/**
 * A dataframe: the rows stay on the server. The element describes the
 * columns and carries the first rows (`head`); the grid asks for other
 * windows with `window` messages.
 */
export type DataframeEl = {
  kind: 'dataframe';
  /** 32 hex: the data's identity (content hash). Same id = same data. */
  frame: string;
  /** Rows in the frame, before any search. */
  row_count: number;
  /** In display order; hidden ones are absent. */
  columns: ColumnSpec[];
  /** The index column (original row position); null: hidden. */
  index: { width: number } | null;
  /** Rows [0, min(row_count, 50)), unsorted and unfiltered. */
  head: WindowRows;
  /** Px of the grid (header + rows); 0 = fit the rows, up to 400 px. */
  height: number;
  /** Px; null = the container's width. */
  width: number | null;
  /** CSV of a view: `?sort=&desc=1&search=&columns=a,b`. */
  download: string;
  selection: DataframeSelection | null;
  /** Show the toolbar (search, download, fullscreen, columns). */
  toolbar: boolean;
};
/**
 * A data editor's edits: its widget value, in both directions. Raw values:
 * numbers, strings, booleans, ISO dates/times, `null` for an emptied cell.
 */
export type Edits = {
  /** Original row position (a string key) → column name → new value. */
  edited: Record<string, Record<string, Json>>;
  /** New rows (after every row of the frame): column name → value; missing = empty. */
  added: Record<string, Json>[];
  /** Deleted rows: original positions, ascending. */
  deleted: number[];
};

/** Edited and added cells, formatted by the server like the column's other cells. */
export type EditsShown = {
  /** Original row position (a string key) → column name → cell. */
  edited: Record<string, Record<string, Json>>;
  /** One array per added row, one cell per column (in `columns` order). */
  added: Json[][];
};

/** The editing part of a data editor. */
export interface EditorState {
  /** The widget id the edits are committed to (`actions.commit`). */
  id: string;
  /** Rows can be added and deleted. */
  dynamic: boolean;
  /** Nothing can be edited. */
  disabled?: boolean;
  /** The edits the server holds: the truth after each rerun. */
  value: Edits;
  /** How the server shows the edited and added cells. */
  shown: EditsShown;
}

/** A dataframe whose cells can be edited: every dataframe field plus `editor`. */
export type DataEditorEl = Omit<DataframeEl, 'kind'> & {
  kind: 'data_editor';
  editor: EditorState;
};

export type AlertLevel = 'success' | 'info' | 'warning' | 'error';
export type AlertEl = { kind: 'alert'; level: AlertLevel; text: string; html: string };
export type ExceptionEl = {
  kind: 'exception';
  message: string;
  location?: string | null;
  detail?: string | null;
};
export type ProgressEl = { kind: 'progress'; value: number; text?: string | null };
export type SpinnerEl = { kind: 'spinner'; text: string };
export type EmptyEl = { kind: 'empty' };

// Files shown (elements/media.tsx). Each names a URL, never bytes: a
// same-origin `/_brooklet/media/…` path or an `http(s)://` URL the app gave.

/** One picture of an `ImageEl`. */
export type ImageItem = {
  url: string;
  /** Plain text centred under it. */
  caption?: string | null;
  alt?: string;
};
/** One or more pictures in a row (wrapping). */
export type ImageEl = {
  kind: 'image';
  images: ImageItem[];
  /** Each picture's width in CSS pixels; null: its own size, never wider than the container. */
  width?: number | null;
  /** Each picture as wide as its slot of the row (wins over `width`). */
  use_container_width?: boolean;
};
/** A subtitle track (WebVTT) of a video. */
export type SubtitleTrack = {
  /** Its name in the player's menu. */
  label: string;
  /** Its language tag, if known. */
  lang?: string | null;
  url: string;
  /** Shown when the video starts. */
  default?: boolean;
};
/** An audio or video player: both kinds carry the same fields. */
export type MediaEl = {
  kind: 'audio' | 'video';
  url: string;
  mime: string;
  /** Seconds. */
  start_time?: number;
  /** Seconds: playback pauses here, or goes back to `start_time` when `loop`. */
  end_time?: number | null;
  loop?: boolean;
  autoplay?: boolean;
  muted?: boolean;
  /** Video: CSS pixels; null: the container's width. */
  width?: number | null;
  /** Video only. */
  subtitles?: SubtitleTrack[];
};
/** A PDF in the browser's own viewer. */
export type PdfEl = { kind: 'pdf'; url: string; height: number; title: string };
/** The app's logo: drawn into the sidebar root, shown at its top. */
export type LogoEl = {
  kind: 'logo';
  url: string;
  /** Opened in a new tab on a click. */
  link?: string | null;
  alt: string;
  size?: 'small' | 'medium' | 'large';
};

export type ContainerEl = { kind: 'container'; border?: boolean };
export type ColumnsEl = { kind: 'columns'; widths: number[] };
export type ColumnEl = { kind: 'column' };
export type ExpanderEl = { kind: 'expander'; label: string; expanded: boolean };
export type TabsEl = { kind: 'tabs'; labels: string[] };
export type TabEl = { kind: 'tab'; label: string };
export type FormEl = { kind: 'form'; id: string; border?: boolean };
export type FragmentEl = { kind: 'fragment'; id: string };

export type ButtonEl = WidgetBase & { kind: 'button' | 'form_submit'; primary?: boolean };
/** A button that downloads a file (widgets/download.tsx); a press when `rerun`. */
export type DownloadButtonEl = WidgetBase & {
  kind: 'download_button';
  /** Same origin: `/_brooklet/media/…` or `/_brooklet/download/…`; "" when disabled (it offers nothing). */
  url: string;
  file_name: string;
  mime: string;
  /** A click also reruns the app (a trigger, like a button). */
  rerun: boolean;
  primary?: boolean;
  use_container_width?: boolean;
};
export type CheckboxEl = WidgetBase & { kind: 'checkbox' | 'toggle'; value: boolean };
export type TextInputEl = WidgetBase & {
  kind: 'text_input';
  value: string;
  placeholder?: string | null;
  max_chars?: number | null;
  password?: boolean;
};
export type TextAreaEl = WidgetBase & {
  kind: 'text_area';
  value: string;
  placeholder?: string | null;
  height?: number | null;
  max_chars?: number | null;
};
export type NumberInputEl = WidgetBase & {
  kind: 'number_input';
  value: number;
  min?: number | null;
  max?: number | null;
  step: number;
  integer: boolean;
};
export type SliderEl = WidgetBase & {
  kind: 'slider';
  value: number | [number, number];
  min: number;
  max: number;
  step: number;
  integer: boolean;
};
/** `index` is `null` while an optional selectbox holds no choice. */
export type SelectboxEl = WidgetBase & {
  kind: 'selectbox';
  options: string[];
  index: number | null;
  placeholder?: string | null;
};
/** `index` is `null` while optional radio buttons hold no choice. */
export type RadioEl = WidgetBase & {
  kind: 'radio';
  options: string[];
  index: number | null;
  horizontal?: boolean;
};
export type MultiselectEl = WidgetBase & {
  kind: 'multiselect';
  options: string[];
  selected: number[];
  placeholder?: string | null;
};

/**
 * A file the server holds for an upload widget: the answer to an upload
 * (`PUT upload_url?name=`) and, in a list, the widget's value both ways.
 */
export type UploadedFileRef = {
  /** The server's id of the file (32 hex digits). */
  file_id: string;
  name: string;
  /** Bytes. */
  size: number;
  mime: string;
};
/** Files the person uploads (uploads.ts does the HTTP part). */
export type FileUploaderEl = WidgetBase & {
  kind: 'file_uploader';
  /** Extensions (`.csv`) and MIME types (`text/csv`, `image/*`); empty: any type. */
  accept: string[];
  multiple: boolean;
  /** The largest file taken, in bytes (the server checks again). */
  max_bytes: number;
  /** Where each file is `PUT` (same origin). */
  upload_url: string;
  value: UploadedFileRef[];
};
/** A photo from the camera (`value`: none or one). */
export type CameraInputEl = WidgetBase & {
  kind: 'camera_input';
  max_bytes: number;
  upload_url: string;
  value: UploadedFileRef[];
};
/** A recording from the microphone (`value`: none or one). */
export type AudioInputEl = WidgetBase & {
  kind: 'audio_input';
  max_bytes: number;
  upload_url: string;
  value: UploadedFileRef[];
};

export type BlockEl =
  | ContainerEl
  | ColumnsEl
  | ColumnEl
  | ExpanderEl
  | TabsEl
  | TabEl
  | FormEl
  | FragmentEl;
export type WidgetEl =
  | ButtonEl
  | DownloadButtonEl
  | CheckboxEl
  | TextInputEl
  | TextAreaEl
  | NumberInputEl
  | SliderEl
  | SelectboxEl
  | RadioEl
  | MultiselectEl
  | FileUploaderEl
  | CameraInputEl
  | AudioInputEl;

export type Element =
  | TitleEl
  | HeaderEl
  | MarkdownEl
  | TextEl
  | CodeEl
  | DividerEl
  | JsonEl
  | MetricEl
  | TableEl
  | DataframeEl
  | DataEditorEl
  | ChartElement
  | ImageEl
  | MediaEl
  | PdfEl
  | LogoEl
  | AlertEl
  | ExceptionEl
  | ProgressEl
  | SpinnerEl
  | EmptyEl
  | BlockEl
  | WidgetEl;

export type Kind = Element['kind'];

const BLOCK_KINDS: ReadonlySet<string> = new Set([
  'container',
  'columns',
  'column',
  'expander',
  'tabs',
  'tab',
  'form',
  'fragment',
]);

/** Whether elements of this kind hold children. */
export function isBlockKind(kind: string): boolean {
  return BLOCK_KINDS.has(kind);
}
