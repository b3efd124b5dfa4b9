// The wire protocol (docs/protocol.md), as TypeScript types. Field names
// follow crates/brooklet/src/protocol.rs, which is authoritative.

export const PROTOCOL_VERSION = 1;

export type Path = number[];
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ----- client → server -----

export type ClientMessage =
  | { type: 'hello'; protocol: number; session_id: string | null; query: string }
  | RerunMessage
  | { type: 'stop' }
  | { type: 'heartbeat' };

export type RerunMessage = {
  type: 'rerun';
  widgets: Record<string, WidgetValue>;
  trigger: string | null;
  /** The fragment to rerun (the nearest one around the change); null: the whole app. */
  fragment?: string | null;
};

export type WidgetValue = boolean | string | number | number[];

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
  | { type: 'status'; message: string | null };

export type DeltaOp =
  | { op: 'set'; path: Path; el: Element }
  | { op: 'seen'; path: Path; len: number }
  | { op: 'truncate'; path: Path; len: number };

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
export type JsonEl = { kind: 'json'; value: Json; expanded: boolean };
export type MetricEl = {
  kind: 'metric';
  label: string;
  value: string;
  delta?: string | null;
  delta_color?: 'normal' | 'inverse' | 'off';
  help?: string | null;
};
export type TableEl = { kind: 'table'; columns: string[]; rows: Json[][] };
/**
 * The rows do not ride in the element: `data.url` (same origin) answers them
 * as JSON (`Json[][]`), so a big table neither bloats the WebSocket frame nor
 * is resent when only something else on the page changed.
 */
export type DataframeEl = {
  kind: 'dataframe';
  columns: string[];
  data: { url: string; bytes: number };
  row_count: number;
  height: number;
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

export type ContainerEl = { kind: 'container'; border?: boolean };
export type ColumnsEl = { kind: 'columns'; widths: number[] };
export type ColumnEl = { kind: 'column' };
export type ExpanderEl = { kind: 'expander'; label: string; expanded: boolean };
export type TabsEl = { kind: 'tabs'; labels: string[] };
export type TabEl = { kind: 'tab'; label: string };
export type FormEl = { kind: 'form'; id: string; border?: boolean };
export type FragmentEl = { kind: 'fragment'; id: string };

export type ButtonEl = WidgetBase & { kind: 'button' | 'form_submit'; primary?: boolean };
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
  | CheckboxEl
  | TextInputEl
  | TextAreaEl
  | NumberInputEl
  | SliderEl
  | SelectboxEl
  | RadioEl
  | MultiselectEl;

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
