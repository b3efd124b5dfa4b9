// Small pure helpers for showing values.

import type { Json } from './protocol';

/** A table cell as text. */
export function cellText(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Number of digits after the decimal point in `n` (as written). */
export function decimals(n: number): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return 0;
  const s = String(n);
  const e = s.indexOf('e-');
  if (e >= 0) return Number(s.slice(e + 2)) + (s.slice(0, e).split('.')[1]?.length ?? 0);
  return s.split('.')[1]?.length ?? 0;
}

export function clamp(v: number, min: number | null | undefined, max: number | null | undefined): number {
  if (typeof max === 'number' && v > max) v = max;
  if (typeof min === 'number' && v < min) v = min;
  return v;
}

/**
 * Normalises a number for a numeric widget: clamps it to [min, max], rounds
 * integers, and trims float noise to the precision of the step.
 */
export function normalizeNumber(
  v: number,
  opts: { min?: number | null; max?: number | null; step: number; integer: boolean },
): number {
  let x = clamp(v, opts.min, opts.max);
  if (opts.integer) {
    x = Math.round(x);
    // Rounding can step outside the bounds when they are fractional.
    if (typeof opts.max === 'number' && x > opts.max) x = Math.floor(opts.max);
    if (typeof opts.min === 'number' && x < opts.min) x = Math.ceil(opts.min);
    return x;
  }
  const places = Math.min(
    15,
    Math.max(decimals(opts.step), decimals(opts.min ?? 0), decimals(v) > 15 ? 0 : decimals(v)),
  );
  return Number(x.toFixed(places));
}

/** Formats a numeric widget value for display. */
export function formatNumber(v: number, step: number, integer: boolean): string {
  if (!Number.isFinite(v)) return String(v);
  if (integer) return String(Math.round(v));
  const d = decimals(v);
  return v.toFixed(Math.min(15, Math.max(decimals(step), d > 15 ? 0 : d)));
}
