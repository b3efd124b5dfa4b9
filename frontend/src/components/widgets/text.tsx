// text_input and text_area: committed on Enter/blur (a text area on blur or
// Ctrl/Cmd+Enter), with a character counter when there is a limit.

import type { TextAreaEl, TextInputEl } from '../../protocol';
import { domId } from '../common';
import { Field, isDisabled, useLocal, type WidgetProps } from './common';

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

export function TextInput({ el, path }: WidgetProps<TextInputEl>) {
  const { local, commit, onInput } = useText(el);
  const id = domId(path);
  return (
    <Field el={el} for={id}>
      <input
        id={id}
        class="bk-input"
        type={(el.password ? 'password' : 'text') as 'text'}
        value={local.value}
        placeholder={el.placeholder ?? undefined}
        maxLength={el.max_chars ?? undefined}
        disabled={isDisabled(el)}
        autocomplete={el.password ? 'current-password' : 'off'}
        spellcheck={false}
        onInput={onInput}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.isComposing) commit();
        }}
        onBlur={commit}
      />
      <Counter len={local.value.length} max={el.max_chars} />
    </Field>
  );
}

export function TextArea({ el, path }: WidgetProps<TextAreaEl>) {
  const { local, commit, onInput } = useText(el);
  const id = domId(path);
  return (
    <Field el={el} for={id}>
      <textarea
        id={id}
        class="bk-input bk-textarea"
        value={local.value}
        placeholder={el.placeholder ?? undefined}
        maxLength={el.max_chars ?? undefined}
        disabled={isDisabled(el)}
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
    </Field>
  );
}
