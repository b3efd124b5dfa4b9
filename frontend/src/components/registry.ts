// The one map from an element's `kind` to the component that draws it.
//
// Adding an element kind: add its type to the `Element` union in
// protocol.ts, write its component in elements/ (display elements and
// blocks) or widgets/ (anything with a value), one file per family, and add
// one line below, in the section of its category. Each section's type lists
// every kind of its category, so TypeScript reports a kind without an entry
// (or an entry whose component takes another element type).

import type { FunctionComponent } from 'preact';
import type { Element, Kind } from '../protocol';
import { Alert, Exception } from './elements/alerts';
import { Code } from './elements/code';
import { Empty } from './elements/empty';
import { JsonView } from './elements/json';
import { ImageView, Logo, MediaView, PdfView } from './elements/media';
import { Column, Columns, Container, Expander, Tab, Tabs } from './elements/layout';
import { Metric } from './elements/metric';
import { Progress, Spinner } from './elements/progress';
import { DataframeView } from './elements/dataframe';
import { DataEditorView } from './elements/editor';
import { TableView } from './elements/tables';
import { ChartView } from './elements/chart';
import { MapView } from './elements/map';
import { PlotlyView } from './elements/plotly';
import { SvgChartView } from './elements/svgchart';
import { VegaLiteView } from './elements/vega';
import { Divider, Header, Markdown, Text, Title } from './elements/text';
import type {
  BlockKind,
  BlockProps,
  BlockView,
  DisplayKind,
  LeafProps,
  LeafView,
  WidgetKind,
} from './props';
import { Button } from './widgets/buttons';
import { AudioInput, CameraInput } from './widgets/capture';
import { Multiselect, Radio, Selectbox } from './widgets/choices';
import { DownloadButton } from './widgets/download';
import { NumberInput, Slider } from './widgets/numbers';
import { TextArea, TextInput } from './widgets/text';
import { FileUploader } from './widgets/uploader';
import { Checkbox } from './widgets/toggles';

/** An entry for every kind in `K`: a block component for blocks, a leaf component otherwise. */
export type Views<K extends Kind> = {
  readonly [Q in K]: Q extends BlockKind ? BlockView<Q> : LeafView<Q>;
};

/** Leaves that show something (elements/). */
const DISPLAYS: Views<DisplayKind> = {
  title: Title,
  header: Header,
  subheader: Header,
  markdown: Markdown,
  text: Text,
  caption: Text,
  code: Code,
  divider: Divider,
  json: JsonView,
  metric: Metric,
  table: TableView,
  dataframe: DataframeView,
  data_editor: DataEditorView,
  chart: ChartView,
  vega_lite_chart: VegaLiteView,
  plotly_chart: PlotlyView,
  svg_chart: SvgChartView,
  map: MapView,
  image: ImageView,
  audio: MediaView,
  video: MediaView,
  pdf: PdfView,
  logo: Logo,
  alert: Alert,
  exception: Exception,
  progress: Progress,
  spinner: Spinner,
  empty: Empty,
};

/** Blocks: they hold children (elements/layout.tsx). */
const BLOCKS: Views<BlockKind> = {
  container: Container,
  columns: Columns,
  column: Column,
  expander: Expander,
  tabs: Tabs,
  tab: Tab,
  // A form draws like a container; a fragment has no chrome of its own.
  form: Container,
  fragment: Column,
};

/** Widgets: leaves with a value and an error line under them (widgets/). */
const WIDGETS: Views<WidgetKind> = {
  button: Button,
  form_submit: Button,
  download_button: DownloadButton,
  checkbox: Checkbox,
  toggle: Checkbox,
  text_input: TextInput,
  text_area: TextArea,
  number_input: NumberInput,
  slider: Slider,
  selectbox: Selectbox,
  radio: Radio,
  multiselect: Multiselect,
  file_uploader: FileUploader,
  camera_input: CameraInput,
  audio_input: AudioInput,
};

/** Every kind's component. */
export const REGISTRY: Views<Kind> = { ...DISPLAYS, ...BLOCKS, ...WIDGETS };

// The lookups below take the kind of an element the server sent, which may
// be one this page does not know. The registry's type ties each kind to its
// element type; past a lookup by a runtime string that tie is gone, hence
// the one cast in each.

type AnyLeaf = FunctionComponent<LeafProps<Element>>;
type AnyBlock = FunctionComponent<BlockProps<Element>>;

function has(map: object, kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, kind);
}

/** The component of a leaf (display element or widget) kind; undefined if unknown. */
export function leafView(kind: string): AnyLeaf | undefined {
  return has(DISPLAYS, kind) || has(WIDGETS, kind) ? (REGISTRY[kind as Kind] as AnyLeaf) : undefined;
}

/** The component of a block kind; undefined if unknown. */
export function blockView(kind: string): AnyBlock | undefined {
  return has(BLOCKS, kind) ? (REGISTRY[kind as Kind] as AnyBlock) : undefined;
}

/**
 * Display kinds whose component is a plain function of its element: no
 * hooks, no state. Element.tsx calls it as a function rather than mounting
 * it as a component, which on a page of 50,000 texts saves 50,000
 * component instances (a quarter of the first render's script time). A
 * component that gets a hook must leave this list (registry.test.ts calls
 * each of them outside any render, where a hook throws).
 */
const PLAIN: ReadonlySet<string> = new Set<DisplayKind>([
  'title',
  'header',
  'subheader',
  'markdown',
  'text',
  'caption',
  'divider',
  'metric',
  'alert',
  'exception',
  'progress',
  'spinner',
  'empty',
]);

/** Whether the component of this kind is a plain function of its element (see `PLAIN`). */
export function isPlainKind(kind: string): boolean {
  return PLAIN.has(kind);
}

/**
 * Blocks whose component places each child itself (a column slot each, a tab
 * panel each): they get one entry in `children` per child node. The others
 * put `children` into their flow as it is, which Element.tsx draws in
 * groups (see `renderKids`).
 */
const EACH_CHILD: ReadonlySet<string> = new Set<BlockKind>(['columns', 'tabs']);

/** Whether the block component of this kind gets one entry in `children` per child node. */
export function placesEachChild(kind: string): boolean {
  return EACH_CHILD.has(kind);
}

/** Whether elements of this kind are widgets (they get an error line). */
export function isWidgetKind(kind: string): boolean {
  return has(WIDGETS, kind);
}
