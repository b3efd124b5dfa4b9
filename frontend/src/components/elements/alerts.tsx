// Messages to the reader: alert (success/info/warning/error) and exception.

import { codeSpans } from '../../format';
import type { AlertEl, AlertLevel, ExceptionEl } from '../../protocol';
import type { LeafProps } from '../props';

const ICONS: Record<AlertLevel, string> = {
  success: '✓',
  info: 'i',
  warning: '!',
  error: '✕',
};

export function Alert({ el }: LeafProps<AlertEl>) {
  const level = ICONS[el.level] ? el.level : 'info';
  return (
    <div class={'bk-alert-box bk-' + level} role={level === 'error' || level === 'warning' ? 'alert' : 'status'}>
      <span class="bk-alert-icon" aria-hidden="true">
        {ICONS[level]}
      </span>
      <div class="bk-md" dangerouslySetInnerHTML={{ __html: el.html }} />
    </div>
  );
}

/**
 * An exception's message is plain text (a panic message), but like an
 * alert's Markdown it shows `code` spans as code: as text nodes in `<code>`
 * elements, never as markup.
 */
function MessageText({ text }: { text: string }) {
  return (
    <>
      {codeSpans(text).map((piece) => (piece.code ? <code>{piece.text}</code> : piece.text))}
    </>
  );
}

export function Exception({ el }: LeafProps<ExceptionEl>) {
  return (
    <div class="bk-exc" role="alert">
      <div class="bk-exc-message">
        <MessageText text={String(el.message ?? '')} />
      </div>
      {el.location && <div class="bk-exc-loc">at {el.location}</div>}
      {el.detail && (
        <details class="bk-exc-detail">
          <summary>Details</summary>
          <pre>{el.detail}</pre>
        </details>
      )}
    </div>
  );
}
