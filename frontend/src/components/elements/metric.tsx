// A metric: label, big value, an optional delta with its arrow, and an
// optional chart of recent values under them, coloured as the delta (grey
// without one). A value (or delta) too wide for its column ends in an
// ellipsis, whole on hover (its `title`); a long label wraps. `border`
// draws a box around it.

import { deltaTone, metricChart, valuesLabel, type Tone } from '../../display';
import type { MetricEl } from '../../protocol';
import { Help } from '../common';
import type { LeafProps } from '../props';

/** The chart's box in SVG units; it is stretched to the metric's width (the stroke keeps its width). */
const CHART_W = 300;
const CHART_H = 40;

function Chart({ el, tone }: { el: MetricEl; tone: Tone }) {
  const chart = metricChart(el.chart, el.chart_type, CHART_W, CHART_H);
  if (!chart) return null;
  return (
    <svg
      class={'bk-metric-chart bk-chart-' + tone}
      viewBox={`0 0 ${CHART_W} ${CHART_H}`}
      width="100%"
      height={CHART_H}
      preserveAspectRatio="none"
      role="img"
      aria-label={`Recent values: ${valuesLabel(chart.values)}`}
    >
      {chart.fill && <path class="bk-chart-fill" d={chart.fill} fill="currentColor" stroke="none" />}
      {chart.line && (
        <path
          d={chart.line}
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linejoin="round"
          stroke-linecap="round"
          vector-effect="non-scaling-stroke"
        />
      )}
      {chart.bars.map((b, i) => (
        <rect key={i} x={b.x} y={b.y} width={b.w} height={b.h} fill="currentColor" />
      ))}
    </svg>
  );
}

export function Metric({ el }: LeafProps<MetricEl>) {
  const delta = el.delta?.trim();
  const d = deltaTone(el);
  return (
    <div class={'bk-metric-box' + (el.border ? ' bk-metric-border' : '')}>
      <div class="bk-metric-label">
        <span class="bk-metric-label-text">{el.label}</span>
        <Help text={el.help} />
      </div>
      <div class="bk-metric-value" title={el.value}>
        {el.value}
      </div>
      {delta && d && (
        <div class={'bk-delta bk-' + d.tone} title={delta}>
          <span aria-hidden="true">{d.down ? '▼' : '▲'}</span> {delta.replace(/^[-−+]/, '')}
        </div>
      )}
      {el.chart && <Chart el={el} tone={d ? d.tone : 'off'} />}
    </div>
  );
}
