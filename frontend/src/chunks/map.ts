// Lazy chunk 'map': what draws a `map` (elements/map.tsx), loaded the
// first time a page shows one (chunks/load.ts); none of it is in app.js,
// where the component imports only this file's types.
//
// - The world's land (Natural Earth 1:110m, from the world-atlas package's
//   TopoJSON, turned into GeoJSON by topojson-client), drawn with d3-geo's
//   Mercator projection and path under the points of a map without tiles.
//   Nothing here touches the network for it: the outline is in the chunk.
// - `MapRenderer`: the canvases of one map and everything on them: the
//   view, drawing (tiles or land, the points), and the mouse, touch and
//   keys. The math is charts/map.ts. Each frame is one pass over the
//   points, skipping those off the canvas, writing the dots' pixels into
//   one buffer (see `DotRaster`: a canvas path of 100k circles is far
//   slower without a GPU).
//
// Under the app's CSP: tiles are <img> loads (img-src must allow the tile
// server's origin: the server adds it for pages with tiles); every style is
// set through the CSSOM, never an inline style attribute.

import { geoMercator, geoPath } from 'd3-geo';
import type { MultiLineString, Position } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import landTopology from 'world-atlas/land-110m.json';
import {
  DotRaster,
  EARTH_CIRCUMFERENCE,
  MAX_ZOOM,
  PointGrid,
  clampView,
  formatLatLon,
  graticuleStep,
  initialView,
  latToY,
  makeStamp,
  panBy,
  parseCanvasColor,
  tileUrl,
  tilesForView,
  viewport,
  yToLat,
  zoomAround,
  zoomRange,
  type MapPoints,
  type Stamp,
  type TilePlace,
  type View,
  type ZoomRange,
} from '../charts/map';
import { errorText } from '../charts/vega';
import type { TileSource } from '../charts/protocol';
import { registerChunk } from './load';

const topology = landTopology as unknown as Topology<{ land: GeometryCollection }>;
const land = feature(topology, topology.objects.land);

/**
 * The coastlines: the land's rings without the edges Natural Earth cut
 * along the antimeridian (Chukotka, Antarctica), which are no coast and
 * would be stroked as a line down the 180th meridian.
 */
function coastlines(): MultiLineString {
  const lines: Position[][] = [];
  const onCut = (a: Position, b: Position) => Math.abs(a[0]!) > 179.99 && Math.abs(b[0]!) > 179.99 && a[0]! * b[0]! > 0;
  for (const f of land.features) {
    const g = f.geometry;
    const polygons = g.type === 'MultiPolygon' ? g.coordinates : g.type === 'Polygon' ? [g.coordinates] : [];
    for (const polygon of polygons) {
      for (const ring of polygon) {
        let line: Position[] = [];
        for (let i = 0; i < ring.length; i++) {
          const p = ring[i]!;
          if (i > 0 && onCut(ring[i - 1]!, p)) {
            if (line.length > 1) lines.push(line);
            line = [];
          }
          line.push(p);
        }
        if (line.length > 1) lines.push(line);
      }
    }
  }
  return { type: 'MultiLineString', coordinates: lines };
}

const coast = coastlines();

/** Where the canvas is in the world (see charts/map.ts `viewport`), in CSS px. */
export interface LandView {
  /** World px of the canvas's top-left corner at this zoom. */
  left: number;
  top: number;
  /** The world's width (and height) in px. */
  size: number;
  width: number;
  height: number;
}

interface LandStyle {
  fill: string;
  stroke: string;
}

/**
 * Draws the land on `ctx` (in CSS px): each copy of the world the canvas
 * shows (the map wraps east–west), filled, with its coastlines stroked.
 */
function drawLand(ctx: CanvasRenderingContext2D, view: LandView, style: LandStyle): void {
  const { left, top, size, width, height } = view;
  // Edges are drawn straight between the outline's vertices, as on tiles
  // (Natural Earth's data is in plain degrees); d3 still clips at the
  // antimeridian and to the canvas.
  const projection = geoMercator()
    .precision(0)
    .scale(size / (2 * Math.PI))
    .clipExtent([
      [-2, -2],
      [width + 2, height + 2],
    ]);
  const path = geoPath(projection, ctx);
  const first = Math.floor(left / size);
  const last = Math.floor((left + width) / size);
  ctx.save();
  ctx.fillStyle = style.fill;
  ctx.strokeStyle = style.stroke;
  ctx.lineWidth = 0.75;
  ctx.lineJoin = 'round';
  for (let k = first; k <= last; k++) {
    projection.translate([k * size + size / 2 - left, size / 2 - top]);
    ctx.beginPath();
    path(land);
    ctx.fill();
    ctx.beginPath();
    path(coast);
    ctx.stroke();
  }
  ctx.restore();
}

/** Tiles kept (loaded or loading) per map. */
const TILE_CACHE = 384;
/** Ancestor levels searched for a stand-in while a tile loads. */
const TILE_FALLBACK_LEVELS = 4;
/** The hover tooltip shows a point within this many px of the cursor (or inside its circle). */
const HOVER_PX = 10;
const KEY_PAN_PX = 80;
/** Dots at least this big (CSS px) get an outline. */
const RING_MIN_PX = 2.5;
/** Dots bigger than this (device px) are drawn as canvas paths, not pixel by pixel. */
const MAX_STAMP_PX = 48;
const ANIMATION_MS = 220;

interface Theme {
  point: string;
  sea: string;
  land: LandStyle;
  graticule: string;
  tileBackground: string;
}

function readTheme(el: Element): Theme {
  const style = getComputedStyle(el);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    point: v('--bk-chart-1', v('--bk-accent', '#4477aa')),
    sea: v('--bk-panel', '#f6f7f9'),
    land: { fill: v('--bk-border', '#e3e6ec'), stroke: v('--bk-control', '#cdd3dc') },
    graticule: v('--bk-muted', '#667085'),
    tileBackground: v('--bk-panel', '#f6f7f9'),
  };
}

interface Tile {
  img: HTMLImageElement;
  /** 0 loading, 1 loaded, 2 failed. */
  state: 0 | 1 | 2;
}

export interface MapCallbacks {
  /** A draw threw: the map is replaced by the message. */
  onError(message: string): void;
  /** Tiles failed and none has loaded (blocked by the CSP, a wrong URL, offline). */
  onTilesFailed(failed: boolean): void;
}

/** What the element says about drawing, besides the points. */
export interface MapOptions {
  colors: string[];
  radius: number;
  tiles: TileSource | null;
  center: [number, number] | null;
  zoom: number | null;
}

const reducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** The canvases of one map and everything on them. Made when the map mounts, `destroy`ed when it goes. */
export class MapRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  /** The points' layer: a canvas over the map's, written with putImageData. */
  private readonly pointsCanvas: HTMLCanvasElement;
  private readonly pointsCtx: CanvasRenderingContext2D;
  private raster: DotRaster | null = null;
  private image: ImageData | null = null;
  private stamps: Stamp[] = [];
  private readonly theme: Theme;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private points: MapPoints | null = null;
  private options: MapOptions = { colors: [], radius: 4, tiles: null, center: null, zoom: null };
  private range: ZoomRange = { min: 0, max: MAX_ZOOM };
  private view: View = { cx: 0.5, cy: 0.5, zoom: 0 };
  /** Whether the person moved the map (then new data keeps their view). */
  private moved = false;
  private viewKey = '';
  private readonly tiles = new Map<string, Tile>();
  private tileTemplate = '';
  private tilesLoaded = 0;
  private tilesFailed = 0;
  private frame = 0;
  private animation = 0;
  /** Where a running zoom animation ends. */
  private zoomTarget: number | null = null;
  private readonly observer: ResizeObserver | null = null;

  // The points drawn last (canvas px, radius, index), for the hover grid.
  private drawnX = new Float32Array(0);
  private drawnY = new Float32Array(0);
  private drawnR = new Float32Array(0);
  private drawnI = new Uint32Array(0);
  private drawnN = 0;
  private drawnMaxR = 0;
  private grid: PointGrid | null = null;

  private readonly tooltip: HTMLDivElement;
  private readonly ring: HTMLDivElement;
  /** The cursor over the canvas (CSS px), null when away. */
  private hover: { x: number; y: number } | null = null;
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private pinch: { dist: number } | null = null;
  private readonly cleanup: (() => void)[] = [];

  constructor(
    private readonly root: HTMLDivElement,
    private readonly canvas: HTMLCanvasElement,
    overlay: HTMLDivElement,
    private readonly callbacks: MapCallbacks,
  ) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw on a canvas');
    this.ctx = ctx;
    this.pointsCanvas = document.createElement('canvas');
    this.pointsCanvas.className = 'bk-map-points';
    const pctx = this.pointsCanvas.getContext('2d');
    if (!pctx) throw new Error('this browser cannot draw on a canvas');
    this.pointsCtx = pctx;
    this.theme = readTheme(root);
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'bk-map-tooltip';
    this.tooltip.hidden = true;
    this.ring = document.createElement('div');
    this.ring.className = 'bk-map-ring';
    this.ring.hidden = true;
    overlay.append(this.pointsCanvas, this.ring, this.tooltip);
    this.listen();
    if (typeof ResizeObserver !== 'undefined') {
      this.observer = new ResizeObserver(() => this.resize());
      this.observer.observe(canvas.parentElement ?? root);
    }
    this.measure();
  }

  // ----- life -----

  /**
   * The element's points and what else it says (given when either changed
   * by value). The view starts again from the element's unless the person
   * moved the map and the element's center and zoom stayed the same.
   */
  setElement(points: MapPoints, options: MapOptions, height: number): void {
    const tilesChanged = (options.tiles?.url ?? '') !== this.tileTemplate;
    this.points = points;
    this.options = options;
    this.grid = null;
    if (tilesChanged) this.clearTiles(options.tiles?.url ?? '');
    const key = JSON.stringify([options.center, options.zoom, options.tiles?.max_zoom ?? null]);
    const keyChanged = key !== this.viewKey;
    this.viewKey = key;
    this.height = height;
    this.measure();
    this.range = this.zoomRange();
    if (!this.moved || keyChanged) {
      this.moved = false;
      this.view = this.initial();
    } else {
      this.view = clampView(this.view, this.width, this.height, this.range);
    }
    this.drawNow();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.stopAnimation();
    this.observer?.disconnect();
    for (const off of this.cleanup) off();
    this.clearTiles('', false);
    this.tooltip.remove();
    this.ring.remove();
    this.pointsCanvas.remove();
    delete this.root.dataset.points;
    delete this.root.dataset.zoom;
    this.raster = null;
    this.image = null;
  }

  // ----- the view -----

  private zoomRange(): ZoomRange {
    const t = this.options.tiles;
    const max = t ? Math.min(MAX_ZOOM + 2, Math.max(0, Math.floor(t.max_zoom)) + 2) : MAX_ZOOM;
    return zoomRange(this.height, max);
  }

  private initial(): View {
    const p = this.points ?? { x: new Float64Array(0), y: new Float64Array(0) };
    return initialView(this.options, p, this.width, this.height, this.range);
  }

  private setView(view: View, byPerson = true): void {
    this.view = clampView(view, this.width, this.height, this.range);
    if (byPerson) this.moved = true;
    this.schedule();
  }

  zoomBy(delta: number): void {
    // Clicks in quick succession add up (from where the zoom is going).
    this.animateZoom((this.zoomTarget ?? this.view.zoom) + delta, this.width / 2, this.height / 2);
  }

  reset(): void {
    const target = this.initial();
    this.moved = false;
    this.animateTo(target, () => (this.moved = false));
  }

  /** Zooms to `zoom` keeping canvas px (ax, ay) in place, animated. */
  private animateZoom(zoom: number, ax: number, ay: number): void {
    const from = this.view;
    const to = Math.max(this.range.min, Math.min(this.range.max, zoom));
    this.animate((t) => zoomAround(from, from.zoom + (to - from.zoom) * t, ax, ay, this.width, this.height, this.range), undefined, to);
  }

  private animateTo(target: View, done?: () => void): void {
    const from = this.view;
    let dx = target.cx - from.cx;
    dx -= Math.round(dx);
    this.animate(
      (t) => ({ cx: from.cx + dx * t, cy: from.cy + (target.cy - from.cy) * t, zoom: from.zoom + (target.zoom - from.zoom) * t }),
      done,
    );
  }

  /** Moves the view along `at` (t from 0 to 1) for a moment; `zoom`: the zoom it ends at. */
  private animate(at: (t: number) => View, done?: () => void, zoom?: number): void {
    this.stopAnimation();
    if (reducedMotion()) {
      this.setView(at(1));
      done?.();
      return;
    }
    this.zoomTarget = zoom ?? null;
    const start = performance.now();
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / ANIMATION_MS);
      const eased = 1 - (1 - t) * (1 - t) * (1 - t);
      this.setView(at(eased));
      if (t < 1) this.animation = requestAnimationFrame(step);
      else {
        this.animation = 0;
        this.zoomTarget = null;
        done?.();
      }
    };
    this.animation = requestAnimationFrame(step);
  }

  private stopAnimation(): void {
    cancelAnimationFrame(this.animation);
    this.animation = 0;
    this.zoomTarget = null;
  }

  // ----- size -----

  /** Reads the canvas's size from the page; true when it changed. */
  private measure(): boolean {
    const box = this.canvas.parentElement ?? this.root;
    const width = Math.max(0, Math.floor(box.clientWidth));
    const dpr = Math.max(1, Math.min(4, window.devicePixelRatio || 1));
    // The element's height is the stage's, border included.
    const height = Math.max(0, Math.floor(box.clientHeight || this.height));
    const pw = Math.round(width * dpr);
    const ph = Math.round(height * dpr);
    const changed = width !== this.width || height !== this.height || dpr !== this.dpr || this.canvas.width !== pw || this.canvas.height !== ph;
    if (!changed) return false;
    if (dpr !== this.dpr) this.stamps = [];
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    for (const c of [this.canvas, this.pointsCanvas]) {
      c.width = pw;
      c.height = ph;
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
    }
    return true;
  }

  private resize(): void {
    if (!this.measure() || !this.points) return;
    this.range = this.zoomRange();
    this.view = this.moved ? clampView(this.view, this.width, this.height, this.range) : this.initial();
    this.drawNow();
  }

  // ----- drawing -----

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  private drawNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.points || this.width === 0 || this.height === 0) return;
    try {
      this.draw(this.points);
    } catch (err) {
      this.callbacks.onError(errorText(err));
    }
  }

  private draw(points: MapPoints): void {
    const { ctx, width, height, dpr, view } = this;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const vp = viewport(view, width, height);
    const tiles = this.options.tiles;
    ctx.fillStyle = tiles ? this.theme.tileBackground : this.theme.sea;
    ctx.fillRect(0, 0, width, height);
    if (tiles) {
      this.drawTiles(tiles);
    } else {
      drawLand(ctx, { ...vp, width, height }, this.theme.land);
      this.drawGraticule(vp.left, vp.top, vp.size);
    }
    const shown = this.drawPoints(points, vp.size);
    this.root.dataset.points = String(shown);
    this.root.dataset.zoom = view.zoom.toFixed(2);
    this.updateHover();
  }

  /** Meridians and parallels at a round step, about every 120 px: faint, over land and sea. */
  private drawGraticule(left: number, top: number, size: number): void {
    const { ctx, width, height } = this;
    const step = graticuleStep(this.view.zoom);
    ctx.save();
    ctx.strokeStyle = this.theme.graticule;
    ctx.globalAlpha = 0.16;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const lon0 = (left / size) * 360 - 180;
    const lon1 = ((left + width) / size) * 360 - 180;
    for (let k = Math.ceil(lon0 / step); k * step <= lon1; k++) {
      const x = Math.round(((k * step + 180) / 360) * size - left) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    const latTop = yToLat(Math.max(0, top / size));
    const latBottom = yToLat(Math.min(1, (top + height) / size));
    for (let k = Math.ceil(latBottom / step); k * step <= latTop; k++) {
      const y = Math.round(latToY(k * step) * size - top) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
    }
    ctx.stroke();
    ctx.restore();
  }

  /** The dot mask for radius `r` CSS px (cached by radius, to 1/4 device px when small). */
  private stamp(r: number): Stamp {
    const dev = r * this.dpr;
    const ring = r >= RING_MIN_PX;
    const key = (dev < 16 ? Math.round(dev * 4) : 64 + Math.round(dev)) * 2 + (ring ? 1 : 0);
    let s = this.stamps[key];
    if (!s) {
      const q = dev < 16 ? Math.round(dev * 4) / 4 : Math.round(dev);
      s = ring ? makeStamp(Math.max(0.5, q), 0.55, 0.9, this.dpr) : makeStamp(Math.max(0.5, q), 0.8);
      this.stamps[key] = s;
    }
    return s;
  }

  /** Each colour of the element as [r, g, b, a], read back through the canvas (any CSS colour). */
  private rgba(): [number, number, number, number][] {
    const ctx = this.pointsCtx;
    const theme = this.theme.point;
    const read = (css: string) => {
      ctx.fillStyle = '#000000';
      ctx.fillStyle = css;
      return parseCanvasColor(String(ctx.fillStyle));
    };
    const fallback = read(theme) ?? [68, 119, 170, 1];
    const colors = this.options.colors.length > 0 ? this.options.colors : [theme];
    return colors.map((css) => read(css) ?? fallback);
  }

  /**
   * Every point in one pass, colour by colour, onto the points' layer:
   * circles of `radius` px or of their size in metres (at least 1 px),
   * translucent with an outline (none under 2.5 px). A point is drawn at
   * each copy of the world its circle reaches on the canvas (the world
   * repeats east–west), and skipped when none does. Dots are written into
   * a pixel buffer (`DotRaster`); the few circles too big for that are
   * drawn as paths over it. Returns how many points have their centre on
   * the canvas.
   */
  private drawPoints(points: MapPoints, size: number): number {
    const { width, height, view, dpr } = this;
    const pc = this.pointsCanvas;
    if (!this.raster || this.raster.width !== pc.width || this.raster.height !== pc.height) {
      this.raster = new DotRaster(pc.width, pc.height);
      this.image = new ImageData(this.raster.data, pc.width, pc.height);
    }
    const raster = this.raster;
    raster.clear();
    const { x: xs, y: ys, sizeK, order, runs } = points;
    const colors = this.rgba();
    const fixed = Math.max(0.5, Number.isFinite(this.options.radius) ? this.options.radius : 4);
    const kPx = size / EARTH_CIRCUMFERENCE;
    const halfW = width / 2;
    const halfH = height / 2;
    const { cx, cy } = view;
    const big: number[] = [];
    // Room for every point at every copy of the world the canvas can show.
    const room = points.count * (Math.ceil(width / size) + 2);
    if (this.drawnX.length < room) this.growDrawn(room);
    const { drawnX, drawnY, drawnR, drawnI } = this;
    let n = 0;
    let shown = 0;
    let maxR = 0;
    let stamp = sizeK ? null : this.stamp(fixed);
    for (let c = 0; c + 1 < runs.length; c++) {
      const [cr, cg, cb, ca] = colors[c] ?? colors[0]!;
      for (let j = runs[c]!; j < runs[c + 1]!; j++) {
        const i = order[j]!;
        const ux = xs[i]!;
        if (ux !== ux) continue;
        const sy = (ys[i]! - cy) * size + halfH;
        const r = sizeK ? Math.max(1, sizeK[i]! * kPx) : fixed;
        if (sy + r < 0 || sy - r > height) continue;
        let dx = ux - cx;
        dx -= Math.round(dx);
        const sx = dx * size + halfW;
        const k1 = Math.floor((width + r - sx) / size);
        const asPath = r * dpr > MAX_STAMP_PX;
        if (sizeK && !asPath) stamp = this.stamp(r);
        let counted = false;
        for (let k = Math.ceil((-r - sx) / size); k <= k1; k++) {
          const x = sx + k * size;
          if (asPath) big.push(x, sy, r, c);
          else raster.dot(x * dpr, sy * dpr, stamp!, cr, cg, cb, ca);
          drawnX[n] = x;
          drawnY[n] = sy;
          drawnR[n] = r;
          drawnI[n] = i;
          n++;
          if (r > maxR) maxR = r;
          if (!counted && x >= 0 && x < width && sy >= 0 && sy < height) {
            counted = true;
            shown++;
          }
        }
      }
    }
    raster.finish();
    const ctx = this.pointsCtx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.putImageData(this.image!, 0, 0);
    if (big.length > 0) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.lineWidth = 1;
      for (let b = 0; b < big.length; b += 4) {
        const [cr, cg, cb, ca] = colors[big[b + 3]!] ?? colors[0]!;
        const css = `rgb(${cr},${cg},${cb})`;
        ctx.beginPath();
        ctx.arc(big[b]!, big[b + 1]!, big[b + 2]!, 0, 2 * Math.PI);
        ctx.fillStyle = css;
        ctx.strokeStyle = css;
        ctx.globalAlpha = 0.55 * ca;
        ctx.fill();
        ctx.globalAlpha = 0.9 * ca;
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    }
    this.drawnN = n;
    this.drawnMaxR = maxR;
    this.grid = null;
    return shown;
  }

  /** Room for `room` drawn points (a point drawn at several copies of the world counts at each). */
  private growDrawn(room: number): void {
    this.drawnX = new Float32Array(room);
    this.drawnY = new Float32Array(room);
    this.drawnR = new Float32Array(room);
    this.drawnI = new Uint32Array(room);
  }

  // ----- tiles -----

  private clearTiles(template: string, report = true): void {
    for (const t of this.tiles.values()) {
      t.img.onload = null;
      t.img.onerror = null;
      if (t.state === 0) t.img.src = '';
    }
    this.tiles.clear();
    this.tileTemplate = template;
    this.tilesLoaded = 0;
    this.tilesFailed = 0;
    if (report) this.callbacks.onTilesFailed(false);
  }

  /** A tile from the cache, requested when `load` (and not there yet). */
  private tile(z: number, x: number, y: number, load: boolean): Tile | null {
    const key = `${z}/${x}/${y}`;
    let t = this.tiles.get(key);
    if (t) {
      // Most recently used last: the oldest go first.
      this.tiles.delete(key);
      this.tiles.set(key, t);
      return t;
    }
    if (!load) return null;
    const img = new Image();
    img.decoding = 'async';
    img.alt = '';
    const tile: Tile = { img, state: 0 };
    img.onload = () => {
      tile.state = 1;
      this.tilesLoaded++;
      if (this.tilesFailed > 0) this.callbacks.onTilesFailed(false);
      this.schedule();
    };
    img.onerror = () => {
      tile.state = 2;
      this.tilesFailed++;
      if (this.tilesLoaded === 0) this.callbacks.onTilesFailed(true);
    };
    img.src = tileUrl(this.tileTemplate, z, x, y, this.dpr >= 1.5);
    this.tiles.set(key, tile);
    t = tile;
    this.evictTiles();
    return t;
  }

  private evictTiles(): void {
    if (this.tiles.size <= TILE_CACHE) return;
    for (const [key, t] of this.tiles) {
      if (this.tiles.size <= TILE_CACHE) break;
      t.img.onload = null;
      t.img.onerror = null;
      if (t.state === 0) t.img.src = '';
      this.tiles.delete(key);
    }
  }

  private drawTiles(tiles: TileSource): void {
    const { ctx, width, height, dpr } = this;
    const places = tilesForView(this.view, width, height, Math.max(0, Math.floor(tiles.max_zoom)));
    // Snapped to device pixels, so neighbours meet without a seam.
    const snap = (v: number) => Math.round(v * dpr) / dpr;
    const put = (img: HTMLImageElement, p: TilePlace, sx: number, sy: number, sw: number, sh: number) => {
      const x0 = snap(p.left);
      const y0 = snap(p.top);
      ctx.drawImage(img, sx, sy, sw, sh, x0, y0, snap(p.left + p.size) - x0, snap(p.top + p.size) - y0);
    };
    ctx.save();
    ctx.imageSmoothingEnabled = true;
    for (const p of places) {
      const t = this.tile(p.z, p.x, p.y, true);
      if (t && t.state === 1) {
        put(t.img, p, 0, 0, t.img.naturalWidth, t.img.naturalHeight);
        continue;
      }
      // Not there yet: the part of a loaded ancestor that covers it.
      for (let d = 1; d <= TILE_FALLBACK_LEVELS && d <= p.z; d++) {
        const a = this.tile(p.z - d, p.x >> d, p.y >> d, false);
        if (!a || a.state !== 1) continue;
        const part = a.img.naturalWidth / (1 << d);
        const mask = (1 << d) - 1;
        put(a.img, p, (p.x & mask) * part, (p.y & mask) * part, part, part);
        break;
      }
    }
    ctx.restore();
  }

  // ----- input -----

  private on<K extends keyof HTMLElementEventMap>(
    target: HTMLElement,
    type: K,
    fn: (e: HTMLElementEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ): void {
    target.addEventListener(type, fn as EventListener, options);
    this.cleanup.push(() => target.removeEventListener(type, fn as EventListener, options));
  }

  private local(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private listen(): void {
    const c = this.canvas;
    this.on(c, 'pointerdown', (e) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      this.stopAnimation();
      try {
        c.setPointerCapture(e.pointerId);
      } catch {
        // A pointer already gone: the drag ends with it.
      }
      this.pointers.set(e.pointerId, this.local(e));
      this.pinch = null;
      this.root.classList.add('bk-map-dragging');
      this.hideHover();
    });
    this.on(c, 'pointermove', (e) => {
      const p = this.local(e);
      const last = this.pointers.get(e.pointerId);
      if (!last) {
        if (e.pointerType === 'mouse') {
          this.hover = p;
          this.updateHover();
        }
        return;
      }
      if (this.pointers.size === 1) {
        this.pointers.set(e.pointerId, p);
        this.setView(panBy(this.view, p.x - last.x, p.y - last.y, this.width, this.height, this.range));
        return;
      }
      // Two fingers: pan with their midpoint, zoom with their distance.
      const [a, b] = [...this.pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const mid0 = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      this.pointers.set(e.pointerId, p);
      const [a2, b2] = [...this.pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const mid1 = { x: (a2.x + b2.x) / 2, y: (a2.y + b2.y) / 2 };
      const dist = Math.hypot(a2.x - b2.x, a2.y - b2.y);
      const before = this.pinch?.dist ?? Math.hypot(a.x - b.x, a.y - b.y);
      this.pinch = { dist };
      let v = panBy(this.view, mid1.x - mid0.x, mid1.y - mid0.y, this.width, this.height, this.range);
      if (before > 0 && dist > 0) v = zoomAround(v, v.zoom + Math.log2(dist / before), mid1.x, mid1.y, this.width, this.height, this.range);
      this.setView(v);
    });
    const end = (e: PointerEvent) => {
      if (!this.pointers.delete(e.pointerId)) return;
      this.pinch = null;
      if (this.pointers.size === 0) this.root.classList.remove('bk-map-dragging');
    };
    this.on(c, 'pointerup', end);
    this.on(c, 'pointercancel', end);
    this.on(c, 'pointerleave', (e) => {
      if (e.pointerType === 'mouse' && !this.pointers.has(e.pointerId)) this.hideHover();
    });
    this.on(
      c,
      'wheel',
      (e) => {
        e.preventDefault();
        const unit = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? this.height : 1;
        const delta = Math.max(-1, Math.min(1, (-e.deltaY * unit) / (e.ctrlKey ? 100 : 250)));
        const p = this.local(e);
        this.stopAnimation();
        this.setView(zoomAround(this.view, this.view.zoom + delta, p.x, p.y, this.width, this.height, this.range));
      },
      { passive: false },
    );
    this.on(c, 'dblclick', (e) => {
      e.preventDefault();
      const p = this.local(e);
      this.animateZoom(this.view.zoom + (e.shiftKey ? -1 : 1), p.x, p.y);
    });
    this.on(c, 'keydown', (e) => {
      const pan = (dx: number, dy: number) => this.setView(panBy(this.view, dx, dy, this.width, this.height, this.range));
      switch (e.key) {
        case 'ArrowLeft':
          pan(KEY_PAN_PX, 0);
          break;
        case 'ArrowRight':
          pan(-KEY_PAN_PX, 0);
          break;
        case 'ArrowUp':
          pan(0, KEY_PAN_PX);
          break;
        case 'ArrowDown':
          pan(0, -KEY_PAN_PX);
          break;
        case '+':
        case '=':
          this.zoomBy(1);
          break;
        case '-':
        case '_':
          this.zoomBy(-1);
          break;
        case '0':
          this.reset();
          break;
        default:
          return;
      }
      e.preventDefault();
    });
  }

  // ----- hover -----

  private hideHover(): void {
    this.hover = null;
    this.tooltip.hidden = true;
    this.ring.hidden = true;
  }

  /** The tooltip for the point under the cursor (after a move, and after each draw). */
  private updateHover(): void {
    const h = this.hover;
    const points = this.points;
    if (!h || !points || this.pointers.size > 0) {
      this.tooltip.hidden = true;
      this.ring.hidden = true;
      return;
    }
    this.grid ??= new PointGrid(this.drawnX, this.drawnY, this.drawnN, this.width, this.height);
    const reach = Math.min(Math.max(HOVER_PX, this.drawnMaxR), 256);
    const k = this.grid.nearest(h.x, h.y, reach);
    const r = k < 0 ? 0 : this.drawnR[k]!;
    if (k < 0 || Math.hypot(this.drawnX[k]! - h.x, this.drawnY[k]! - h.y) > Math.max(HOVER_PX, r)) {
      this.tooltip.hidden = true;
      this.ring.hidden = true;
      return;
    }
    const i = this.drawnI[k]!;
    const x = this.drawnX[k]!;
    const y = this.drawnY[k]!;
    this.tooltip.textContent = formatLatLon(points.lat[i]!, points.lon[i]!);
    this.tooltip.hidden = false;
    // Beside the cursor, turned back when it would leave the map.
    const tw = this.tooltip.offsetWidth;
    const th = this.tooltip.offsetHeight;
    let left = h.x + 14;
    let top = h.y + 14;
    if (left + tw > this.width - 4) left = Math.max(4, h.x - 14 - tw);
    if (top + th > this.height - 4) top = Math.max(4, h.y - 14 - th);
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${top}px`;
    const ringR = Math.min(r, 200) + 3;
    this.ring.style.left = `${x - ringR}px`;
    this.ring.style.top = `${y - ringR}px`;
    this.ring.style.width = `${2 * ringR}px`;
    this.ring.style.height = `${2 * ringR}px`;
    this.ring.hidden = false;
  }
}


const exports = { MapRenderer };
/** The chunk's exports, as elements/map.tsx sees them. */
export type MapChunk = typeof exports;

registerChunk('map', exports);
