// A metric: label, big value, and an optional delta with its arrow. A value
// (or delta) too wide for its column ends in an ellipsis, whole on hover
// (its `title`); a long label wraps.

import type { MetricEl } from '../../protocol';
import { Help } from '../common';
import type { LeafProps } from '../props';

export function Metric({ el }: LeafProps<MetricEl>) {
  const delta = el.delta?.trim();
  let cls = 'bk-delta';
  let arrow = '';
  if (delta) {
    const down = delta.startsWith('-') || delta.startsWith('−');
    arrow = down ? '▼' : '▲';
    const color = el.delta_color ?? 'normal';
    if (color === 'off') cls += ' bk-off';
    else cls += (down !== (color === 'inverse')) ? ' bk-bad' : ' bk-good';
  }
  return (
    <div class="bk-metric-box">
      <div class="bk-metric-label">
        <span class="bk-metric-label-text">{el.label}</span>
        <Help text={el.help} />
      </div>
      <div class="bk-metric-value" title={el.value}>
        {el.value}
      </div>
      {delta && (
        <div class={cls} title={delta}>
          <span aria-hidden="true">{arrow}</span> {delta.replace(/^[-−+]/, '')}
        </div>
      )}
    </div>
  );
}
