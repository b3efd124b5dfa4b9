// selectbox, radio and multiselect: a pick among `options`, sent as
// indices and committed at once.

import type { MultiselectEl, RadioEl, SelectboxEl } from '../../protocol';
import { domId } from '../common';
import { Field, isDisabled, useLocal, type WidgetProps } from './common';

export function Selectbox({ el, path }: WidgetProps<SelectboxEl>) {
  const local = useLocal<number | null>(el, el.index ?? null);
  const id = domId(path);
  const options = el.options ?? [];
  // Nothing chosen (an optional selectbox): the placeholder shows, and
  // cannot be chosen back.
  const none = local.value === null;
  return (
    <Field el={el} for={id}>
      <select
        id={id}
        class={none ? 'bk-input bk-select bk-placeholder' : 'bk-input bk-select'}
        value={none ? '' : String(local.value)}
        disabled={isDisabled(el) || options.length === 0}
        onChange={(e) => {
          const i = Number(e.currentTarget.value);
          local.commit(i, i);
        }}
      >
        {none && (
          <option value="" disabled hidden={options.length > 0}>
            {options.length === 0 ? 'No options' : (el.placeholder ?? 'Choose an option')}
          </option>
        )}
        {!none && options.length === 0 && <option value={String(local.value)}>No options</option>}
        {options.map((o, i) => (
          <option key={i} value={String(i)}>
            {o}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function Radio({ el, path }: WidgetProps<RadioEl>) {
  const local = useLocal<number | null>(el, el.index ?? null);
  const id = domId(path);
  return (
    <Field el={el} labelId={id + '-label'}>
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
              disabled={isDisabled(el)}
              onChange={() => local.commit(i, i)}
            />
            <span>{o}</span>
          </label>
        ))}
      </div>
    </Field>
  );
}

export function Multiselect({ el, path }: WidgetProps<MultiselectEl>) {
  const local = useLocal<readonly number[]>(el, el.selected ?? []);
  const id = domId(path);
  const selected = local.value;
  const toggle = (i: number, on: boolean) => {
    // Keep the order in which options were picked.
    const next = on ? [...selected.filter((x) => x !== i), i] : selected.filter((x) => x !== i);
    local.commit(next, next);
  };
  return (
    <Field el={el} labelId={id + '-label'}>
      <div role="group" aria-labelledby={id + '-label'} class="bk-choices bk-chips">
        {(el.options ?? []).map((o, i) => {
          const on = selected.includes(i);
          return (
            <label key={i} class={on ? 'bk-chip bk-on' : 'bk-chip'}>
              <input
                type="checkbox"
                checked={on}
                disabled={isDisabled(el)}
                onChange={(e) => toggle(i, e.currentTarget.checked)}
              />
              <span>{o}</span>
            </label>
          );
        })}
      </div>
      {selected.length === 0 && el.placeholder && <div class="bk-small">{el.placeholder}</div>}
    </Field>
  );
}
