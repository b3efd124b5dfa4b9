// A metric: label, big value, and an optional delta with its arrow.

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
        {el.label}
        <Help text={el.help} />
      </div>
      <div class="bk-metric-value">{el.value}</div>
      {delta && (
        <div class={cls}>
          <span aria-hidden="true">{arrow}</span> {delta.replace(/^[-−+]/, '')}
        </div>
      )}
    </div>
  );
}
