// Placeholder while the component is written (issue 12).
import type { MapEl } from '../../protocol';
import type { LeafProps } from '../props';

export function MapView({ el }: LeafProps<MapEl>) {
  return <div class="bk-chart-loading">{el.kind}</div>;
}
