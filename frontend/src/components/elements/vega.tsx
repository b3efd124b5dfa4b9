// Placeholder while the component is written (issue 12).
import type { VegaLiteChartEl } from '../../protocol';
import type { LeafProps } from '../props';

export function VegaLiteView({ el }: LeafProps<VegaLiteChartEl>) {
  return <div class="bk-chart-loading">{el.kind}</div>;
}
