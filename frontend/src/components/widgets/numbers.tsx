// number_input (a field with step buttons; committed on Enter/blur/step)
// and slider (one thumb, or two for a range; committed on release).

import { decimals, formatNumber, normalizeNumber } from '../../format';
import type { NumberInputEl, SliderEl } from '../../protocol';
import { domId } from '../common';
import { Field, isDisabled, useLocal, type WidgetProps } from './common';

function parseNumber(s: string): number | null {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

export function NumberInput({ el, path }: WidgetProps<NumberInputEl>) {
  const step = el.step > 0 ? el.step : el.integer ? 1 : 0.01;
  const fmt = (v: number) => formatNumber(v, step, el.integer);
  const local = useLocal<string>(el, fmt(el.value), (v) => fmt(Number(v)));
  const id = domId(path);
  const send = (n: number) => {
    const v = normalizeNumber(n, { min: el.min, max: el.max, step, integer: el.integer });
    local.commit(fmt(v), v, v === el.value);
  };
  const commit = () => {
    if (!local.dirty) return;
    const n = parseNumber(local.value);
    if (n === null) local.reset();
    else send(n);
  };
  const current = parseNumber(local.value) ?? el.value;
  const stepBy = (dir: 1 | -1) => send(current + dir * step);
  const atMin = typeof el.min === 'number' && current <= el.min;
  const atMax = typeof el.max === 'number' && current >= el.max;
  const disabled = isDisabled(el);
  return (
    <Field el={el} for={id}>
      <div class="bk-number">
        <input
          id={id}
          class="bk-input"
          type="number"
          inputMode={el.integer ? 'numeric' : 'decimal'}
          value={local.value}
          min={el.min ?? undefined}
          max={el.max ?? undefined}
          step={el.integer ? Math.max(1, Math.round(step)) : 'any'}
          disabled={disabled}
          onInput={(e) => local.set(e.currentTarget.value, true)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
          onBlur={commit}
        />
        <button
          type="button"
          class="bk-step"
          aria-label="Step down"
          disabled={disabled || atMin}
          onClick={() => stepBy(-1)}
        >
          −
        </button>
        <button
          type="button"
          class="bk-step"
          aria-label="Step up"
          disabled={disabled || atMax}
          onClick={() => stepBy(1)}
        >
          +
        </button>
      </div>
    </Field>
  );
}

type SliderValue = number | [number, number];

/**
 * The filled part of a slider's track, as CSS custom properties. An object,
 * not a "--lo:…" string: Preact sets each with `style.setProperty` (CSSOM),
 * which the Content-Security-Policy (`style-src 'self'`) allows.
 */
function track(lo: number, hi: number): Record<string, string> {
  return { '--lo': lo + '%', '--hi': hi + '%' };
}

function sameSlider(a: SliderValue, b: SliderValue): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a[0] === b[0] && a[1] === b[1] : a === b;
}

export function Slider({ el, path }: WidgetProps<SliderEl>) {
  const local = useLocal<SliderValue>(el, el.value);
  const id = domId(path);
  const labelId = id + '-label';
  const { min, max } = el;
  const step = el.step > 0 ? el.step : el.integer ? 1 : (max - min) / 100 || 0.01;
  const places = el.integer ? 0 : Math.max(decimals(step), decimals(min));
  const norm = (v: number) => (el.integer ? Math.round(v) : Number(v.toFixed(places)));
  const show = (v: number) => formatNumber(v, step, el.integer);
  const pct = (v: number) => (max > min ? ((v - min) / (max - min)) * 100 : 0);
  const value = local.value;
  const commit = (v: SliderValue) =>
    local.commit(v, Array.isArray(v) ? [v[0], v[1]] : v, sameSlider(v, el.value));
  const common = {
    type: 'range',
    min,
    max,
    step,
    disabled: isDisabled(el),
  } as const;

  if (Array.isArray(value)) {
    const [lo, hi] = value;
    const pick = (e: Event, which: 0 | 1): [number, number] => {
      const v = norm(Number((e.currentTarget as HTMLInputElement).value));
      return which === 0 ? [Math.min(v, hi), hi] : [lo, Math.max(v, lo)];
    };
    return (
      <Field
        el={el}
        labelId={labelId}
        extra={
          <output class="bk-slider-value">
            {show(lo)} – {show(hi)}
          </output>
        }
      >
        <div
          class="bk-range bk-range2"
          role="group"
          aria-labelledby={labelId}
          style={track(pct(lo), pct(hi))}
        >
          <input
            {...common}
            id={id}
            aria-label="Minimum"
            value={String(lo)}
            // When the thumbs meet at the right end, the low one must stay
            // grabbable.
            class={lo === hi && pct(lo) > 50 ? 'bk-top' : undefined}
            onInput={(e) => local.set(pick(e, 0), true)}
            onChange={(e) => commit(pick(e, 0))}
          />
          <input
            {...common}
            id={id + '-hi'}
            aria-label="Maximum"
            value={String(hi)}
            onInput={(e) => local.set(pick(e, 1), true)}
            onChange={(e) => commit(pick(e, 1))}
          />
        </div>
      </Field>
    );
  }

  const v = Number(value);
  const read = (e: Event) => norm(Number((e.currentTarget as HTMLInputElement).value));
  return (
    <Field
      el={el}
      for={id}
      extra={
        <output class="bk-slider-value" for={id}>
          {show(v)}
        </output>
      }
    >
      <div class="bk-range" style={track(0, pct(v))}>
        <input
          {...common}
          id={id}
          value={String(v)}
          onInput={(e) => local.set(read(e), true)}
          onChange={(e) => commit(read(e))}
        />
      </div>
    </Field>
  );
}
