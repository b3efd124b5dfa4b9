// Placeholder while the component is written (issue 12).
import type { PlotlyChartEl } from '../../protocol';
import type { LeafProps } from '../props';

export function PlotlyView({ el }: LeafProps<PlotlyChartEl>) {
  return <div class="bk-chart-loading">{el.kind}</div>;
}
