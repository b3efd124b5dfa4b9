// A map of points (`map`): Web Mercator, drawn on 2D canvases (no WebGL)
// by the lazy 'map' chunk (chunks/map.ts: `MapRenderer`, and the world's
// land drawn under the points when the map has no tiles), loaded the first
// time a page shows a map. Under the points: raster tiles from the
// element's URL template, or the land and a light graticule, with no
// network use at all.
//
// DOM: div.bk-map[data-state=loading|ready|error][role=figure][aria-label]
// [data-points (points with their centre in view)][data-zoom (2 decimals)]
// > div.bk-map-stage > canvas.bk-map-canvas (tiles or land; takes the
// mouse, touch and keys) + div.bk-map-overlay (Preact never renders into
// it: canvas.bk-map-points, the hovered point's ring div.bk-map-ring and
// the tooltip div.bk-map-tooltip) + div.bk-map-controls
// (button.bk-map-zoom-in, .bk-map-zoom-out, .bk-map-reset) +
// div.bk-map-attribution (tiles) + div.bk-map-notice (no tile could load) +
// div.bk-chart-loading (while the chunk loads); or, instead of the stage,
// div.bk-chart-error[role=alert] when the map cannot be drawn (its data
// cannot be read, the chunk did not load).
//
// This component decodes the element (an error shows before any chunk
// loads) and holds the map's life; the renderer keeps the view across
// reruns that change nothing it shows.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { decodePoints, mapLabel, type MapPoints } from '../../charts/map';
import { errorText } from '../../charts/vega';
import { loadChunk } from '../../chunks/load';
import type { MapChunk } from '../../chunks/map';
import type { MapEl } from '../../protocol';
import type { LeafProps } from '../props';

type Renderer = InstanceType<MapChunk['MapRenderer']>;

/** The chunk once loaded: maps drawn after it arrived start with it. */
let loaded: MapChunk | null = null;

/** The chunk (one load for every map on the page; see `loadChunk`). */
function loadMap(): Promise<MapChunk> {
  return loadChunk<MapChunk>('map').then((chunk) => (loaded = chunk));
}

type Decoded = { points: MapPoints; error?: undefined } | { points?: undefined; error: string };

export function MapView({ el }: LeafProps<MapEl>) {
  const root = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const renderer = useRef<Renderer | null>(null);

  // Decoded again only when the arrays change (by value: strings compare so).
  const decoded = useMemo<Decoded>(() => {
    try {
      return { points: decodePoints(el) };
    } catch (err) {
      return { error: errorText(err) };
    }
  }, [el.count, el.lat, el.lon, el.sizes, el.color_of, el.colors.length]);
  const ok = decoded.points !== undefined;

  const [lib, setLib] = useState<MapChunk | null>(loaded);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [drawError, setDrawError] = useState<string | null>(null);
  const [tilesFailed, setTilesFailed] = useState(false);

  useEffect(() => {
    if (!ok || lib) return;
    let live = true;
    loadMap().then(
      (chunk) => live && setLib(chunk),
      (err: unknown) => live && setLoadError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [ok, lib]);

  // What is drawn besides the points, by value.
  const optionsKey = JSON.stringify([el.colors, el.radius, el.tiles, el.center, el.zoom, el.height]);
  const apply = (r: Renderer) => {
    if (!decoded.points) return;
    r.setElement(
      decoded.points,
      { colors: el.colors, radius: el.radius, tiles: el.tiles, center: el.center, zoom: el.zoom },
      el.height,
    );
  };
  const applyRef = useRef(apply);
  applyRef.current = apply;

  // The renderer: made once the chunk is there and so is the stage (no data
  // error, no failed draw), given the element as it is then.
  const staged = ok && drawError === null && loadError === null;
  useEffect(() => {
    if (!staged || !lib || !root.current || !canvas.current || !overlay.current) return;
    let r: Renderer;
    try {
      r = new lib.MapRenderer(root.current, canvas.current, overlay.current, {
        onError: setDrawError,
        onTilesFailed: setTilesFailed,
      });
      applyRef.current(r);
    } catch (err) {
      setDrawError(errorText(err));
      return;
    }
    renderer.current = r;
    return () => {
      r.destroy();
      renderer.current = null;
    };
  }, [staged, lib]);

  // A changed element (by value) is drawn; a failed draw is tried again.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setDrawError(null);
    if (renderer.current) applyRef.current(renderer.current);
  }, [decoded, optionsKey]);

  const error = decoded.error ?? drawError ?? loadError;
  const state = error !== null ? 'error' : lib ? 'ready' : 'loading';
  const attribution = el.tiles?.attribution ?? '';
  return (
    <div
      ref={root}
      class="bk-map"
      data-state={state}
      role="figure"
      aria-label={mapLabel(el.count)}
      aria-busy={state === 'loading' ? 'true' : undefined}
      style={{ width: el.width != null ? `${el.width}px` : undefined }}
    >
      {error !== null ? (
        <div class="bk-chart-error" role="alert">
          This map could not be drawn: {error}
        </div>
      ) : (
        <div class="bk-map-stage" style={{ height: `${el.height}px` }}>
          <canvas
            ref={canvas}
            class="bk-map-canvas"
            tabIndex={0}
            aria-label="Drag or use the arrow keys to move the map; scroll, double-click or + and − to zoom"
          />
          <div class="bk-map-overlay" ref={overlay} />
          <div class="bk-map-controls">
            <button
              type="button"
              class="bk-map-zoom-in"
              aria-label="Zoom in"
              title="Zoom in"
              onClick={() => renderer.current?.zoomBy(1)}
            >
              +
            </button>
            <button
              type="button"
              class="bk-map-zoom-out"
              aria-label="Zoom out"
              title="Zoom out"
              onClick={() => renderer.current?.zoomBy(-1)}
            >
              −
            </button>
            <button
              type="button"
              class="bk-map-reset"
              title="Back to the first view"
              onClick={() => renderer.current?.reset()}
            >
              Reset
            </button>
          </div>
          {attribution !== '' && <div class="bk-map-attribution">{attribution}</div>}
          {tilesFailed && <div class="bk-map-notice">Map tiles could not be loaded</div>}
          {state === 'loading' && <div class="bk-chart-loading bk-map-loading">Loading map…</div>}
        </div>
      )}
    </div>
  );
}
