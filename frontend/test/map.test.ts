import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EARTH_CIRCUMFERENCE,
  MAX_LAT,
  DotRaster,
  MapDataError,
  PointGrid,
  SINGLE_POINT_ZOOM,
  base64Bytes,
  clampView,
  decodeFloat64,
  decodePoints,
  decodeUint16,
  fitView,
  formatLatLon,
  graticuleStep,
  initialView,
  latToY,
  lonToX,
  makeStamp,
  mapLabel,
  metresToPixels,
  minZoom,
  panBy,
  parseCanvasColor,
  pointsExtent,
  screenToUnit,
  tileUrl,
  tileZoom,
  tilesForView,
  unitToScreen,
  viewport,
  worldSize,
  xToLon,
  yToLat,
  zoomAround,
  zoomRange,
} from '../src/charts/map';
import type { MapEl } from '../src/protocol';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const f64 = (values: number[]) => b64(new Uint8Array(new Float64Array(values).buffer));
const u16 = (values: number[]) => b64(new Uint8Array(new Uint16Array(values).buffer));

function mapEl(lat: number[], lon: number[], over: Partial<MapEl> = {}): MapEl {
  return {
    kind: 'map',
    count: lat.length,
    lat: f64(lat),
    lon: f64(lon),
    sizes: null,
    radius: 4,
    colors: [],
    color_of: null,
    tiles: null,
    center: null,
    zoom: null,
    height: 400,
    width: null,
    ...over,
  };
}

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

describe('decoding', () => {
  test('base64 of little-endian arrays', () => {
    assert.deepEqual([...decodeFloat64(f64([1.5, -2, 1e300]), 3, 'lat')], [1.5, -2, 1e300]);
    assert.deepEqual([...decodeUint16(u16([0, 7, 65535]), 3, 'color_of')], [0, 7, 65535]);
    assert.equal(decodeFloat64('', 0, 'lat').length, 0);
    // Bytes as written by the server (little-endian), whatever this machine is.
    assert.deepEqual([...decodeUint16('AQACAA==', 2, 'color_of')], [1, 2]);
    assert.deepEqual([...decodeFloat64('AAAAAAAA8D8=', 1, 'lat')], [1]);
  });

  test('not base64', () => {
    for (const bad of ['abc', 'ab$d', 'AAAA AAAA', '====', 'AA=A']) {
      assert.throws(() => base64Bytes(bad, 'lat'), (e: unknown) => e instanceof MapDataError && /lat is not valid base64/.test(e.message));
    }
  });

  test('lengths must match the count', () => {
    assert.throws(() => decodeFloat64(f64([1, 2]), 3, 'lon'), /lon holds 2 values but the map has 3 points/);
    assert.throws(() => decodeFloat64(f64([1]), 0, 'lon'), /lon holds 1 value but the map has 0 points/);
    assert.throws(() => decodeFloat64(b64(new Uint8Array(12)), 1, 'sizes'), /sizes holds 12 bytes, not a whole number of 8-byte values/);
    assert.throws(() => decodeUint16(b64(new Uint8Array(3)), 1, 'color_of'), /color_of holds 3 bytes/);
  });

  test('decodePoints: projected, NaN skipped, sizes and colours', () => {
    const p = decodePoints(
      mapEl([0, 45, NaN, 10], [0, 90, 5, -180], {
        colors: ['red', 'blue'],
        color_of: u16([1, 0, 1, 0]),
        sizes: f64([1000, 0, 5, NaN]),
      }),
    );
    assert.equal(p.count, 4);
    close(p.x[0]!, 0.5);
    close(p.y[0]!, 0.5);
    close(p.x[1]!, 0.75);
    assert.ok(Number.isNaN(p.x[2]!) && Number.isNaN(p.y[2]!));
    close(p.x[3]!, 0);
    // Colour runs: colour 0 = points 1, 3; colour 1 = points 0, 2.
    assert.deepEqual([...p.runs], [0, 2, 4]);
    assert.deepEqual([...p.order], [1, 3, 0, 2]);
    assert.ok(p.sizeK);
    close(p.sizeK[0]!, 1000);
    close(p.sizeK[1]!, 0);
    close(p.sizeK[3]!, 0);
  });

  test('decodePoints: one colour or none', () => {
    const p = decodePoints(mapEl([1, 2, 3], [1, 2, 3], { colors: ['red'], color_of: u16([0, 0, 0]) }));
    assert.equal(p.colorOf, null);
    assert.deepEqual([...p.runs], [0, 3]);
    assert.deepEqual([...p.order], [0, 1, 2]);
    const q = decodePoints(mapEl([1, 2], [1, 2], { colors: ['red', 'blue', 'green'] }));
    assert.deepEqual([...q.runs], [0, 2, 2, 2]);
  });

  test('decodePoints: errors say what is wrong', () => {
    assert.throws(() => decodePoints(mapEl([1, 2], [1, 2], { count: 3 })), /lat holds 2 values but the map has 3 points/);
    assert.throws(() => decodePoints(mapEl([1, 2], [1, 2], { lon: f64([1]) })), /lon holds 1 value/);
    assert.throws(() => decodePoints(mapEl([1], [1], { sizes: 'no!e' })), /sizes is not valid base64/);
    assert.throws(
      () => decodePoints(mapEl([1, 2], [1, 2], { colors: ['a', 'b'], color_of: u16([0, 2]) })),
      /color_of gives point 1 colour 2, but there are only 2 colours/,
    );
    assert.throws(() => decodePoints(mapEl([1], [1], { color_of: u16([0, 0]) })), /color_of holds 2 values but the map has 1 point/);
    assert.throws(() => decodePoints(mapEl([], [], { count: -1 })), /point count -1/);
  });
});

describe('Web Mercator', () => {
  test('known places', () => {
    close(lonToX(-180), 0);
    close(lonToX(180), 1);
    close(latToY(0), 0.5);
    close(latToY(MAX_LAT), 0, 1e-12);
    close(latToY(-MAX_LAT), 1, 1e-12);
    // Beyond the square: clamped to its edge.
    close(latToY(90), 0, 1e-12);
    close(latToY(-90), 1, 1e-12);
    assert.equal(worldSize(0), 256);
    assert.equal(worldSize(3), 2048);
  });

  test('round trips', () => {
    for (const lat of [-85, -60.5, -1e-6, 0, 12.345678, 51.5074, 85]) close(yToLat(latToY(lat)), lat, 1e-9);
    for (const lon of [-180, -122.4194, 0, 2.3522, 139.6917, 179.999]) close(xToLon(lonToX(lon)), lon, 1e-9);
    // Longitudes wrap.
    close(xToLon(lonToX(190)), -170, 1e-9);
    close(xToLon(lonToX(-190)), 170, 1e-9);
    const view = { cx: 0.3, cy: 0.4, zoom: 5.5 };
    const [ux, uy] = screenToUnit(view, 800, 400, 123, 45);
    const [sx, sy] = unitToScreen(view, 800, 400, ux, uy);
    close(sx, 123, 1e-6);
    close(sy, 45, 1e-6);
    // The nearest copy of the world: x = 0.95 is just west of a centre at 0.05.
    const [wx] = unitToScreen({ cx: 0.05, cy: 0.5, zoom: 2 }, 1000, 400, 0.95, 0.5);
    close(wx, 500 - 0.1 * 1024, 1e-6);
  });

  test('metres to pixels', () => {
    // At the equator and zoom 0 the world's 40,075 km are 256 px.
    close(metresToPixels(EARTH_CIRCUMFERENCE, 0, 0), 256, 1e-9);
    close(metresToPixels(EARTH_CIRCUMFERENCE / 256, 0, 0), 1, 1e-9);
    // Twice as many px per zoom level, 1/cos(lat) as many at a latitude.
    close(metresToPixels(1000, 0, 10), (1000 * 256 * 1024) / EARTH_CIRCUMFERENCE, 1e-9);
    close(metresToPixels(1000, 60, 10), (2 * 1000 * 256 * 1024) / EARTH_CIRCUMFERENCE, 1e-6);
    // Never under the minimum, nor infinite at the pole.
    assert.equal(metresToPixels(1, 0, 0), 1);
    assert.equal(metresToPixels(0, 0, 20, 2), 2);
    assert.ok(Number.isFinite(metresToPixels(100, 90, 5)));
  });
});

describe('the view', () => {
  const W = 800;
  const H = 400;
  const range = zoomRange(H);

  test('least zoom: the world fills the canvas top to bottom', () => {
    close(minZoom(400), Math.log2(400 / 256));
    close(minZoom(1024), 2);
    assert.equal(minZoom(100), 0);
    assert.equal(zoomRange(400, 12).max, 12);
    // Never under the least.
    assert.equal(zoomRange(1024, 1).max, 2);
    assert.equal(range.max, 20);
  });

  test('clamping: zoom, wrapped x, y within the world', () => {
    const v = clampView({ cx: 1.25, cy: -3, zoom: 30 }, W, H, range);
    close(v.cx, 0.25);
    assert.equal(v.zoom, 20);
    close(v.cy, H / 2 / worldSize(20));
    const low = clampView({ cx: -0.25, cy: 0.99, zoom: -5 }, W, H, range);
    close(low.cx, 0.75);
    close(low.zoom, range.min);
    const vp = viewport(low, W, H);
    close(vp.top + H, vp.size, 1e-6); // the bottom edge at the world's
    assert.deepEqual(clampView({ cx: NaN, cy: NaN, zoom: NaN }, W, H, range), { cx: 0.5, cy: 0.5, zoom: range.min });
  });

  test('pan and zoom around a point', () => {
    const v = { cx: 0.5, cy: 0.5, zoom: 4 };
    const p = panBy(v, 100, -50, W, H, range);
    close(p.cx, 0.5 - 100 / worldSize(4));
    close(p.cy, 0.5 + 50 / worldSize(4));
    // Across the antimeridian: x wraps.
    const q = panBy({ cx: 0.001, cy: 0.5, zoom: 4 }, 100, 0, W, H, range);
    close(q.cx, 1 + 0.001 - 100 / worldSize(4));
    const before = screenToUnit(v, W, H, 600, 100);
    const z = zoomAround(v, 6.5, 600, 100, W, H, range);
    assert.equal(z.zoom, 6.5);
    const after = screenToUnit(z, W, H, 600, 100);
    close(after[0], before[0], 1e-12);
    close(after[1], before[1], 1e-12);
    assert.equal(zoomAround(v, 99, 0, 0, W, H, range).zoom, 20);
  });

  test('fit: every point in view, with padding', () => {
    const lat = [48.8566, 51.5074, 40.4168, 52.52];
    const lon = [2.3522, -0.1278, -3.7038, 13.405];
    const p = decodePoints(mapEl(lat, lon));
    const v = fitView(p.x, p.y, W, H, range, 32);
    for (let i = 0; i < lat.length; i++) {
      const [sx, sy] = unitToScreen(v, W, H, p.x[i]!, p.y[i]!);
      assert.ok(sx >= 31.99 && sx <= W - 31.99 && sy >= 31.99 && sy <= H - 31.99, `point ${i} at ${sx},${sy}`);
    }
    // Tight: one axis touches the padding.
    const xs = lon.map((l) => unitToScreen(v, W, H, lonToX(l), 0)[0]);
    const ys = lat.map((l) => unitToScreen(v, W, H, 0.5, latToY(l))[1]);
    const spanX = Math.max(...xs) - Math.min(...xs);
    const spanY = Math.max(...ys) - Math.min(...ys);
    assert.ok(Math.abs(spanX - (W - 64)) < 1e-6 || Math.abs(spanY - (H - 64)) < 1e-6);
  });

  test('fit: one point, no points, the antimeridian', () => {
    const one = decodePoints(mapEl([35.6762], [139.6503]));
    const v1 = fitView(one.x, one.y, W, H, range);
    assert.equal(v1.zoom, SINGLE_POINT_ZOOM);
    close(v1.cx, lonToX(139.6503));
    const same = decodePoints(mapEl([1, 1, 1], [2, 2, 2]));
    assert.equal(fitView(same.x, same.y, W, H, range).zoom, SINGLE_POINT_ZOOM);
    const none = fitView(new Float64Array(0), new Float64Array(0), W, H, range);
    assert.deepEqual(none, clampView({ cx: 0.5, cy: 0.5, zoom: range.min }, W, H, range));
    // Only NaN: as none.
    assert.deepEqual(fitView([NaN], [NaN], W, H, range), none);
    // Fiji and Samoa straddle 180°: the narrow way round, not across the world.
    const fiji = decodePoints(mapEl([-17.7, -13.8], [178.0, -172.1]));
    const ext = pointsExtent(fiji.x, fiji.y)!;
    close(ext.x1 - ext.x0, (360 - 178 - 172.1) / 360, 1e-9);
    const vf = fitView(fiji.x, fiji.y, W, H, range);
    assert.ok(vf.zoom > 4);
    close(xToLon(vf.cx), (178 + 187.9) / 2 - 360, 1e-6);
  });

  test("initial view: the element's center and zoom win", () => {
    const p = decodePoints(mapEl([10, 20], [10, 20]));
    const v = initialView({ center: [51.5, -0.12], zoom: 9 }, p, W, H, range);
    close(v.cx, lonToX(-0.12));
    close(v.cy, latToY(51.5));
    assert.equal(v.zoom, 9);
    const fit = fitView(p.x, p.y, W, H, range);
    const onlyZoom = initialView({ center: null, zoom: 3 }, p, W, H, range);
    close(onlyZoom.cx, fit.cx);
    assert.equal(onlyZoom.zoom, 3);
    const onlyCenter = initialView({ center: [0, 0], zoom: null }, p, W, H, range);
    assert.equal(onlyCenter.zoom, fit.zoom);
    close(onlyCenter.cx, 0.5);
  });
});

describe('tiles', () => {
  test('tile zoom: nearest level, at most max_zoom', () => {
    assert.equal(tileZoom(3.4, 19), 3);
    assert.equal(tileZoom(3.6, 19), 4);
    assert.equal(tileZoom(17, 12), 12);
    assert.equal(tileZoom(-1, 5), 0);
  });

  test('coverage of a view, in place', () => {
    // Zoom 2: 4×4 tiles of 256 px; a 512×512 canvas centred on the world.
    const tiles = tilesForView({ cx: 0.5, cy: 0.5, zoom: 2 }, 512, 512, 19);
    assert.deepEqual(
      tiles.map((t) => [t.z, t.x, t.y, t.left, t.top, t.size]),
      [
        [2, 1, 1, 0, 0, 256],
        [2, 2, 1, 256, 0, 256],
        [2, 1, 2, 0, 256, 256],
        [2, 2, 2, 256, 256, 256],
      ],
    );
    // Off by half a tile: 3×3.
    const off = tilesForView({ cx: 0.5 + 128 / 1024, cy: 0.5, zoom: 2 }, 512, 256, 19);
    assert.deepEqual([...new Set(off.map((t) => t.x))], [1, 2, 3]);
    assert.deepEqual([...new Set(off.map((t) => t.y))], [1, 2]);
    assert.equal(off[0]!.left, -128);
  });

  test('columns wrap around the antimeridian; rows stop at the poles', () => {
    // Centred on x = 0 (lon -180) at zoom 1: columns -1, 0 → 1, 0.
    const t = tilesForView({ cx: 0, cy: 0.5, zoom: 1 }, 512, 512, 19);
    assert.deepEqual(
      t.map((p) => [p.x, p.y, p.left, p.top]),
      [
        [1, 0, 0, 0],
        [0, 0, 256, 0],
        [1, 1, 0, 256],
        [0, 1, 256, 256],
      ],
    );
    // A canvas taller than the world at zoom 0: only row 0.
    const tall = tilesForView({ cx: 0.5, cy: 0.5, zoom: 0 }, 300, 600, 19);
    assert.deepEqual(
      tall.map((p) => [p.x, p.y]),
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    );
    // Every x in range at zoom 3 near the east edge.
    const east = tilesForView({ cx: 0.99, cy: 0.5, zoom: 3 }, 1024, 256, 19);
    for (const p of east) assert.ok(p.x >= 0 && p.x < 8);
    assert.ok(east.some((p) => p.x === 7) && east.some((p) => p.x === 0));
  });

  test('fractional zoom: scaled tiles of the nearest level, overzoom past max_zoom', () => {
    const t = tilesForView({ cx: 0.5, cy: 0.5, zoom: 2.4 }, 256, 256, 19);
    assert.ok(t.every((p) => p.z === 2));
    close(t[0]!.size, 256 * Math.pow(2, 0.4));
    const over = tilesForView({ cx: 0.5, cy: 0.5, zoom: 6 }, 256, 256, 4);
    assert.ok(over.every((p) => p.z === 4 && p.size === 1024));
  });

  test('URL template', () => {
    assert.equal(tileUrl('https://tile.example.org/{z}/{x}/{y}.png', 3, 5, 2, false), 'https://tile.example.org/3/5/2.png');
    assert.equal(tileUrl('https://{s}.tiles.example/{z}/{x}/{y}{r}.png', 1, 1, 1, true), 'https://c.tiles.example/1/1/1@2x.png');
    assert.equal(tileUrl('/{z}/{x}/{y}{r}.png?s={s}', 0, 0, 0, false), '/0/0/0.png?s=a');
    assert.equal(tileUrl('/t/{y}/{x}/{z}/{y}', 4, 9, 7, false), '/t/7/9/4/7');
    // Other braces stay.
    assert.equal(tileUrl('/t/{q}/{z}', 1, 0, 0, false), '/t/{q}/1');
  });
});

describe('dots', () => {
  test('a stamp: an anti-aliased disc, its outline over it', () => {
    const s = makeStamp(3, 0.5);
    assert.equal(s.half, 4);
    assert.equal(s.size, 9);
    const at = (i: number, j: number) => s.alpha[(j + s.half) * s.size + (i + s.half)]!;
    assert.equal(at(0, 0), 128);
    assert.equal(at(2, 0), 128);
    assert.equal(at(4, 0), 0);
    assert.ok(at(3, 0) > 0 && at(3, 0) < 128); // the edge, partly covered
    assert.equal(at(4, 4), 0);
    // Rows list where alpha is: the top row is empty, the middle one spans the disc.
    assert.ok(s.rows[0]! > s.rows[1]!);
    assert.deepEqual([s.rows[2 * 4], s.rows[2 * 4 + 1]], [1, 7]);
    const ring = makeStamp(3, 0.5, 1, 1);
    const ra = (i: number, j: number) => ring.alpha[(j + ring.half) * ring.size + (i + ring.half)]!;
    assert.equal(ra(3, 0), 255);
    assert.equal(ra(0, 0), 128);
    assert.ok(ra(0, 3) === 255 && ra(-3, 0) === 255);
    assert.equal(ra(5, 0), 0);
  });

  test('blending: translucent over translucent, straight alpha at the end', () => {
    const raster = new DotRaster(5, 5);
    const one = makeStamp(0.5, 1);
    // A single pixel, opaque red.
    raster.dot(2.3, 2.9, one, 255, 0, 0);
    const px = (x: number, y: number) => [...raster.data.subarray((y * 5 + x) * 4, (y * 5 + x) * 4 + 4)];
    assert.deepEqual(px(2, 2), [255, 0, 0, 255]);
    assert.deepEqual(px(1, 2), [0, 0, 0, 0]);
    // Half-opaque blue over it: (0.5 blue + 0.5 red), opaque.
    raster.dot(2, 2, one, 0, 0, 255, 0.5);
    assert.deepEqual(px(2, 2), [128, 0, 127, 255]);
    // Half-opaque green on an empty pixel, twice: alpha 0.75, straight colour green.
    raster.dot(0, 0, one, 0, 255, 0, 0.5);
    raster.dot(0, 0, one, 0, 255, 0, 0.5);
    raster.finish();
    const [r, g, b, a] = px(0, 0);
    assert.equal(r, 0);
    assert.equal(b, 0);
    assert.ok(Math.abs(g! - 255) <= 1);
    assert.ok(Math.abs(a! - 192) <= 1);
    // Clipped at the edges, nothing outside written.
    const edge = new DotRaster(4, 4);
    edge.dot(-1, -1, makeStamp(2, 1), 10, 20, 30);
    edge.dot(100, 100, makeStamp(2, 1), 10, 20, 30);
    assert.equal(edge.data[0], 10);
    assert.equal(edge.data[(3 * 4 + 3) * 4 + 3], 0);
    edge.clear();
    assert.ok(edge.data.every((v) => v === 0));
  });

  test('colours as a canvas gives them back', () => {
    assert.deepEqual(parseCanvasColor('#4477aa'), [0x44, 0x77, 0xaa, 1]);
    assert.deepEqual(parseCanvasColor('rgba(255, 0, 10, 0.5)'), [255, 0, 10, 0.5]);
    assert.deepEqual(parseCanvasColor('rgb(1, 2, 3)'), [1, 2, 3, 1]);
    assert.equal(parseCanvasColor('red'), null);
    assert.equal(parseCanvasColor('#abc'), null);
  });
});

describe('hover grid', () => {
  test('nearest within the distance, else -1', () => {
    const xs = [10, 100, 105, 300, 799];
    const ys = [10, 100, 100, 200, 399];
    const g = new PointGrid(xs, ys, xs.length, 800, 400, 32);
    assert.equal(g.nearest(12, 12, 10), 0);
    assert.equal(g.nearest(101, 99, 10), 1);
    assert.equal(g.nearest(104, 101, 10), 2);
    assert.equal(g.nearest(200, 200, 10), -1);
    // Across cells.
    assert.equal(g.nearest(300 - 20, 200 + 20, 40), 3);
    assert.equal(g.nearest(790, 395, 20), 4);
    assert.equal(new PointGrid([], [], 0, 800, 400).nearest(1, 1, 100), -1);
  });

  test('a tie goes to the point drawn last; only the first n count; outside points in edge cells', () => {
    const g = new PointGrid([50, 50, 60], [50, 50, 50], 2, 100, 100, 16);
    assert.equal(g.nearest(50, 50, 5), 1);
    assert.equal(g.nearest(60, 50, 5), -1);
    const out = new PointGrid([-5, 130], [-5, 50], 2, 100, 100, 16);
    assert.equal(out.nearest(0, 0, 10), 0);
    assert.equal(out.nearest(99, 50, 40), 1);
  });

  test('agrees with a full scan on many points', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 5000;
    const xs = new Float32Array(n);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = rand() * 900;
      ys[i] = rand() * 500;
    }
    const g = new PointGrid(xs, ys, n, 900, 500);
    for (let q = 0; q < 200; q++) {
      const x = rand() * 900;
      const y = rand() * 500;
      let best = -1;
      let bestD = 15 * 15;
      for (let i = 0; i < n; i++) {
        const d = (xs[i]! - x) ** 2 + (ys[i]! - y) ** 2;
        if (d < bestD || (d === bestD && i > best)) {
          best = i;
          bestD = d;
        }
      }
      assert.equal(g.nearest(x, y, 15), best);
    }
  });
});

describe('text', () => {
  test('label and coordinates', () => {
    assert.equal(mapLabel(1), 'Map of 1 point');
    assert.equal(mapLabel(0), 'Map of 0 points');
    assert.equal(mapLabel(1000), 'Map of 1000 points');
    assert.equal(formatLatLon(48.8566, 2.3522), '48.85660° N, 2.35220° E');
    assert.equal(formatLatLon(-33.8688, -151.2093), '33.86880° S, 151.20930° W');
  });

  test('graticule step: round degrees, finer as the map zooms in', () => {
    assert.equal(graticuleStep(1.5), 30);
    assert.equal(graticuleStep(4), 10);
    assert.ok(graticuleStep(10) < 1);
    let last = Infinity;
    for (let z = 0; z <= 20; z++) {
      const s = graticuleStep(z);
      assert.ok(s <= last);
      last = s;
    }
  });
});
