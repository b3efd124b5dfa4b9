// Widgets. Each shows the server's value unless the user has a local one
// (see useLocal), and sends a `rerun` when its value is committed (inside a
// form: keeps it for the form's submit, see actions.ts):
// text fields on Enter/blur (text areas on blur or Ctrl/Cmd+Enter), number
// fields on Enter/blur/step, sliders on release, everything else at once.

import type { FunctionComponent } from 'preact';
import { actions } from '../actions';
import { decimals, formatNumber, normalizeNumber } from '../format';
import type {
  ButtonEl,
  CheckboxEl,
  MultiselectEl,
  NumberInputEl,
  RadioEl,
  SelectboxEl,
  SliderEl,
  TextAreaEl,
  TextInputEl,
} from '../protocol';
import { domId, Help, LabelRow, useLocal } from './common';

type P<E> = { el: E; path: string };

function Button({ el }: P<ButtonEl>) {
  return (
    <div class="bk-inline">
      <button
        type="button"
        class={el.primary ? 'bk-btn bk-primary' : 'bk-btn'}
        disabled={!!el.disabled}
        onClick={() => (el.kind === 'form_submit' ? actions.submit(el.id) : actions.press(el.id))}
      >
        {el.label}
      </button>
      <Help text={el.help} />
    </div>
  );
}

function Checkbox({ el, path }: P<CheckboxEl>) {
  const local = useLocal(el, !!el.value);
  const id = domId(path);
  const toggle = el.kind === 'toggle';
  return (
    <div class="bk-inline">
      <input
        type="checkbox"
        id={id}
        role={toggle ? 'switch' : undefined}
        class={toggle ? 'bk-switch' : 'bk-box'}
        checked={local.value}
        disabled={!!el.disabled}
        onChange={(e) => {
          const v = e.currentTarget.checked;
          local.commit(v, v);
        }}
      />
      <label for={id} class="bk-check-label">
        {el.label}
      </label>
      <Help text={el.help} />
    </div>
  );
}

function Counter({ len, max }: { len: number; max?: number | null }) {
  if (!max) return null;
  return <div class="bk-counter">{`${len}/${max}`}</div>;
}

/** Shared by text_input and text_area: commit the local text if it changed. */
function useText(el: TextInputEl | TextAreaEl) {
  const local = useLocal<string>(el, el.value ?? '');
  const commit = () => {
    if (!local.dirty) return;
    const v = local.value;
    local.commit(v, v, v === el.value);
  };
  const onInput = (e: Event) => local.set((e.currentTarget as HTMLInputElement).value, true);
  return { local, commit, onInput };
}

function TextInput({ el, path }: P<TextInputEl>) {
  const { local, commit, onInput } = useText(el);
  const id = domId(path);
  return (
    <div class="bk-field">
      <LabelRow for={id} label={el.label} help={el.help} />
      <input
        id={id}
        class="bk-input"
        type={(el.password ? 'password' : 'text') as 'text'}
        value={local.value}
        placeholder={el.placeholder ?? undefined}
        maxLength={el.max_chars ?? undefined}
        disabled={!!el.disabled}
        autocomplete={el.password ? 'current-password' : 'off'}
        spellcheck={false}
        onInput={onInput}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.isComposing) commit();
        }}
        onBlur={commit}
      />
      <Counter len={local.value.length} max={el.max_chars} />
    </div>
  );
}

function TextArea({ el, path }: P<TextAreaEl>) {
  const { local, commit, onInput } = useText(el);
  const id = domId(path);
  return (
    <div class="bk-field">
      <LabelRow for={id} label={el.label} help={el.help} />
      <textarea
        id={id}
        class="bk-input bk-textarea"
        value={local.value}
        placeholder={el.placeholder ?? undefined}
        maxLength={el.max_chars ?? undefined}
        disabled={!!el.disabled}
        style={el.height ? { height: el.height + 'px' } : undefined}
        onInput={onInput}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            commit();
          }
        }}
        onBlur={commit}
      />
      <Counter len={local.value.length} max={el.max_chars} />
    </div>
  );
}

function parseNumber(s: string): number | null {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function NumberInput({ el, path }: P<NumberInputEl>) {
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
  return (
    <div class="bk-field">
      <LabelRow for={id} label={el.label} help={el.help} />
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
          disabled={!!el.disabled}
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
          disabled={!!el.disabled || atMin}
          onClick={() => stepBy(-1)}
        >
          −
        </button>
        <button
          type="button"
          class="bk-step"
          aria-label="Step up"
          disabled={!!el.disabled || atMax}
          onClick={() => stepBy(1)}
        >
          +
        </button>
      </div>
    </div>
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

function Slider({ el, path }: P<SliderEl>) {
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
    disabled: !!el.disabled,
  } as const;

  if (Array.isArray(value)) {
    const [lo, hi] = value;
    const pick = (e: Event, which: 0 | 1): [number, number] => {
      const v = norm(Number((e.currentTarget as HTMLInputElement).value));
      return which === 0 ? [Math.min(v, hi), hi] : [lo, Math.max(v, lo)];
    };
    return (
      <div class="bk-field">
        <LabelRow id={labelId} label={el.label} help={el.help}>
          <output class="bk-slider-value">
            {show(lo)} – {show(hi)}
          </output>
        </LabelRow>
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
      </div>
    );
  }

  const v = Number(value);
  const read = (e: Event) => norm(Number((e.currentTarget as HTMLInputElement).value));
  return (
    <div class="bk-field">
      <LabelRow for={id} label={el.label} help={el.help}>
        <output class="bk-slider-value" for={id}>
          {show(v)}
        </output>
      </LabelRow>
      <div class="bk-range" style={track(0, pct(v))}>
        <input
          {...common}
          id={id}
          value={String(v)}
          onInput={(e) => local.set(read(e), true)}
          onChange={(e) => commit(read(e))}
        />
      </div>
    </div>
  );
}

function Selectbox({ el, path }: P<SelectboxEl>) {
  const local = useLocal(el, el.index);
  const id = domId(path);
  const options = el.options ?? [];
  return (
    <div class="bk-field">
      <LabelRow for={id} label={el.label} help={el.help} />
      <select
        id={id}
        class="bk-input bk-select"
        value={String(local.value)}
        disabled={!!el.disabled || options.length === 0}
        onChange={(e) => {
          const i = Number(e.currentTarget.value);
          local.commit(i, i);
        }}
      >
        {options.length === 0 && <option value={String(local.value)}>No options</option>}
        {options.map((o, i) => (
          <option key={i} value={String(i)}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

function Radio({ el, path }: P<RadioEl>) {
  const local = useLocal(el, el.index);
  const id = domId(path);
  return (
    <div class="bk-field">
      <LabelRow id={id + '-label'} label={el.label} help={el.help} />
      <div
        role="radiogroup"
        aria-labelledby={id + '-label'}
        class={el.horizontal ? 'bk-choices bk-horizontal' : 'bk-choices'}
      >
        {(el.options ?? []).map((o, i) => (
          <label key={i} class="bk-choice">
            <input
              type="radio"
              name={id}
              value={String(i)}
              checked={local.value === i}
              disabled={!!el.disabled}
              onChange={() => local.commit(i, i)}
            />
            <span>{o}</span>
          </label>
        ))}
      </div>
    </div>
  );
}

function Multiselect({ el, path }: P<MultiselectEl>) {
  const local = useLocal<readonly number[]>(el, el.selected ?? []);
  const id = domId(path);
  const selected = local.value;
  const toggle = (i: number, on: boolean) => {
    // Keep the order in which options were picked.
    const next = on ? [...selected.filter((x) => x !== i), i] : selected.filter((x) => x !== i);
    local.commit(next, next);
  };
  return (
    <div class="bk-field">
      <LabelRow id={id + '-label'} label={el.label} help={el.help} />
      <div role="group" aria-labelledby={id + '-label'} class="bk-choices bk-chips">
        {(el.options ?? []).map((o, i) => {
          const on = selected.includes(i);
          return (
            <label key={i} class={on ? 'bk-chip bk-on' : 'bk-chip'}>
              <input
                type="checkbox"
                checked={on}
                disabled={!!el.disabled}
                onChange={(e) => toggle(i, e.currentTarget.checked)}
              />
              <span>{o}</span>
            </label>
          );
        })}
      </div>
      {selected.length === 0 && el.placeholder && <div class="bk-small">{el.placeholder}</div>}
    </div>
  );
}

export const WIDGETS: Record<string, FunctionComponent<any>> = {
  button: Button,
  form_submit: Button,
  checkbox: Checkbox,
  toggle: Checkbox,
  text_input: TextInput,
  text_area: TextArea,
  number_input: NumberInput,
  slider: Slider,
  selectbox: Selectbox,
  radio: Radio,
  multiselect: Multiselect,
};
