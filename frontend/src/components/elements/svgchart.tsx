// A picture drawn on the server as SVG (`ui.plotters`, `ui.graphviz_chart`).
// It is shown as an <img> of a data: URL, never as inline markup: an SVG
// in an image cannot run script or reach the page, whatever its text holds.

import { useMemo } from 'preact/hooks';
import type { SvgChartEl } from '../../protocol';
import type { LeafProps } from '../props';

/** UTF-8 → base64 (btoa alone takes only Latin-1). */
function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function SvgChartView({ el }: LeafProps<SvgChartEl>) {
  const src = useMemo(() => 'data:image/svg+xml;base64,' + base64Utf8(el.svg), [el.svg]);
  return (
    <figure class={'bk-svg-chart' + (el.use_container_width ? ' bk-fill' : '')} data-source={el.source}>
      <img
        src={src}
        alt={el.alt}
        width={el.width}
        height={el.height}
        style={el.use_container_width ? undefined : { maxWidth: '100%', height: 'auto' }}
      />
    </figure>
  );
}
