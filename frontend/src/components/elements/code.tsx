// A code block with its language and a Copy button.

import { useState } from 'preact/hooks';
import type { CodeEl } from '../../protocol';
import type { LeafProps } from '../props';

export function Code({ el }: LeafProps<CodeEl>) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(el.code).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1200);
      },
      () => {},
    );
  };
  return (
    <div class="bk-codebox">
      <div class="bk-codebar">
        <span class="bk-lang">{el.language || 'text'}</span>
        <button type="button" class="bk-copy" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code class={el.language ? 'language-' + el.language : undefined}>{el.code}</code>
      </pre>
    </div>
  );
}
