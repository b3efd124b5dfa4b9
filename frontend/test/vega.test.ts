import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import * as vl from 'vega-lite';
import {
  chartLabel,
  cleanParam,
  embedKey,
  errorText,
  fitSpec,
  isSingleView,
  placeholderHeight,
  readTheme,
  sameJson,
  selectionValue,
  vegaThemeConfig,
  type ChartTheme,
} from '../src/charts/vega';
import type { VegaLiteChartEl } from '../src/protocol';

function chart(over: Partial<VegaLiteChartEl> = {}): VegaLiteChartEl {
  return {
    kind: 'vega_lite_chart',
    spec: { mark: 'bar', data: { url: '/_brooklet/payload/abc', format: { type: 'json' } } },
    data: '/_brooklet/payload/abc',
    height: null,
    use_container_width: false,
    theme: true,
    ...over,
  };
}

const THEME: ChartTheme = {
  fg: '#1d2230',
  muted: '#667085',
  border: '#e3e6ec',
  bg: '#ffffff',
  font: 'system-ui, sans-serif',
  palette: ['#4477aa', '#ee6677', '#228833'],
};

describe('sameJson', () => {
  test('equal by value, whatever the key order', () => {
    assert.ok(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }));
    assert.ok(sameJson(null, null));
    assert.ok(sameJson([], []));
    assert.ok(sameJson(NaN, NaN));
  });

  test('any difference counts', () => {
    assert.ok(!sameJson({ a: 1 }, { a: 2 }));
    assert.ok(!sameJson({ a: 1 }, { a: 1, b: 2 }));
    assert.ok(!sameJson({ a: undefined }, { b: undefined }));
    assert.ok(!sameJson([1, 2], [2, 1]));
    assert.ok(!sameJson([1], { 0: 1 }));
    assert.ok(!sameJson(null, {}));
    assert.ok(!sameJson(1, '1'));
  });
});

describe('embedKey', () => {
  test('a rerun bringing an equal element (new objects) is the same chart', () => {
    const a = chart({ height: 300 });
    const b = JSON.parse(JSON.stringify(a)) as VegaLiteChartEl;
    assert.notEqual(a.spec, b.spec);
    assert.ok(sameJson(embedKey(a), embedKey(b)));
  });

  test('spec, height, width or theme changed: embed again; a selection value alone does not', () => {
    const a = chart();
    assert.ok(!sameJson(embedKey(a), embedKey(chart({ spec: { ...a.spec, mark: 'line' } }))));
    assert.ok(!sameJson(embedKey(a), embedKey(chart({ height: 200 }))));
    assert.ok(!sameJson(embedKey(a), embedKey(chart({ use_container_width: true }))));
    assert.ok(!sameJson(embedKey(a), embedKey(chart({ theme: false }))));
    const sel = chart({ selection: { id: 'w', params: ['brush'], value: { brush: { x: [1, 2] } } } });
    assert.ok(sameJson(embedKey(a), embedKey(sel)));
  });
});

describe('fitSpec', () => {
  test('a single view gets the height and width "container"', () => {
    const el = chart({ height: 250, use_container_width: true, spec: { mark: 'bar', width: 400, height: 100 } });
    assert.deepEqual(fitSpec(el), { mark: 'bar', width: 'container', height: 250 });
    // The element's spec is the store's: untouched.
    assert.deepEqual(el.spec, { mark: 'bar', width: 400, height: 100 });
  });

  test("without them, the spec's own size stays", () => {
    assert.deepEqual(fitSpec(chart({ spec: { mark: 'bar', width: 400 } })), { mark: 'bar', width: 400 });
  });

  test('a layer is one view; a composition keeps its sizes', () => {
    const layer = { layer: [{ mark: 'line' }, { mark: 'rule' }] };
    assert.ok(isSingleView(layer));
    assert.equal(fitSpec(chart({ spec: layer, height: 200, use_container_width: true })).width, 'container');
    for (const key of ['hconcat', 'vconcat', 'concat', 'facet', 'repeat']) {
      const spec = { [key]: [] };
      assert.ok(!isSingleView(spec), key);
      assert.deepEqual(fitSpec(chart({ spec, height: 200, use_container_width: true })), spec);
    }
  });
});

test('placeholder height: the element’s, else the spec’s, else Vega-Lite’s default; plus axes', () => {
  assert.equal(placeholderHeight(chart({ height: 222, spec: { height: 100 } })), 262);
  assert.equal(placeholderHeight(chart({ spec: { height: 200 } })), 240);
  assert.equal(placeholderHeight(chart({ spec: { height: 'container' } })), 340);
  assert.equal(placeholderHeight(chart()), 340);
});

test('chart label: description, else title (string, list or object), else "Chart"', () => {
  assert.equal(chartLabel({ description: ' Sales by month ', title: 'x' }), 'Sales by month');
  assert.equal(chartLabel({ title: 'Sales' }), 'Chart: Sales');
  assert.equal(chartLabel({ title: ['Sales', 'by month'] }), 'Chart: Sales by month');
  assert.equal(chartLabel({ title: { text: 'Sales', subtitle: 'x' } }), 'Chart: Sales');
  assert.equal(chartLabel({ title: '  ' }), 'Chart');
  assert.equal(chartLabel({}), 'Chart');
});

describe('theme', () => {
  test('read from CSS variables: trimmed, palette of the ones set', () => {
    const vars: Record<string, string> = {
      '--bk-fg': ' #111 ',
      '--bk-muted': '#666',
      '--bk-border': '#ddd',
      '--bk-bg': '#fff',
      '--bk-font': ' "Inter", sans-serif',
      '--bk-chart-1': '#a00',
      '--bk-chart-2': ' #0a0',
      '--bk-chart-4': '#00a',
    };
    assert.deepEqual(
      readTheme((n) => vars[n] ?? ''),
      { fg: '#111', muted: '#666', border: '#ddd', bg: '#fff', font: '"Inter", sans-serif', palette: ['#a00', '#0a0', '#00a'] },
    );
  });

  test('the Vega-Lite config: colours, font, palette', () => {
    const c = vegaThemeConfig(THEME) as Record<string, Record<string, unknown>>;
    assert.equal(c.background, '#ffffff');
    assert.equal(c.font, 'system-ui, sans-serif');
    assert.equal(c.axis!.labelColor, '#667085');
    assert.equal(c.axis!.titleColor, '#1d2230');
    assert.equal(c.axis!.gridColor, '#e3e6ec');
    assert.equal(c.legend!.labelFont, 'system-ui, sans-serif');
    assert.equal(c.title!.color, '#1d2230');
    assert.deepEqual(c.range, { category: THEME.palette });
    assert.deepEqual(c.mark, { color: '#4477aa' });
  });

  test("what the page does not set stays Vega's default", () => {
    const c = vegaThemeConfig({ fg: '', muted: '', border: '', bg: '', font: '', palette: [] }) as Record<
      string,
      Record<string, unknown>
    >;
    assert.ok(!('background' in c) && !('font' in c) && !('range' in c) && !('mark' in c));
    assert.ok(!('labelColor' in c.axis!) && !('gridColor' in c.axis!));
  });
});

describe('selection values', () => {
  test("Vega-Lite's internal keys are dropped; fields stay", () => {
    assert.deepEqual(cleanParam({ vlPoint: { or: [{ origin: 'USA' }] }, origin: ['USA'] }), { origin: ['USA'] });
    assert.deepEqual(cleanParam({ vlPoint: { or: [{ _vgsid_: 3 }] }, _vgsid_: [3] }), {});
    assert.deepEqual(cleanParam({ hp: [50, 120], mpg: [10, 20] }), { hp: [50, 120], mpg: [10, 20] });
  });

  test('empty, null or not an object: {}; values as they will be sent (JSON)', () => {
    assert.deepEqual(cleanParam(null), {});
    assert.deepEqual(cleanParam(undefined), {});
    assert.deepEqual(cleanParam([1, 2]), {});
    assert.deepEqual(cleanParam({}), {});
    const d = new Date(Date.UTC(2024, 0, 2));
    assert.deepEqual(cleanParam({ when: [d, d], skip: undefined }), { when: [d.toISOString(), d.toISOString()] });
  });

  test('every reported param, by name', () => {
    const signals: Record<string, unknown> = { brush: { t: [1, 2] }, pick: { vlPoint: {}, _vgsid_: [1] } };
    assert.deepEqual(selectionValue(['brush', 'pick', 'none'], (n) => signals[n]), {
      brush: { t: [1, 2] },
      pick: {},
      none: {},
    });
  });
});

test('error text', () => {
  assert.equal(errorText(new Error('bad spec')), 'bad spec');
  assert.equal(errorText('plain'), 'plain');
  assert.equal(errorText({ code: 1 }), '{"code":1}');
});

// The real libraries, as the chunk uses them: a spec compiled with the
// theme, run with the expression interpreter while the Function constructor
// is unavailable (as under the app's CSP), its selections read and cleaned
// as the component does.
test('Vega-Lite + Vega with the interpreter: no Function constructor; selections as the app gets them', async () => {
  const spec = {
    data: { values: [{ a: 1, c: 5 }, { a: 2, c: 6 }, { a: 3, c: 4 }] },
    transform: [{ calculate: 'datum.a * 2', as: 'b' }, { filter: 'datum.b > 2' }],
    mark: 'point',
    encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'c', type: 'quantitative' }, color: { field: 'c', type: 'nominal' } },
    params: [
      { name: 'pick', select: { type: 'point', fields: ['a'] } },
      { name: 'ids', select: 'point' },
      { name: 'brush', select: { type: 'interval', encodings: ['x'] } },
    ],
  };
  const compiled = vl.compile(spec as vl.TopLevelSpec, { config: vegaThemeConfig(THEME) as vl.Config }).spec;
  const color = (compiled.scales ?? []).find((s) => s.name === 'color') as { range?: unknown } | undefined;
  assert.equal(color?.range, 'category');
  assert.deepEqual((compiled.config as { range?: unknown }).range, { category: THEME.palette });

  const realFunction = globalThis.Function;
  globalThis.Function = function () {
    throw new Error('the Function constructor was used');
  } as unknown as FunctionConstructor;
  try {
    const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
      expr: expressionInterpreter,
      renderer: 'none',
    });
    await view.runAsync();
    // What a click and a drag would put in the selection stores.
    view.change('pick_store', vega.changeset().insert([{ unit: '', fields: [{ type: 'E', field: 'a' }], values: [2] }]));
    view.change('ids_store', vega.changeset().insert([{ unit: '', fields: [{ type: 'E', field: '_vgsid_' }], values: [1] }]));
    view.change(
      'brush_store',
      vega.changeset().insert([{ unit: '', fields: [{ type: 'R', field: 'a', channel: 'x' }], values: [[1, 2.5]] }]),
    );
    await view.runAsync();
    assert.ok('vlPoint' in (view.signal('pick') as object));
    assert.deepEqual(selectionValue(['pick', 'ids', 'brush'], (n) => view.signal(n)), {
      pick: { a: [2] },
      ids: {},
      brush: { a: [1, 2.5] },
    });
    view.finalize();
  } finally {
    globalThis.Function = realFunction;
  }
});
