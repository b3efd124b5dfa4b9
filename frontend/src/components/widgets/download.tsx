// download_button: a button that downloads a file and, when the element
// says `rerun`, counts as a press (a trigger, like a button) as well.
//
// The browser downloads the file itself, from the element's same-origin URL
// (`/_brooklet/media/…`, or `/_brooklet/download/…` for a file the app makes
// when clicked): a click on an `<a download>` made for the purpose. The
// bytes never pass through this script, so a file of gigabytes costs the
// page nothing. Download buttons are never inside forms (the server refuses
// them there), so there is no waiting value to think of.

import { actions } from '../../actions';
import type { DownloadButtonEl } from '../../protocol';
import { safeHref } from '../common';
import { Inline, isDisabled, type WidgetProps } from './common';

/**
 * Starts the download of `url` as `fileName`: a hidden `<a href download>`
 * in the page, clicked and removed (Firefox follows a click only on a link
 * that is in the document).
 */
export function startDownload(doc: Document, url: string, fileName: string, mime?: string): void {
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  if (mime) a.type = mime;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
}

/** What a click on the button does: the download, then the press if `rerun`. */
export function download(el: DownloadButtonEl, doc: Document = document): void {
  const href = safeHref(el.url);
  if (href !== null) startDownload(doc, href, el.file_name, el.mime);
  if (el.rerun) actions.press(el.id);
}

export function DownloadButton({ el }: WidgetProps<DownloadButtonEl>) {
  let cls = el.primary ? 'bk-btn bk-primary' : 'bk-btn';
  if (el.use_container_width) cls += ' bk-btn-fill';
  return (
    <Inline el={el}>
      <button type="button" class={cls} disabled={isDisabled(el)} onClick={() => download(el)}>
        {el.label}
      </button>
    </Inline>
  );
}
