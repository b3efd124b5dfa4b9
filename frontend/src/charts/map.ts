// Pure logic of the map (elements/map.tsx and its renderer in the 'map'
// chunk, chunks/map.ts), kept apart so that unit tests can run it without a
// browser: decoding the element's arrays, Web Mercator math, the view
// (fitting it to the points, panning, zooming), which raster tiles cover
// it, the dots' pixels, and the grid that finds the point under the cursor.
//
// Coordinates: "unit" coordinates place the Web Mercator square on [0, 1]²
// (x east from longitude -180, y south from latitude +85.05°). At zoom z the
// square is `worldSize(z)` = 256·2^z CSS pixels wide, as slippy-map tiles
// are. A view is the unit point at the canvas's centre and a zoom.

import type { MapEl, TileSource } from './protocol';

// ----- decoding -----

/** A problem with the element's data: shown to the person, instead of the map. */
export class MapDataError extends Error {
  override name = 'MapDataError';
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes of a base64 string (standard alphabet, padded). Throws `MapDataError` naming `what`. */
export function base64Bytes(b64: string, what: string): Uint8Array {
  if (typeof b64 !== 'string' || b64.length % 4 !== 0 || !BASE64.test(b64)) {
    throw new MapDataError(`${what} is not valid base64`);
  }
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkLength(bytes: Uint8Array, width: number, count: number, what: string): void {
  if (bytes.length % width !== 0) {
    throw new MapDataError(`${what} holds ${bytes.length} bytes, not a whole number of ${width}-byte values`);
  }
  const n = bytes.length / width;
  if (n !== count) {
    throw new MapDataError(`${what} holds ${n} value${n === 1 ? '' : 's'} but the map has ${count} point${count === 1 ? '' : 's'}`);
  }
}

/** A base64 little-endian Float64Array of exactly `count` values. */
export function decodeFloat64(b64: string, count: number, what: string): Float64Array {
  const bytes = base64Bytes(b64, what);
  checkLength(bytes, 8, count, what);
  if (LITTLE_ENDIAN) return new Float64Array(bytes.buffer, 0, count);
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

/** A base64 little-endian Uint16Array of exactly `count` values. */
export function decodeUint16(b64: string, count: number, what: string): Uint16Array {
  const bytes = base64Bytes(b64, what);
  checkLength(bytes, 2, count, what);
  if (LITTLE_ENDIAN) return new Uint16Array(bytes.buffer, 0, count);
  const view = new DataView(bytes.buffer);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
  return out;
}

/** The element's points, decoded and checked, with what drawing them needs. */
export interface MapPoints {
  count: number;
  lat: Float64Array;
  lon: Float64Array;
  /** Unit coordinates (NaN where lat or lon is not a finite number: not drawn). */
  x: Float64Array;
  y: Float64Array;
  /**
   * Radius in metres / cos(latitude): times `worldSize(zoom) / EARTH_CIRCUMFERENCE`
   * it is the radius in pixels (see `metresToPixels`). null: `radius` px.
   */
  sizeK: Float64Array | null;
  /** Position in the colour list, per point (0 when one colour). */
  colorOf: Uint16Array | null;
  /** Indices of the points, sorted by colour (stable): one path per colour. */
  order: Uint32Array;
  /** Where each colour's run starts in `order`; length colours + 1. */
  runs: Uint32Array;
}

/** Decodes and checks `el`'s arrays. Throws `MapDataError` with a readable message. */
export function decodePoints(el: Pick<MapEl, 'count' | 'lat' | 'lon' | 'sizes' | 'colors' | 'color_of'>): MapPoints {
  const count = el.count;
  if (!Number.isInteger(count) || count < 0) throw new MapDataError(`the point count ${String(count)} is not valid`);
  const lat = decodeFloat64(el.lat, count, 'lat');
  const lon = decodeFloat64(el.lon, count, 'lon');
  const sizes = el.sizes == null ? null : decodeFloat64(el.sizes, count, 'sizes');
  const colors = el.colors.length;
  let colorOf: Uint16Array | null = null;
  if (el.color_of != null && colors > 1) {
    colorOf = decodeUint16(el.color_of, count, 'color_of');
    for (let i = 0; i < count; i++) {
      const c = colorOf[i]!;
      if (c >= colors) {
        throw new MapDataError(`color_of gives point ${i} colour ${c}, but there are only ${colors} colours`);
      }
    }
  } else if (el.color_of != null) {
    // One colour (or the theme's): still a well-formed array, or say so.
    decodeUint16(el.color_of, count, 'color_of');
  }
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const la = lat[i]!;
    const lo = lon[i]!;
    if (Number.isFinite(la) && Number.isFinite(lo)) {
      x[i] = lonToX(lo);
      y[i] = latToY(la);
    } else {
      x[i] = NaN;
      y[i] = NaN;
    }
  }
  let sizeK: Float64Array | null = null;
  if (sizes) {
    sizeK = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const m = sizes[i]!;
      const cos = Math.cos((clampLat(lat[i]!) * Math.PI) / 180);
      sizeK[i] = Number.isFinite(m) && m > 0 ? m / cos : 0;
    }
  }
  const n = Math.max(colors, 1);
  const runs = new Uint32Array(n + 1);
  const order = new Uint32Array(count);
  if (colorOf) {
    for (let i = 0; i < count; i++) runs[colorOf[i]! + 1]!++;
    for (let c = 0; c < n; c++) runs[c + 1]! += runs[c]!;
    const next = runs.slice(0, n);
    for (let i = 0; i < count; i++) order[next[colorOf[i]!]!++] = i;
  } else {
    for (let i = 0; i < count; i++) order[i] = i;
    for (let c = 1; c <= n; c++) runs[c] = count;
  }
  return { count, lat, lon, x, y, sizeK, colorOf, order, runs };
}

// ----- Web Mercator -----

/** The latitude where the Web Mercator square ends (north and south). */
export const MAX_LAT = 85.0511287798066;
/** The Earth's equatorial circumference in metres (the Web Mercator sphere's). */
export const EARTH_CIRCUMFERENCE = 40075016.68557849;
/** Tile size in CSS pixels. */
export const TILE = 256;

export function clampLat(lat: number): number {
  return Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
}

/** Longitude (degrees) → unit x (not wrapped: 180 → 1, 540 → 2). */
export function lonToX(lon: number): number {
  return (lon + 180) / 360;
}

/** Latitude (degrees, clamped to the square) → unit y. */
export function latToY(lat: number): number {
  const phi = (clampLat(lat) * Math.PI) / 180;
  return 0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI);
}

/** Unit x → longitude in [-180, 180). */
export function xToLon(x: number): number {
  const w = x - Math.floor(x);
  return w * 360 - 180;
}

/** Unit y → latitude. */
export function yToLat(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

/** Width (and height) of the whole world in CSS px at `zoom`. */
export function worldSize(zoom: number): number {
  return TILE * Math.pow(2, zoom);
}

/** Pixels that `metres` span at latitude `lat` and `zoom` (at least `min`). */
export function metresToPixels(metres: number, lat: number, zoom: number, min = 1): number {
  const cos = Math.cos((clampLat(lat) * Math.PI) / 180);
  const px = (metres * worldSize(zoom)) / (EARTH_CIRCUMFERENCE * cos);
  return Number.isFinite(px) ? Math.max(min, px) : min;
}

// ----- the view -----

export interface View {
  /** Unit coordinates of the canvas's centre; x in [0, 1). */
  cx: number;
  cy: number;
  zoom: number;
}

/** Zoom levels a view may have. */
export interface ZoomRange {
  min: number;
  max: number;
}

/** The default deepest zoom (points only, or the world outline). */
export const MAX_ZOOM = 20;
/** The zoom a map of one point (or of points all in one place) opens at. */
export const SINGLE_POINT_ZOOM = 10;
/** Deepest zoom a fit goes to (points a few metres apart). */
export const MAX_FIT_ZOOM = 16;

/**
 * The least zoom of a canvas `height` px high: the world fills it from top
 * to bottom (no empty band beyond the poles). East–west the world repeats,
 * as on any slippy map.
 */
export function minZoom(height: number): number {
  return Math.max(0, Math.log2(Math.max(height, 1) / TILE));
}

/** The zoom range of a canvas: `maxZoom` deepest (tiles may set it). */
export function zoomRange(height: number, maxZoom = MAX_ZOOM): ZoomRange {
  const min = minZoom(height);
  return { min, max: Math.max(min, maxZoom) };
}

/** `view` made valid: zoom within range, x wrapped into [0, 1), y keeping the canvas within the world. */
export function clampView(view: View, width: number, height: number, range: ZoomRange): View {
  const zoom = Math.max(range.min, Math.min(range.max, Number.isFinite(view.zoom) ? view.zoom : range.min));
  const half = height / 2 / worldSize(zoom);
  let cy = Number.isFinite(view.cy) ? view.cy : 0.5;
  cy = half >= 0.5 ? 0.5 : Math.max(half, Math.min(1 - half, cy));
  const x = Number.isFinite(view.cx) ? view.cx : 0.5;
  return { cx: x - Math.floor(x), cy, zoom };
}

/** The canvas's place in the world at a view: world px of its top-left corner, and the world's size. */
export function viewport(view: View, width: number, height: number): { left: number; top: number; size: number } {
  const size = worldSize(view.zoom);
  return { left: view.cx * size - width / 2, top: view.cy * size - height / 2, size };
}

/** Canvas px → unit coordinates. */
export function screenToUnit(view: View, width: number, height: number, sx: number, sy: number): [number, number] {
  const size = worldSize(view.zoom);
  return [view.cx + (sx - width / 2) / size, view.cy + (sy - height / 2) / size];
}

/** Unit coordinates → canvas px, x taken from the copy of the world nearest the centre. */
export function unitToScreen(view: View, width: number, height: number, x: number, y: number): [number, number] {
  const size = worldSize(view.zoom);
  let dx = x - view.cx;
  dx -= Math.round(dx);
  return [dx * size + width / 2, (y - view.cy) * size + height / 2];
}

/** The view moved by (dx, dy) canvas px (the map follows a drag of that much). */
export function panBy(view: View, dx: number, dy: number, width: number, height: number, range: ZoomRange): View {
  const size = worldSize(view.zoom);
  return clampView({ cx: view.cx - dx / size, cy: view.cy - dy / size, zoom: view.zoom }, width, height, range);
}

/** The view at `zoom`, keeping the point under canvas px (sx, sy) where it is. */
export function zoomAround(
  view: View,
  zoom: number,
  sx: number,
  sy: number,
  width: number,
  height: number,
  range: ZoomRange,
): View {
  const z = Math.max(range.min, Math.min(range.max, zoom));
  const [ux, uy] = screenToUnit(view, width, height, sx, sy);
  const size = worldSize(z);
  return clampView({ cx: ux - (sx - width / 2) / size, cy: uy - (sy - height / 2) / size, zoom: z }, width, height, range);
}

/** Points' extent in unit coordinates (x may run past 1 when they straddle the antimeridian); null: none drawable. */
export function pointsExtent(xs: ArrayLike<number>, ys: ArrayLike<number>): { x0: number; x1: number; y0: number; y1: number } | null {
  let x0 = Infinity;
  let x1 = -Infinity;
  // The same with x < 0.5 moved east by one world: narrower when the points
  // straddle the antimeridian (Fiji, the Bering Strait, the Pacific).
  let s0 = Infinity;
  let s1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const w = x - Math.floor(x);
    if (w < x0) x0 = w;
    if (w > x1) x1 = w;
    const s = w < 0.5 ? w + 1 : w;
    if (s < s0) s0 = s;
    if (s > s1) s1 = s;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x0 === Infinity) return null;
  return s1 - s0 < x1 - x0 ? { x0: s0, x1: s1, y0, y1 } : { x0, x1, y0, y1 };
}

/**
 * The view that shows every point with `padding` px to spare on each side:
 * points in one place open at `SINGLE_POINT_ZOOM`, no points show the whole
 * world (the least zoom).
 */
export function fitView(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  width: number,
  height: number,
  range: ZoomRange,
  padding = 32,
): View {
  const ext = pointsExtent(xs, ys);
  if (!ext) return clampView({ cx: 0.5, cy: 0.5, zoom: range.min }, width, height, range);
  const dx = ext.x1 - ext.x0;
  const dy = ext.y1 - ext.y0;
  const cx = (ext.x0 + ext.x1) / 2;
  const cy = (ext.y0 + ext.y1) / 2;
  let zoom: number;
  if (dx * worldSize(MAX_FIT_ZOOM) < 1 && dy * worldSize(MAX_FIT_ZOOM) < 1) {
    zoom = SINGLE_POINT_ZOOM;
  } else {
    const w = Math.max(1, width - 2 * padding);
    const h = Math.max(1, height - 2 * padding);
    const zx = dx > 0 ? Math.log2(w / (dx * TILE)) : Infinity;
    const zy = dy > 0 ? Math.log2(h / (dy * TILE)) : Infinity;
    zoom = Math.min(zx, zy, MAX_FIT_ZOOM);
  }
  return clampView({ cx, cy, zoom: Math.min(zoom, range.max) }, width, height, range);
}

/** The view a map opens at (and Reset returns to): the element's center / zoom where set, else fitted to the points. */
export function initialView(
  el: Pick<MapEl, 'center' | 'zoom'>,
  points: Pick<MapPoints, 'x' | 'y'>,
  width: number,
  height: number,
  range: ZoomRange,
): View {
  const fit = fitView(points.x, points.y, width, height, range);
  const c = el.center;
  const center =
    c && Number.isFinite(c[0]) && Number.isFinite(c[1]) ? { cx: lonToX(c[1]), cy: latToY(c[0]) } : { cx: fit.cx, cy: fit.cy };
  const zoom = el.zoom != null && Number.isFinite(el.zoom) ? el.zoom : fit.zoom;
  return clampView({ ...center, zoom }, width, height, range);
}

// ----- tiles -----

export interface TilePlace {
  z: number;
  /** Column in [0, 2^z) (wrapped), row. */
  x: number;
  y: number;
  /** Top-left corner on the canvas (CSS px) and side. */
  left: number;
  top: number;
  size: number;
}

/** The tile zoom drawn at a (fractional) view zoom: the nearest level, at most `maxZoom`. */
export function tileZoom(zoom: number, maxZoom: number): number {
  return Math.max(0, Math.min(Math.floor(maxZoom), Math.round(zoom)));
}

/**
 * The tiles covering a `width` × `height` canvas at `view`: columns wrap
 * around the world (a column past the last is the first again), rows stop
 * at the poles. Row by row, west to east.
 */
export function tilesForView(view: View, width: number, height: number, maxZoom: number): TilePlace[] {
  const z = tileZoom(view.zoom, maxZoom);
  const n = Math.pow(2, z);
  const size = worldSize(view.zoom) / n;
  const { left, top } = viewport(view, width, height);
  const x0 = Math.floor(left / size);
  const x1 = Math.floor((left + width - 1e-9) / size);
  const y0 = Math.max(0, Math.floor(top / size));
  const y1 = Math.min(n - 1, Math.floor((top + height - 1e-9) / size));
  const out: TilePlace[] = [];
  for (let ty = y0; ty <= y1; ty++) {
    for (let tx = x0; tx <= x1; tx++) {
      out.push({ z, x: ((tx % n) + n) % n, y: ty, left: tx * size - left, top: ty * size - top, size });
    }
  }
  return out;
}

const SUBDOMAINS = 'abc';

/** A tile's URL: the template with {z} {x} {y}, {s} (a, b or c, spread over tiles) and {r} ("@2x" on a dense screen). */
export function tileUrl(template: string, z: number, x: number, y: number, retina: boolean): string {
  return template.replace(/\{([zxysr])\}/g, (_, k: string) => {
    switch (k) {
      case 'z':
        return String(z);
      case 'x':
        return String(x);
      case 'y':
        return String(y);
      case 's':
        return SUBDOMAINS[(x + y) % SUBDOMAINS.length]!;
      default:
        return retina ? '@2x' : '';
    }
  });
}

// ----- graticule -----

const STEPS = [30, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

/** A round step in degrees giving lines about every `px` pixels at `zoom`. */
export function graticuleStep(zoom: number, px = 120): number {
  const degPerPx = 360 / worldSize(zoom);
  const want = degPerPx * px;
  for (const s of STEPS) if (s <= want) return s;
  return STEPS[STEPS.length - 1]!;
}

// ----- drawing dots -----
//
// A canvas path of 100k circles takes the browser most of a second to fill
// without a GPU; writing the pixels here takes some 25 ms. Each dot is a
// precomputed alpha mask (a `Stamp`: the disc, anti-aliased, and its
// outline) blended into a premultiplied RGBA buffer in its colour, then
// handed to the canvas with putImageData.

/** The alpha mask of a dot of radius `r` device px. */
export interface Stamp {
  /** Pixels from the centre pixel to the mask's edge; the mask is (2·half + 1)² pixels. */
  half: number;
  size: number;
  /** 0..255 per pixel, row by row. */
  alpha: Uint8Array;
  /** Per row, the first and last column with any alpha (first > last: none). */
  rows: Int16Array;
}

/**
 * A dot's mask: a disc of radius `r` device px filled at `fillAlpha`
 * (0..1), with, when `ringAlpha` > 0, an outline `ringWidth` px wide
 * centred on its edge drawn over it, as a canvas would fill then stroke.
 */
export function makeStamp(r: number, fillAlpha: number, ringAlpha = 0, ringWidth = 1): Stamp {
  const outer = ringAlpha > 0 ? r + ringWidth / 2 : r;
  const half = Math.ceil(outer + 0.5);
  const size = 2 * half + 1;
  const alpha = new Uint8Array(size * size);
  const rows = new Int16Array(2 * size);
  for (let j = 0; j < size; j++) {
    let first = size;
    let last = -1;
    for (let i = 0; i < size; i++) {
      const d = Math.hypot(i - half, j - half);
      const fill = Math.max(0, Math.min(1, r + 0.5 - d)) * fillAlpha;
      const ring =
        ringAlpha > 0 ? Math.max(0, Math.min(1, Math.min(d - (r - ringWidth / 2), r + ringWidth / 2 - d) + 0.5)) * ringAlpha : 0;
      const a = Math.round((ring + fill * (1 - ring)) * 255);
      alpha[j * size + i] = a;
      if (a > 0) {
        if (i < first) first = i;
        last = i;
      }
    }
    rows[2 * j] = first;
    rows[2 * j + 1] = last;
  }
  return { half, size, alpha, rows };
}

// Channel shifts within a 32-bit pixel (bytes R, G, B, A in memory).
const SHIFT_R = LITTLE_ENDIAN ? 0 : 24;
const SHIFT_G = LITTLE_ENDIAN ? 8 : 16;
const SHIFT_B = LITTLE_ENDIAN ? 16 : 8;
const SHIFT_A = LITTLE_ENDIAN ? 24 : 0;

/**
 * A `width` × `height` layer of dots (device px): premultiplied RGBA while
 * dots are added, straight RGBA (what ImageData holds) after `finish`.
 * Pixels are read and written 32 bits at a time.
 */
export class DotRaster {
  readonly data: Uint8ClampedArray<ArrayBuffer>;
  private readonly px: Uint32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
    this.px = new Uint32Array(this.data.buffer);
  }

  clear(): void {
    this.px.fill(0);
  }

  /**
   * Blends `stamp` in colour (r, g, b) at opacity `opacity` (0..1) over
   * the layer, its centre at the pixel holding (x, y); clipped to the layer.
   */
  dot(x: number, y: number, stamp: Stamp, r: number, g: number, b: number, opacity = 1): void {
    const { width, height, px } = this;
    const { half, size, alpha, rows } = stamp;
    const cx = Math.floor(x);
    const cy = Math.floor(y);
    const y0 = Math.max(0, cy - half);
    const y1 = Math.min(height - 1, cy + half);
    const sr = SHIFT_R;
    const sg = SHIFT_G;
    const sb = SHIFT_B;
    const sa = SHIFT_A;
    const op = Math.round(Math.max(0, Math.min(1, opacity)) * 256);
    for (let py = y0; py <= y1; py++) {
      const row = py - cy + half;
      const px0 = Math.max(0, cx - half + rows[2 * row]!);
      const px1 = Math.min(width - 1, cx - half + rows[2 * row + 1]!);
      let o = py * width + px0;
      let k = row * size + (px0 - cx + half);
      for (let p = px0; p <= px1; p++, o++, k++) {
        const a = (alpha[k]! * op) >> 8;
        if (a === 0) continue;
        const ia = 255 - a;
        const d = px[o]!;
        // (s·a + d·(255 − a)) / 255, rounded: x/255 ≈ (x + 128 + (x + 128) >> 8) >> 8.
        let v = r * a + ((d >>> sr) & 255) * ia + 128;
        const nr = (v + (v >> 8)) >> 8;
        v = g * a + ((d >>> sg) & 255) * ia + 128;
        const ng = (v + (v >> 8)) >> 8;
        v = b * a + ((d >>> sb) & 255) * ia + 128;
        const nb = (v + (v >> 8)) >> 8;
        v = 255 * a + ((d >>> sa) & 255) * ia + 128;
        const na = (v + (v >> 8)) >> 8;
        px[o] = (nr << sr) | (ng << sg) | (nb << sb) | (na << sa);
      }
    }
  }

  /** Premultiplied → straight alpha, for putImageData. */
  finish(): void {
    const d = this.data;
    for (let o = 3; o < d.length; o += 4) {
      const a = d[o]!;
      if (a === 0 || a === 255) continue;
      const f = 255 / a;
      d[o - 3] = d[o - 3]! * f;
      d[o - 2] = d[o - 2]! * f;
      d[o - 1] = d[o - 1]! * f;
    }
  }
}

/**
 * A colour as a canvas gives it back after `ctx.fillStyle = css`
 * ("#rrggbb", or "rgba(r, g, b, a)" when translucent) → [r, g, b, a (0..1)];
 * null for anything else.
 */
export function parseCanvasColor(text: string): [number, number, number, number] | null {
  const hex = /^#([0-9a-f]{6})$/i.exec(text);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const fn = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(text);
  if (fn) {
    const c = (v: string) => Math.max(0, Math.min(255, Math.round(Number(v))));
    const a = fn[4] === undefined ? 1 : Math.max(0, Math.min(1, Number(fn[4])));
    return [c(fn[1]!), c(fn[2]!), c(fn[3]!), a];
  }
  return null;
}

// ----- hover -----

/**
 * The points drawn on the canvas, in a grid of square cells, for finding
 * the one nearest the cursor without looking at all of them. Built once
 * per draw, when the cursor first asks (a counting sort: O(points)).
 */
export class PointGrid {
  private readonly cols: number;
  private readonly rows: number;
  private readonly start: Uint32Array;
  private readonly items: Uint32Array;

  /**
   * `xs`, `ys`: canvas px of the `n` drawn points (the first n entries);
   * the grid covers [0, width) × [0, height), points outside go in the
   * nearest cell.
   */
  constructor(
    private readonly xs: ArrayLike<number>,
    private readonly ys: ArrayLike<number>,
    private readonly n: number,
    width: number,
    height: number,
    private readonly cell = 32,
  ) {
    this.cols = Math.max(1, Math.ceil(width / cell));
    this.rows = Math.max(1, Math.ceil(height / cell));
    const cells = this.cols * this.rows;
    this.start = new Uint32Array(cells + 1);
    this.items = new Uint32Array(n);
    const of = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const c = this.cellOf(xs[i]!, ys[i]!);
      of[i] = c;
      this.start[c + 1]!++;
    }
    for (let c = 0; c < cells; c++) this.start[c + 1]! += this.start[c]!;
    const next = this.start.slice(0, cells);
    for (let i = 0; i < n; i++) this.items[next[of[i]!]!++] = i;
  }

  private cellOf(x: number, y: number): number {
    const cx = Math.max(0, Math.min(this.cols - 1, Math.floor(x / this.cell)));
    const cy = Math.max(0, Math.min(this.rows - 1, Math.floor(y / this.cell)));
    return cy * this.cols + cx;
  }

  /**
   * The position (among the n) of the point nearest (x, y) within `maxDist`
   * px, -1 if none. On a tie, the one drawn last (on top).
   */
  nearest(x: number, y: number, maxDist: number): number {
    const c = this.cell;
    const cx0 = Math.max(0, Math.floor((x - maxDist) / c));
    const cx1 = Math.min(this.cols - 1, Math.floor((x + maxDist) / c));
    const cy0 = Math.max(0, Math.floor((y - maxDist) / c));
    const cy1 = Math.min(this.rows - 1, Math.floor((y + maxDist) / c));
    let best = -1;
    let bestD = maxDist * maxDist;
    for (let gy = cy0; gy <= cy1; gy++) {
      for (let gx = cx0; gx <= cx1; gx++) {
        const cell = gy * this.cols + gx;
        for (let k = this.start[cell]!; k < this.start[cell + 1]!; k++) {
          const i = this.items[k]!;
          const dx = this.xs[i]! - x;
          const dy = this.ys[i]! - y;
          const d = dx * dx + dy * dy;
          if (d < bestD || (d === bestD && i > best)) {
            best = i;
            bestD = d;
          }
        }
      }
    }
    return best;
  }
}

// ----- text -----

/** The figure's aria-label. */
export function mapLabel(count: number): string {
  return `Map of ${count} point${count === 1 ? '' : 's'}`;
}

/** A latitude / longitude as the tooltip shows it: "48.85660° N, 2.35220° E". */
export function formatLatLon(lat: number, lon: number): string {
  const f = (v: number, pos: string, neg: string) =>
    Number.isFinite(v) ? `${Math.abs(v).toFixed(5)}° ${v < 0 ? neg : pos}` : String(v);
  return `${f(lat, 'N', 'S')}, ${f(lon, 'E', 'W')}`;
}
