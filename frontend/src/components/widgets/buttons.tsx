// button and form_submit: a press (or the form's submit), no value kept.

import { actions } from '../../actions';
import type { ButtonEl } from '../../protocol';
import { Inline, isDisabled, type WidgetProps } from './common';

export function Button({ el }: WidgetProps<ButtonEl>) {
  return (
    <Inline el={el}>
      <button
        type="button"
        class={el.primary ? 'bk-btn bk-primary' : 'bk-btn'}
        disabled={isDisabled(el)}
        onClick={() => (el.kind === 'form_submit' ? actions.submit(el.id) : actions.press(el.id))}
      >
        {el.label}
      </button>
    </Inline>
  );
}
