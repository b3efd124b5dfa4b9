// Placeholder while the component is written (issue 12).
import type { ChartEl } from '../../protocol';
import type { LeafProps } from '../props';

export function ChartView({ el }: LeafProps<ChartEl>) {
  return <div class="bk-chart-loading">{el.kind}</div>;
}
