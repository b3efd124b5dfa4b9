// checkbox and toggle (a checkbox drawn as a switch): committed at once.

import type { CheckboxEl } from '../../protocol';
import { domId } from '../common';
import { Inline, isDisabled, useLocal, type WidgetProps } from './common';

export function Checkbox({ el, path }: WidgetProps<CheckboxEl>) {
  const local = useLocal(el, !!el.value);
  const id = domId(path);
  const toggle = el.kind === 'toggle';
  return (
    <Inline el={el}>
      <input
        type="checkbox"
        id={id}
        role={toggle ? 'switch' : undefined}
        class={toggle ? 'bk-switch' : 'bk-box'}
        checked={local.value}
        disabled={isDisabled(el)}
        onChange={(e) => {
          const v = e.currentTarget.checked;
          local.commit(v, v);
        }}
      />
      <label for={id} class="bk-check-label">
        {el.label}
      </label>
    </Inline>
  );
}
