// Files going up: what file_uploader, camera_input and audio_input share,
// written without the DOM so that it can be tested in node.
//
// The widgets check each file here first (type against `accept`, size
// against `max_bytes`) so that a file the server would refuse is not sent at
// all: a 250 MB upload that ends in "too big" wastes minutes. The server
// checks again; its word is final. Then each file goes up on its own HTTP
// request (`upload`), not over the WebSocket: files can be far larger than a
// message may be, and XMLHttpRequest reports progress as the bytes leave
// (fetch cannot yet). The server answers with a reference to the file it
// now holds (`UploadedFileRef`); the widget's value is a list of those.

import type { UploadedFileRef } from './protocol';

export type { UploadedFileRef };

// ----- sizes -----

const UNITS = ['KB', 'MB', 'GB', 'TB'];

/**
 * A size for people: bytes below 1 KB, else one decimal in the largest unit
 * it reaches ("1.2 KB", "250.0 MB"). Units are powers of 1024, as the limit
 * the server states is (200 MB = 209715200 bytes).
 */
export function humanSize(bytes: number): string {
  if (!(bytes >= 1024)) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let v = bytes;
  let unit = 'B';
  for (const u of UNITS) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  // 1023.96 KB would print as "1024.0 KB": say "1.0 MB" instead.
  if (Number(v.toFixed(1)) >= 1024 && unit !== 'TB') return `1.0 ${UNITS[UNITS.indexOf(unit) + 1]}`;
  return `${v.toFixed(1)} ${unit}`;
}

/**
 * A limit for people: like `humanSize`, but a round number stays round
 * ("200 MB", not "200.0 MB"), since limits are set by people in round units.
 */
export function limitSize(bytes: number): string {
  const s = humanSize(bytes);
  return s.replace(/\.0 /, ' ');
}

// ----- types -----

/** A MIME type without its parameters, lower-cased ("Text/CSV; charset=utf-8" → "text/csv"). */
function bareMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * One `accept` entry, normalised: an extension with its dot, lower-cased, or
 * a MIME type (possibly `type/*`), lower-cased. A bare word ("csv") is taken
 * as an extension: that is how an app writes it (`type=["csv"]`), should the
 * server pass it on as it is.
 */
function normalise(entry: string): string {
  const e = entry.trim().toLowerCase();
  if (e === '' || e.startsWith('.') || e.includes('/')) return e;
  return '.' + e;
}

/** Whether an entry accepts anything (`*`, `*\/*`). */
function isAny(e: string): boolean {
  return e === '*' || e === '*/*' || e === '.*';
}

/**
 * Whether a file (its name and its MIME type as the browser gave it) is one
 * of the `accept` types: an extension the name ends with (".tar.gz" too), an
 * exact MIME type, or a `type/*` wildcard; all case-insensitive. An empty
 * `accept` takes anything. A browser may give no type (""): then only an
 * extension can match.
 */
export function accepts(accept: readonly string[], name: string, mime: string): boolean {
  const entries = accept.map(normalise).filter((e) => e !== '');
  if (entries.length === 0) return true;
  const lname = name.toLowerCase();
  const type = bareMime(mime);
  return entries.some((e) => {
    if (isAny(e)) return true;
    if (e.startsWith('.')) return lname.endsWith(e) && lname.length > e.length;
    if (type === '') return false;
    if (e.endsWith('/*')) return type.startsWith(e.slice(0, -1));
    return type === e;
  });
}

/** The `accept` attribute of the file input: the browser's picker then offers these types first. */
export function acceptAttr(accept: readonly string[]): string | undefined {
  const entries = accept.map(normalise).filter((e) => e !== '');
  return entries.length > 0 ? entries.join(',') : undefined;
}

/**
 * The types named to people. Extensions when there are any (a person knows
 * ".csv" better than "text/csv", and the server lists both for one type);
 * the MIME types only when they are all there is.
 */
function shownTypes(accept: readonly string[]): string[] {
  const entries = [...new Set(accept.map(normalise).filter((e) => e !== '' && !isAny(e)))];
  const exts = entries.filter((e) => e.startsWith('.'));
  return exts.length > 0 ? exts : entries;
}

/** The drop zone's second line: "Limit 200 MB per file • CSV, TSV". */
export function limitLine(maxBytes: number, accept: readonly string[]): string {
  const types = shownTypes(accept).map((e) => (e.startsWith('.') ? e.slice(1).toUpperCase() : e));
  const limit = `Limit ${limitSize(maxBytes)} per file`;
  return types.length > 0 ? `${limit} • ${types.join(', ')}` : limit;
}

/** What the browser knows of a file before sending it (a `File` has these). */
export interface FileInfo {
  name: string;
  size: number;
  /** MIME type; "" when the browser does not know it. */
  type: string;
}

/**
 * Why a file will not be sent, as the line shown under it, or null if it may
 * go: "data.txt: file type not allowed (accepts .csv)", "big.csv: 250.0 MB
 * is over the 200 MB limit". The type is checked first: a file of the wrong
 * type is refused whatever its size.
 */
export function checkFile(file: FileInfo, accept: readonly string[], maxBytes: number): string | null {
  if (!accepts(accept, file.name, file.type)) {
    return `${file.name}: file type not allowed (accepts ${shownTypes(accept).join(', ')})`;
  }
  if (file.size > maxBytes) {
    return `${file.name}: ${humanSize(file.size)} is over the ${limitSize(maxBytes)} limit`;
  }
  return null;
}

/**
 * The files of one pick (a drop or the file dialog) that are taken: all of
 * them, or, when the widget holds one file, the first, with a note saying the
 * others were left out. (The dialog offers one file then, but a drop can
 * bring several.)
 */
export function pickFiles<F extends FileInfo>(files: readonly F[], multiple: boolean): { files: F[]; note: string | null } {
  if (multiple || files.length <= 1) return { files: [...files], note: null };
  const first = files[0] as F;
  const others = files.length - 1;
  return {
    files: [first],
    note: `Only one file is taken here: ${first.name} was uploaded, the other ${others === 1 ? 'file was' : `${others} files were`} left out.`,
  };
}

// ----- the widget's value -----

/**
 * The value after an upload finished: with `multiple`, the files held plus
 * the new one (at the end); without, the new one alone (it replaces the old).
 */
export function withUploaded(held: readonly UploadedFileRef[], ref: UploadedFileRef, multiple: boolean): UploadedFileRef[] {
  return multiple ? [...held.filter((f) => f.file_id !== ref.file_id), ref] : [ref];
}

/**
 * Tell the server to delete an uploaded file no value holds yet (one
 * replaced or removed before a run saw it, e.g. in a form not submitted).
 * Files a run has seen are deleted by the server when they leave the value.
 * Best effort: a failure only means the file waits for the session's end.
 */
export function discard(uploadUrl: string, fileId: string): void {
  if (typeof fetch !== 'function') return;
  fetch(`${uploadUrl}/${encodeURIComponent(fileId)}`, { method: 'DELETE' }).catch(() => {});
}

/** The value after the person removed a file. */
export function withoutFile(held: readonly UploadedFileRef[], fileId: string): UploadedFileRef[] {
  return held.filter((f) => f.file_id !== fileId);
}

/** A wire value as a list of file references (anything else: an empty list). */
export function asFileRefs(v: unknown): UploadedFileRef[] {
  return Array.isArray(v) ? v.filter(isFileRef) : [];
}

function isFileRef(v: unknown): v is UploadedFileRef {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.file_id === 'string' && typeof r.name === 'string' && typeof r.size === 'number' && typeof r.mime === 'string';
}

// ----- the upload -----

/** Why an upload did not give a file: the server's message, the network, or an abort. */
export class UploadError extends Error {
  constructor(
    message: string,
    /** The HTTP status of the server's refusal; null when there was no answer. */
    readonly status: number | null = null,
    /** The upload was cancelled (`abort`): nothing to show. */
    readonly aborted = false,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** The part of XMLHttpRequest an upload uses (tests pass a fake). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((e: ProgressEventLike) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
}

export interface ProgressEventLike {
  loaded: number;
  total: number;
  lengthComputable: boolean;
}

/** An upload under way. */
export interface Upload {
  /** The server's reference to the file; rejects with an `UploadError`. */
  done: Promise<UploadedFileRef>;
  /** Cancels it (`done` then rejects with `aborted`); nothing once it is over. */
  abort(): void;
}

export interface UploadOptions {
  /** Bytes sent so far, of `total`. */
  onProgress?: (loaded: number, total: number) => void;
  /** Makes the request (default: a real XMLHttpRequest). */
  xhr?: () => XhrLike;
}

/** Longest server message shown (a proxy's HTML error page is not a message). */
const MAX_MESSAGE = 300;

/** The text of a refusal: the server's plain-text message, or a line about the status. */
function refusal(status: number, body: string): string {
  const text = body.trim();
  if (text === '') return `The upload failed (HTTP ${status}).`;
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE - 1) + '…' : text;
}

/** The query string after `url`, whether or not it has one already. */
function withName(url: string, name: string): string {
  return url + (url.includes('?') ? '&' : '?') + 'name=' + encodeURIComponent(name);
}

/**
 * Sends one file: `PUT url?name=NAME` with the file as the body and its
 * type as Content-Type. Success is HTTP 200 with the file's reference as
 * JSON; any other answer is a refusal whose body is a plain-text message
 * for people (413 "data.csv is over the limit of 200 MB"), which the
 * rejection carries.
 */
export function upload(url: string, file: Blob, name: string, opts: UploadOptions = {}): Upload {
  const xhr = opts.xhr ? opts.xhr() : (new XMLHttpRequest() as unknown as XhrLike);
  let settled = false;
  let resolve!: (ref: UploadedFileRef) => void;
  let reject!: (e: UploadError) => void;
  const done = new Promise<UploadedFileRef>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const fail = (e: UploadError) => {
    if (settled) return;
    settled = true;
    reject(e);
  };
  xhr.upload.onprogress = (e) => {
    if (!settled) opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
  };
  xhr.onload = () => {
    if (settled) return;
    if (xhr.status !== 200) return fail(new UploadError(refusal(xhr.status, xhr.responseText), xhr.status));
    let ref: unknown;
    try {
      ref = JSON.parse(xhr.responseText);
    } catch {
      ref = null;
    }
    if (!isFileRef(ref)) return fail(new UploadError('The server answered the upload with something this page does not understand.', 200));
    settled = true;
    opts.onProgress?.(file.size, file.size);
    resolve(ref);
  };
  xhr.onerror = () => fail(new UploadError('The upload failed: the connection to the server was lost.'));
  xhr.ontimeout = () => fail(new UploadError('The upload failed: the server took too long to answer.'));
  xhr.onabort = () => fail(new UploadError('The upload was cancelled.', null, true));
  xhr.open('PUT', withName(url, name));
  xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
  xhr.send(file);
  return {
    done,
    abort() {
      if (settled) return;
      // Settle now: a browser fires `abort` only if the request was still
      // open, and the widget must not wait on it either way.
      fail(new UploadError('The upload was cancelled.', null, true));
      xhr.abort();
    },
  };
}

// ----- camera and microphone -----

/** Why getUserMedia gave nothing, in a few words (no full stop). */
function mediaReason(device: 'camera' | 'microphone', err: unknown): string {
  if (err === undefined || err === null) return 'this browser offers no access to it here';
  const name = typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'permission was refused';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return `no ${device} was found`;
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return `the ${device} could not be started (is another program using it?)`;
  }
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return message.trim().replace(/\.$/, '') || 'it could not be opened';
}

/**
 * The message shown when the camera or microphone cannot be had: `err` is
 * what getUserMedia (or MediaRecorder) threw, or undefined when the browser
 * does not offer getUserMedia to the page at all (which is what an insecure
 * page gets, hence the second sentence).
 */
export function mediaError(device: 'camera' | 'microphone', err?: unknown): string {
  return (
    `The ${device} is not available: ${mediaReason(device, err)}. ` +
    `Browsers allow the ${device} only on secure pages (HTTPS or localhost).`
  );
}

/**
 * The file name and type of a recording made by a MediaRecorder of type
 * `mime`: "recording.webm" (audio/webm) where the browser records WebM, as
 * Chromium and Firefox do; Safari records MP4, which is named for what it is.
 */
export function recordingFile(mime: string): { name: string; type: string } {
  const type = bareMime(mime);
  if (type === 'audio/mp4' || type === 'video/mp4') return { name: 'recording.m4a', type: 'audio/mp4' };
  if (type === 'audio/ogg') return { name: 'recording.ogg', type: 'audio/ogg' };
  return { name: 'recording.webm', type: 'audio/webm' };
}
