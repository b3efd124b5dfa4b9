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

/** A piece of plain text: code (between backticks) or not. */
export interface TextPiece {
  code: boolean;
  text: string;
}

/**
 * Splits plain text into text and `code` spans, as Markdown reads
 * backticks: a run of N backticks opens a span that the next run of exactly
 * N closes (so ``a ` b`` holds a backtick); a run with no closer is text;
 * one space just inside each end is dropped when both are there (and the
 * span is not all spaces). The pieces are text, never markup: the caller
 * shows them as text nodes.
 */
export function codeSpans(text: string): TextPiece[] {
  const out: TextPiece[] = [];
  let plain = '';
  const runAt = (i: number) => {
    let j = i;
    while (text[j] === '`') j++;
    return j - i;
  };
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      plain += text[i];
      i++;
      continue;
    }
    const n = runAt(i);
    // The closer: the next run of exactly n backticks.
    let close = -1;
    for (let j = i + n; j < text.length; ) {
      if (text[j] !== '`') {
        j++;
        continue;
      }
      const m = runAt(j);
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      plain += text.slice(i, i + n);
      i += n;
      continue;
    }
    let code = text.slice(i + n, close).replace(/\r\n|\r|\n/g, ' ');
    if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') {
      code = code.slice(1, -1);
    }
    if (plain) out.push({ code: false, text: plain });
    plain = '';
    out.push({ code: true, text: code });
    i = close + n;
  }
  if (plain) out.push({ code: false, text: plain });
  return out;
}
