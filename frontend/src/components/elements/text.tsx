// Text: title, header/subheader, markdown, text/caption, divider.

import type { HeaderEl, MarkdownEl, TextEl, TitleEl } from '../../protocol';
import type { LeafProps } from '../props';

export function Title({ el }: LeafProps<TitleEl>) {
  return <h1 class="bk-h">{el.text}</h1>;
}

export function Header({ el }: LeafProps<HeaderEl>) {
  const H = el.kind === 'header' ? 'h2' : 'h3';
  return (
    <>
      <H class="bk-h">{el.text}</H>
      {el.divider && <hr class="bk-rule bk-accent-rule" />}
    </>
  );
}

export function Markdown({ el }: LeafProps<MarkdownEl>) {
  // The server rendered it and escaped raw HTML unless the app opted in.
  return <div class="bk-md" dangerouslySetInnerHTML={{ __html: el.html }} />;
}

export function Text({ el }: LeafProps<TextEl>) {
  return el.kind === 'text' ? <pre class="bk-pre">{el.text}</pre> : <p class="bk-small">{el.text}</p>;
}

export function Divider() {
  return <hr class="bk-rule" />;
}
