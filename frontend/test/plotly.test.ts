import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  figureProblem,
  mergeUnder,
  plotHeight,
  plotKey,
  plotLabel,
  plotlyConfig,
  plotlyData,
  plotlyLayout,
  plotlyThemeLayout,
} from '../src/charts/plotly';
import { sameJson, type ChartTheme } from '../src/charts/vega';
import type { PlotlyChartEl } from '../src/protocol';

function chart(over: Partial<PlotlyChartEl> = {}): PlotlyChartEl {
  return {
    kind: 'plotly_chart',
    figure: { data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }], layout: {} },
    height: null,
    use_container_width: true,
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
  palette: ['#4477aa', '#ee6677'],
};

type Obj = Record<string, any>;

describe('figureProblem', () => {
  const types = ['scatter', 'bar', 'heatmap', 'scattergeo', 'scattermap'];

  test('a drawable figure: none', () => {
    assert.equal(figureProblem({ data: [{ type: 'bar' }, { x: [1] }], layout: {} }, types), null);
    assert.equal(figureProblem({}, types), null);
    assert.equal(figureProblem({ data: [{ type: 'scattergeo' }], config: { topojsonURL: '/maps/' } }, types), null);
  });

  test('not a figure, or traces that are not a list of objects', () => {
    assert.match(figureProblem(null)!, /not an object/);
    assert.match(figureProblem([])!, /not an object/);
    assert.match(figureProblem({ data: { x: 1 } })!, /"data" must be a list/);
    assert.match(figureProblem({ layout: [] })!, /"layout" must be an object/);
    assert.match(figureProblem({ config: 'x' })!, /"config" must be an object/);
    assert.match(figureProblem({ data: [{}, 3] })!, /trace 1 is not an object/);
  });

  test('a trace type this build does not draw', () => {
    assert.match(figureProblem({ data: [{ type: 'scatter' }, { type: 'nosuch' }] }, types)!, /trace 1 has the type "nosuch"/);
    assert.match(figureProblem({ data: [{ type: 7 }] }, types)!, /trace 0 has the type 7/);
    // No list of types: not checked.
    assert.equal(figureProblem({ data: [{ type: 'nosuch' }] }), null);
  });

  test('traces that need other sites', () => {
    assert.match(figureProblem({ data: [{ type: 'scattermap' }] }, types)!, /map tiles/);
    assert.match(figureProblem({ data: [{ type: 'scattergeo' }] }, types)!, /topojsonURL/);
  });
});

test("height: the element's, else the figure's, else plotly's 450", () => {
  assert.equal(plotHeight(chart({ height: 300, figure: { layout: { height: 600 } } })), 300);
  assert.equal(plotHeight(chart({ figure: { layout: { height: 600 } } })), 600);
  assert.equal(plotHeight(chart({ figure: { layout: { height: 'big' } } })), DEFAULT_HEIGHT);
  assert.equal(plotHeight(chart({ figure: {} })), DEFAULT_HEIGHT);
});

test('mergeUnder: the second wins, plain objects merge, arrays are replaced', () => {
  assert.deepEqual(mergeUnder({ a: 1, b: { c: 1, d: 2 }, e: [1, 2] }, { b: { d: 3 }, e: [9], f: null }), {
    a: 1,
    b: { c: 1, d: 3 },
    e: [9],
    f: null,
  });
});

describe('plotlyLayout', () => {
  test('size: filling the column, autosize and no width', () => {
    const l = plotlyLayout(chart({ figure: { layout: { width: 900, height: 500 } } }), null);
    assert.equal(l.autosize, true);
    assert.ok(!('width' in l));
    assert.equal(l.height, 500);
  });

  test("size: not filling, the figure's width, else plotly's 700", () => {
    const own = plotlyLayout(chart({ use_container_width: false, height: 320, figure: { layout: { width: 900 } } }), null);
    assert.deepEqual([own.autosize, own.width, own.height], [false, 900, 320]);
    const dflt = plotlyLayout(chart({ use_container_width: false, figure: {} }), null);
    assert.deepEqual([dflt.width, dflt.height], [DEFAULT_WIDTH, DEFAULT_HEIGHT]);
  });

  test('theme: in the template, under the figure’s template, under the figure’s layout', () => {
    const el = chart({
      figure: {
        layout: {
          paper_bgcolor: '#000',
          template: { layout: { font: { color: 'red' } }, data: { bar: [{ opacity: 0.5 }] } },
        },
      },
    });
    const l = plotlyLayout(el, THEME) as Obj;
    // The figure's own layout key is where it was: plotly uses it over any template.
    assert.equal(l.paper_bgcolor, '#000');
    const t = l.template.layout;
    assert.equal(t.paper_bgcolor, 'rgba(0,0,0,0)');
    assert.deepEqual(t.colorway, THEME.palette);
    assert.deepEqual(t.font, { family: THEME.font, color: 'red' });
    assert.equal(t.xaxis.gridcolor, THEME.border);
    assert.equal(t.scene.zaxis.gridcolor, THEME.border);
    assert.deepEqual(l.template.data, { bar: [{ opacity: 0.5 }] });
  });

  test('no theme: no template added', () => {
    assert.ok(!('template' in plotlyLayout(chart(), null)));
  });

  test('a copy: plotly.js writes into its layout, the element stays as sent', () => {
    const el = chart({ figure: { data: [{ x: [1, 2] }], layout: { xaxis: { range: [0, 1] } } } });
    const l = plotlyLayout(el, THEME) as Obj;
    l.xaxis.range[0] = 5;
    assert.deepEqual(el.figure.layout, { xaxis: { range: [0, 1] } });
    const data = plotlyData(el) as Obj[];
    data[0]!.x.push(3);
    assert.deepEqual((el.figure.data![0] as Obj).x, [1, 2]);
  });

  test('titles given as plain strings become { text } (plotly.js 3 draws no string title)', () => {
    const l = plotlyLayout(chart({ figure: { layout: { title: 'Sales', xaxis: { title: 'Month' }, yaxis2: { title: { text: 'kept' } } } } }), null) as Obj;
    assert.deepEqual(l.title, { text: 'Sales' });
    assert.deepEqual(l.xaxis.title, { text: 'Month' });
    assert.deepEqual(l.yaxis2.title, { text: 'kept' });
  });
});

test('theme layout: unset variables leave plotly’s defaults', () => {
  const t = plotlyThemeLayout({ fg: '', muted: '', border: '', bg: '', font: '', palette: [] }) as Obj;
  assert.deepEqual(t.font, {});
  assert.deepEqual(t.xaxis, {});
  assert.ok(!('colorway' in t));
});

test('config: the figure’s, with no logo, no cloud, responsive when filling', () => {
  const c = plotlyConfig(chart({ figure: { config: { scrollZoom: true, displaylogo: true, showSendToCloud: true } } }));
  assert.deepEqual(c, { scrollZoom: true, displaylogo: false, showSendToCloud: false, plotlyServerURL: '', responsive: true });
  assert.equal(plotlyConfig(chart({ use_container_width: false })).responsive, false);
});

test('label: the title’s words, else "Chart"', () => {
  assert.equal(plotLabel(chart({ figure: { layout: { title: { text: 'Fast <b>heat</b>map<br>2024' } } } })), 'Chart: Fast heat map 2024');
  assert.equal(plotLabel(chart({ figure: { layout: { title: 'Sales' } } })), 'Chart: Sales');
  assert.equal(plotLabel(chart()), 'Chart');
});

test('plotKey: an equal element (new objects) draws nothing again', () => {
  const a = chart();
  assert.ok(sameJson(plotKey(a), plotKey(JSON.parse(JSON.stringify(a)))));
  assert.ok(!sameJson(plotKey(a), plotKey(chart({ height: 100 }))));
});

test('plotly: tight margins unless the figure sets its own', () => {
  const el = {
    kind: 'plotly_chart' as const,
    figure: { data: [], layout: {} },
    height: null,
    use_container_width: true,
    theme: false,
  };
  assert.deepEqual(plotlyLayout(el, null).margin, { t: 24, r: 12, b: 36, l: 48 });
  const own = { ...el, figure: { data: [], layout: { margin: { t: 5 } } } };
  assert.deepEqual(plotlyLayout(own, null).margin, { t: 5 });
  const titled = { ...el, figure: { data: [], layout: { title: { text: 'Sales' } } } };
  assert.equal((plotlyLayout(titled, null).margin as { t: number }).t, 56);
});
