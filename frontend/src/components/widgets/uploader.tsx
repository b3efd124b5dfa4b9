// file_uploader: a drop zone with a "Browse files" button, and the list of
// files under it. Each file goes up on its own HTTP request (uploads.ts);
// when one arrives, the widget commits its new value: the list of file
// references the server handed back.
//
// The list shows the files of the widget's value (the server's, or the one
// just committed, see useLocal) and, after them, the files of this page that
// are not in the value (yet): uploads in flight, with a progress bar, and
// failed ones, with the reason. Those are local: the server never heard of
// them (a failed upload commits nothing), so a rerun leaves them as they are.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { FileUploaderEl, UploadedFileRef } from '../../protocol';
import {
  acceptAttr,
  asFileRefs,
  checkFile,
  discard,
  humanSize,
  limitLine,
  pickFiles,
  upload,
  type Upload,
  withoutFile,
  withUploaded,
} from '../../uploads';
import { domId } from '../common';
import { Field, isDisabled, useLocal, type WidgetProps } from './common';

/** A file of this page that is not (yet) in the widget's value. */
interface Pending {
  key: number;
  name: string;
  size: number;
  /** Bytes sent so far. */
  loaded: number;
  /** Under way; null once it failed (or was never sent). */
  upload: Upload | null;
  /** Why it failed (shown under it). */
  error: string | null;
}

/**
 * A file's progress: a bar with the percentage as its value, for people
 * (the bar) and screen readers (`aria-valuenow`, and the bytes in
 * `aria-valuetext`). Also used by camera_input and audio_input.
 */
export function UploadBar({ name, loaded, total }: { name: string; loaded: number; total: number }) {
  const pct = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
  return (
    <div
      class="bk-upload-bar"
      role="progressbar"
      aria-label={`Uploading ${name}`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={`${pct}% of ${humanSize(total)}`}
    >
      <div class="bk-upload-bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

/** One line of the list: name and size, a bar or an error under them, and ×. */
function FileRow(props: {
  name: string;
  size: number;
  loaded?: number;
  error?: string | null;
  disabled: boolean;
  onRemove: () => void;
}) {
  const uploading = props.loaded !== undefined;
  return (
    <li class={props.error ? 'bk-upload-row bk-upload-failed' : 'bk-upload-row'}>
      <div class="bk-upload-info">
        <div class="bk-upload-line">
          <span class="bk-upload-name">{props.name}</span>
          <span class="bk-upload-size">{humanSize(props.size)}</span>
        </div>
        {uploading && <UploadBar name={props.name} loaded={props.loaded ?? 0} total={props.size} />}
        {props.error && (
          <div class="bk-upload-error" role="alert">
            {props.error}
          </div>
        )}
      </div>
      <button
        type="button"
        class="bk-upload-remove"
        aria-label={`Remove ${props.name}`}
        title={uploading ? 'Cancel the upload' : 'Remove'}
        disabled={props.disabled}
        onClick={props.onRemove}
      >
        ×
      </button>
    </li>
  );
}

export function FileUploader({ el, path }: WidgetProps<FileUploaderEl>) {
  const local = useLocal<UploadedFileRef[]>(el, asFileRefs(el.value), asFileRefs);
  const [, setTick] = useState(0);
  const rerender = () => setTick((n) => n + 1);
  const st = useRef({
    pending: [] as Pending[],
    next: 0,
    /** Nested dragenter/dragleave of the zone's children: highlighted while > 0. */
    drags: 0,
    note: null as string | null,
    alive: true,
    /** The value as last committed or shown: an upload that ends commits onto it. */
    value: local.value,
    el,
  }).current;
  // Uploads end in callbacks made during an earlier render: they read the
  // element and the value from here, as they are now. (Two uploads can end
  // in one tick, before a re-render: the first commit updates `value` itself.)
  st.value = local.value;
  st.el = el;
  const input = useRef<HTMLInputElement>(null);
  const disabled = isDisabled(el);
  const id = domId(path);

  // Leaving the page (or the widget leaving it) cancels what is in flight.
  useEffect(
    () => () => {
      st.alive = false;
      for (const p of st.pending) p.upload?.abort();
    },
    [],
  );

  const commit = (next: UploadedFileRef[]) => {
    // Files leaving the list that the server's value never held: delete
    // them now (the server deletes the others when the value drops them).
    const known = new Set(asFileRefs(st.el.value).map((f) => f.file_id));
    const kept = new Set(next.map((f) => f.file_id));
    for (const f of st.value) {
      if (!kept.has(f.file_id) && !known.has(f.file_id)) discard(st.el.upload_url, f.file_id);
    }
    st.value = next;
    local.commit(next, next);
  };

  const drop = (p: Pending) => {
    p.upload?.abort();
    st.pending = st.pending.filter((q) => q !== p);
  };

  const start = (files: File[]) => {
    const el = st.el;
    if (isDisabled(el) || files.length === 0) return;
    const picked = pickFiles(files, el.multiple);
    st.note = picked.note;
    // A new pick clears the last one's failures; a widget of one file also
    // drops the upload still under way (the new file replaces it).
    for (const p of [...st.pending]) if (p.error !== null || !el.multiple) drop(p);
    for (const file of picked.files) {
      const error = checkFile(file, el.accept ?? [], el.max_bytes);
      const p: Pending = { key: st.next++, name: file.name, size: file.size, loaded: 0, upload: null, error };
      st.pending.push(p);
      if (error !== null) continue;
      p.upload = upload(el.upload_url, file, file.name, {
        onProgress: (loaded) => {
          p.loaded = loaded;
          if (st.alive) rerender();
        },
      });
      p.upload.done.then(
        (ref) => {
          if (!st.alive || !st.pending.includes(p)) return;
          st.pending = st.pending.filter((q) => q !== p);
          commit(withUploaded(st.value, ref, st.el.multiple));
        },
        (e: unknown) => {
          if (!st.alive || !st.pending.includes(p)) return;
          // Cancelled: `drop` has taken it off the list already.
          if (e instanceof Error && 'aborted' in e && e.aborted) return;
          p.upload = null;
          p.error = e instanceof Error ? e.message : String(e);
          rerender();
        },
      );
    }
    rerender();
  };

  const remove = (fileId: string) => commit(withoutFile(st.value, fileId));

  const highlight = (on: boolean) => {
    st.drags = on ? st.drags + 1 : Math.max(0, st.drags - 1);
    rerender();
  };

  // Every drag event is taken (preventDefault), even when disabled: a file
  // dropped where the page does not take it would otherwise be opened by
  // the browser, in place of the app.
  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    st.drags = 0;
    rerender();
    if (!disabled) start(Array.from(e.dataTransfer?.files ?? []));
  };

  const over = st.drags > 0 && !disabled;
  const accept = el.accept ?? [];
  return (
    <Field el={el} for={id} labelId={id + '-label'}>
      <div
        class={'bk-dropzone' + (over ? ' bk-dragover' : '') + (disabled ? ' bk-disabled' : '')}
        role="group"
        aria-labelledby={id + '-label'}
        onDragEnter={(e) => {
          e.preventDefault();
          highlight(true);
        }}
        onDragOver={onDragOver}
        onDragLeave={() => highlight(false)}
        onDrop={onDrop}
      >
        <div class="bk-dropzone-text">
          <span class="bk-dropzone-title">Drag and drop file(s) here</span>
          <span class="bk-dropzone-limit" id={id + '-limit'}>
            {limitLine(el.max_bytes, accept)}
          </span>
        </div>
        {/* The button is what the keyboard reaches; it opens the input's dialog. */}
        <button
          type="button"
          class="bk-btn"
          disabled={disabled}
          aria-describedby={id + '-limit'}
          onClick={() => input.current?.click()}
        >
          Browse files
        </button>
        {/* Visually hidden, out of the tab order (the button stands for it),
            but present: a label click and test tools (setInputFiles) use it. */}
        <input
          ref={input}
          id={id}
          type="file"
          class="bk-upload-input"
          tabIndex={-1}
          accept={acceptAttr(accept)}
          multiple={el.multiple}
          disabled={disabled}
          onChange={(e) => {
            const target = e.currentTarget;
            const files = Array.from(target.files ?? []);
            // Cleared, so that choosing the same file again is a change too.
            target.value = '';
            start(files);
          }}
        />
      </div>
      {st.note && <div class="bk-upload-note">{st.note}</div>}
      {(local.value.length > 0 || st.pending.length > 0) && (
        <ul class="bk-upload-list">
          {local.value.map((f) => (
            <FileRow
              key={'f' + f.file_id}
              name={f.name}
              size={f.size}
              disabled={disabled}
              onRemove={() => remove(f.file_id)}
            />
          ))}
          {st.pending.map((p) => (
            <FileRow
              key={'p' + p.key}
              name={p.name}
              size={p.size}
              loaded={p.upload ? p.loaded : undefined}
              error={p.error}
              disabled={disabled}
              onRemove={() => {
                drop(p);
                rerender();
              }}
            />
          ))}
        </ul>
      )}
    </Field>
  );
}
