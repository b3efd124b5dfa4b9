import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { actions } from '../src/actions';
import { AudioInput, CameraInput } from '../src/components/widgets/capture';
import { FileUploader } from '../src/components/widgets/uploader';
import type { AudioInputEl, CameraInputEl, ClientMessage, DeltaOp, FileUploaderEl, UploadedFileRef } from '../src/protocol';
import { applyOps, emptyTree, type Tree } from '../src/tree';
import {
  accepts,
  acceptAttr,
  checkFile,
  discard,
  humanSize,
  limitLine,
  limitSize,
  mediaError,
  pickFiles,
  recordingFile,
  upload,
  UploadError,
  withoutFile,
  withUploaded,
  type ProgressEventLike,
  type XhrLike,
} from '../src/uploads';
import { buttonText, byClass, byLabel, fakeRoot, findAll, findOne, type FakeElement } from './fakedom';

const MB = 1024 * 1024;

describe('accepts: a file against the accept list', () => {
  const csv = ['.csv', 'text/csv'];
  test('an empty list takes anything', () => {
    assert.equal(accepts([], 'x.bin', ''), true);
    assert.equal(accepts([], 'noext', 'application/octet-stream'), true);
  });
  test('by extension, whatever the case, also with several dots', () => {
    assert.equal(accepts(csv, 'data.csv', ''), true, 'no MIME type from the browser');
    assert.equal(accepts(csv, 'DATA.CSV', ''), true);
    assert.equal(accepts(['.CSV'], 'data.csv', ''), true);
    assert.equal(accepts(['.tar.gz'], 'a.TAR.GZ', ''), true);
    assert.equal(accepts(['.gz'], 'a.tar.gz', ''), true);
    assert.equal(accepts(csv, 'data.txt', 'text/plain'), false);
    assert.equal(accepts(csv, 'datacsv', ''), false, 'the dot is part of the extension');
    assert.equal(accepts(csv, '.csv', ''), false, 'a name that is only the extension');
  });
  test('a bare word is an extension', () => {
    assert.equal(accepts(['csv'], 'a.csv', ''), true);
    assert.equal(accepts(['csv'], 'a.txt', ''), false);
  });
  test('by exact MIME type, case-insensitive, parameters ignored', () => {
    assert.equal(accepts(csv, 'export', 'text/csv'), true);
    assert.equal(accepts(csv, 'export', 'Text/CSV; charset=utf-8'), true);
    assert.equal(accepts(['TEXT/CSV'], 'export', 'text/csv'), true);
    assert.equal(accepts(csv, 'export', 'text/plain'), false);
  });
  test('by wildcard', () => {
    assert.equal(accepts(['image/*'], 'p.png', 'image/png'), true);
    assert.equal(accepts(['IMAGE/*'], 'p.jpg', 'image/JPEG'), true);
    assert.equal(accepts(['image/*'], 'p.png', ''), false, 'no type: no wildcard match');
    assert.equal(accepts(['image/*'], 'v.mp4', 'video/mp4'), false);
    assert.equal(accepts(['image/*'], 'x', 'imagex/png'), false, 'the slash is part of the prefix');
    assert.equal(accepts(['*/*'], 'x', ''), true);
  });
  test('the input attribute', () => {
    assert.equal(acceptAttr(['.csv', 'text/csv']), '.csv,text/csv');
    assert.equal(acceptAttr(['csv', 'image/*']), '.csv,image/*');
    assert.equal(acceptAttr([]), undefined);
  });
});

describe('sizes and messages', () => {
  test('human sizes', () => {
    assert.equal(humanSize(0), '0 B');
    assert.equal(humanSize(1023), '1023 B');
    assert.equal(humanSize(1024), '1.0 KB');
    assert.equal(humanSize(1234), '1.2 KB');
    assert.equal(humanSize(250 * MB), '250.0 MB');
    assert.equal(humanSize(MB - 1), '1.0 MB', 'not "1024.0 KB"');
    assert.equal(humanSize(3 * 1024 * MB), '3.0 GB');
  });
  test('limits stay round', () => {
    assert.equal(limitSize(209715200), '200 MB');
    assert.equal(limitSize(1.5 * MB), '1.5 MB');
    assert.equal(limitSize(500), '500 B');
  });
  test('the drop zone line: extensions upper-cased, MIME types only when alone', () => {
    assert.equal(limitLine(209715200, ['.csv', 'text/csv']), 'Limit 200 MB per file • CSV');
    assert.equal(limitLine(209715200, ['.csv', '.TSV', 'csv']), 'Limit 200 MB per file • CSV, TSV');
    assert.equal(limitLine(MB, ['image/*']), 'Limit 1 MB per file • image/*');
    assert.equal(limitLine(MB, []), 'Limit 1 MB per file');
  });
  test('the checks before sending', () => {
    const accept = ['.csv', 'text/csv'];
    assert.equal(
      checkFile({ name: 'data.txt', size: 10, type: 'text/plain' }, accept, 200 * MB),
      'data.txt: file type not allowed (accepts .csv)',
    );
    assert.equal(
      checkFile({ name: 'big.csv', size: 250 * MB, type: 'text/csv' }, accept, 200 * MB),
      'big.csv: 250.0 MB is over the 200 MB limit',
    );
    assert.equal(checkFile({ name: 'ok.csv', size: 200 * MB, type: '' }, accept, 200 * MB), null, 'at the limit is fine');
    assert.equal(
      checkFile({ name: 'p.gif', size: 1, type: 'image/gif' }, ['image/png', 'image/jpeg'], MB),
      'p.gif: file type not allowed (accepts image/png, image/jpeg)',
    );
  });
  test('one file of several', () => {
    const files = [{ name: 'a.csv' }, { name: 'b.csv' }, { name: 'c.csv' }].map((f) => ({ ...f, size: 1, type: '' }));
    assert.deepEqual(pickFiles(files, true), { files, note: null });
    const one = pickFiles(files, false);
    assert.deepEqual(one.files, [files[0]]);
    assert.match(one.note ?? '', /a\.csv was uploaded, the other 2 files were left out/);
    assert.deepEqual(pickFiles(files.slice(0, 1), false), { files: files.slice(0, 1), note: null });
  });
  test('the value after an upload and a removal', () => {
    const a = ref('a'), b = ref('b'), c = ref('c');
    assert.deepEqual(withUploaded([a, b], c, true), [a, b, c]);
    assert.deepEqual(withUploaded([a, b], c, false), [c]);
    assert.deepEqual(withoutFile([a, b, c], b.file_id), [a, c]);
  });
  test('camera and microphone messages', () => {
    const denied = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
    assert.equal(
      mediaError('camera', denied),
      'The camera is not available: permission was refused. Browsers allow the camera only on secure pages (HTTPS or localhost).',
    );
    assert.match(mediaError('microphone'), /^The microphone is not available: .+\. Browsers allow the microphone only/);
    assert.match(mediaError('camera', Object.assign(new Error('x'), { name: 'NotFoundError' })), /no camera was found/);
    assert.match(mediaError('microphone', new Error('Something odd.')), /not available: Something odd\. Browsers/);
  });
  test('recording names', () => {
    assert.deepEqual(recordingFile('audio/webm;codecs=opus'), { name: 'recording.webm', type: 'audio/webm' });
    assert.deepEqual(recordingFile(''), { name: 'recording.webm', type: 'audio/webm' });
    assert.deepEqual(recordingFile('audio/mp4'), { name: 'recording.m4a', type: 'audio/mp4' });
  });
});

// ----- the upload itself, against a fake XMLHttpRequest -----

class FakeXhr implements XhrLike {
  static made: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: Blob | null = null;
  aborted = false;
  status = 0;
  responseText = '';
  upload = { onprogress: null as ((e: ProgressEventLike) => void) | null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  constructor() {
    FakeXhr.made.push(this);
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: Blob) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  respond(status: number, body: string) {
    this.status = status;
    this.responseText = body;
    this.onload?.();
  }
}

function ref(id: string, name = id + '.csv', size = 3): UploadedFileRef {
  return { file_id: id.padEnd(32, '0'), name, size, mime: 'text/csv' };
}

const csvFile = (name: string, text = 'a,b') => new File([text], name, { type: 'text/csv' });

describe('upload', () => {
  beforeEach(() => (FakeXhr.made = []));

  test('PUTs the file with its name and type, reports progress, resolves with the reference', async () => {
    const seen: [number, number][] = [];
    const file = csvFile('my data.csv', 'a,b,c');
    const up = upload('/_brooklet/upload/T/w1', file, file.name, {
      xhr: () => new FakeXhr(),
      onProgress: (l, t) => seen.push([l, t]),
    });
    const x = FakeXhr.made[0]!;
    assert.equal(x.method, 'PUT');
    assert.equal(x.url, '/_brooklet/upload/T/w1?name=my%20data.csv');
    assert.equal(x.headers['Content-Type'], 'text/csv');
    assert.equal(x.body, file);
    x.progress(2, 5);
    const r = ref('f1', 'my data.csv', 5);
    x.respond(200, JSON.stringify(r));
    assert.deepEqual(await up.done, r);
    assert.deepEqual(seen, [
      [2, 5],
      [5, 5],
    ]);
  });

  test('a file of no known type goes as application/octet-stream', async () => {
    upload('/u', new File(['x'], 'blob'), 'blob', { xhr: () => new FakeXhr() });
    assert.equal(FakeXhr.made[0]!.headers['Content-Type'], 'application/octet-stream');
  });

  test("a refusal rejects with the server's text", async () => {
    const up = upload('/u', csvFile('data.csv'), 'data.csv', { xhr: () => new FakeXhr() });
    FakeXhr.made[0]!.respond(413, 'data.csv is over the limit of 200 MB\n');
    await assert.rejects(up.done, (e: unknown) => {
      assert.ok(e instanceof UploadError);
      assert.equal(e.message, 'data.csv is over the limit of 200 MB');
      assert.equal(e.status, 413);
      assert.equal(e.aborted, false);
      return true;
    });
  });

  test('an empty refusal, a network error and a 200 without a reference still say something', async () => {
    const a = upload('/u', csvFile('a.csv'), 'a.csv', { xhr: () => new FakeXhr() });
    FakeXhr.made[0]!.respond(500, '');
    await assert.rejects(a.done, /HTTP 500/);
    const b = upload('/u', csvFile('b.csv'), 'b.csv', { xhr: () => new FakeXhr() });
    FakeXhr.made[1]!.onerror?.();
    await assert.rejects(b.done, /connection to the server was lost/);
    const c = upload('/u', csvFile('c.csv'), 'c.csv', { xhr: () => new FakeXhr() });
    FakeXhr.made[2]!.respond(200, '<html>proxy</html>');
    await assert.rejects(c.done, /does not understand/);
  });

  test('abort cancels the request and rejects as aborted', async () => {
    const up = upload('/u', csvFile('a.csv'), 'a.csv', { xhr: () => new FakeXhr() });
    up.abort();
    assert.equal(FakeXhr.made[0]!.aborted, true);
    await assert.rejects(up.done, (e: unknown) => e instanceof UploadError && e.aborted);
    up.abort(); // again: nothing
  });
});

// ----- the file_uploader component -----

/** Lets promise callbacks run, then the re-renders they asked for. */
const settle = () => act(async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
});

function uploaderEl(over: Partial<FileUploaderEl> = {}): FileUploaderEl {
  return {
    kind: 'file_uploader',
    id: 'wU',
    label: 'Upload a CSV',
    help: null,
    disabled: false,
    accept: ['.csv', 'text/csv'],
    multiple: false,
    max_bytes: 200 * MB,
    upload_url: '/_brooklet/upload/TOKEN/wU',
    value: [],
    ...over,
  };
}

/**
 * The hooks of a suite whose widgets talk to the server: before each test
 * nothing sent yet (the list returned, emptied in place), no requests made,
 * an empty tree and `FakeXhr` as `XMLHttpRequest`; after it the real one back.
 */
function withFakeServer(): ClientMessage[] {
  const sent: ClientMessage[] = [];
  const g = globalThis as { XMLHttpRequest?: unknown };
  const realXhr = g.XMLHttpRequest;
  beforeEach(() => {
    sent.length = 0;
    FakeXhr.made = [];
    actions.send = (m) => sent.push(m);
    actions.tree = emptyTree;
    g.XMLHttpRequest = FakeXhr;
  });
  afterEach(() => {
    g.XMLHttpRequest = realXhr;
  });
  return sent;
}

describe('FileUploader', () => {
  const sent = withFakeServer();

  /** Renders the widget; returns its root and a way to pick files. */
  async function mount(el: FileUploaderEl) {
    const root = fakeRoot();
    await act(() => render(h(FileUploader, { el, path: '0.0' }), root as never));
    const input = () => findOne(root, (e) => e.localName === 'input' && e.getAttribute('type') === 'file', 'file input');
    const pick = async (...files: File[]) => {
      const inp = input() as FakeElement & { files?: File[] };
      inp.files = files;
      await act(() => void inp.dispatch('change'));
    };
    const unmount = () => act(() => render(null, root as never));
    return { root, input, pick, unmount };
  }

  /** The widget values sent, in order. */
  const commits = () =>
    sent.map((m) => {
      assert.equal(m.type, 'rerun');
      return m.type === 'rerun' ? m.widgets.wU : undefined;
    });

  test('the drop zone: its texts, the Browse button and the hidden input', async () => {
    const { root, input, unmount } = await mount(uploaderEl());
    assert.equal(findOne(root, byClass('bk-dropzone-title')).textContent, 'Drag and drop file(s) here');
    assert.equal(findOne(root, byClass('bk-dropzone-limit')).textContent, 'Limit 200 MB per file • CSV');
    assert.ok(findOne(root, buttonText('Browse files')));
    assert.equal(input().getAttribute('accept'), '.csv,text/csv');
    assert.equal(input().hasAttribute('multiple'), false);
    let opened = 0;
    input().addEventListener('click', () => opened++);
    await act(() => findOne(root, buttonText('Browse files')).click());
    assert.equal(opened, 1, 'the button opens the file dialog');
    await unmount();
  });

  test('one file: upload with progress, commit [ref]; a second one replaces it', async () => {
    const { root, pick, unmount } = await mount(uploaderEl());
    await pick(csvFile('data.csv', 'a,b,c'));
    assert.equal(FakeXhr.made.length, 1);
    const x = FakeXhr.made[0]!;
    assert.equal(x.url, '/_brooklet/upload/TOKEN/wU?name=data.csv');
    await act(() => x.progress(2, 5));
    const bar = findOne(root, (e) => e.getAttribute('role') === 'progressbar', 'progress bar');
    assert.equal(bar.getAttribute('aria-valuenow'), '40');
    assert.equal(sent.length, 0, 'nothing committed while uploading');

    const r1 = ref('a1', 'data.csv', 5);
    x.respond(200, JSON.stringify(r1));
    await settle();
    assert.deepEqual(commits(), [[r1]]);
    assert.equal(findAll(root, (e) => e.getAttribute('role') === 'progressbar').length, 0);
    assert.ok(findOne(root, byLabel('Remove data.csv')), 'listed with its remove button');

    await pick(csvFile('other.csv'));
    const r2 = ref('a2', 'other.csv');
    FakeXhr.made[1]!.respond(200, JSON.stringify(r2));
    await settle();
    assert.deepEqual(commits(), [[r1], [r2]], 'replaced, not appended');
    assert.equal(findAll(root, byLabel('Remove data.csv')).length, 0);
    await unmount();
  });

  test('several files: appended to the server value; remove commits the rest', async () => {
    const r0 = ref('s0', 'server.csv');
    const { root, input, pick, unmount } = await mount(uploaderEl({ multiple: true, value: [r0] }));
    assert.equal(input().hasAttribute('multiple'), true);
    await pick(csvFile('one.csv'), csvFile('two.csv'));
    assert.equal(FakeXhr.made.length, 2, 'each file on its own request');
    const r1 = ref('u1', 'one.csv');
    const r2 = ref('u2', 'two.csv');
    // They end in the other order, in one tick: each commit builds on the last.
    FakeXhr.made[1]!.respond(200, JSON.stringify(r2));
    FakeXhr.made[0]!.respond(200, JSON.stringify(r1));
    await settle();
    assert.deepEqual(commits(), [
      [r0, r2],
      [r0, r2, r1],
    ]);
    await act(() => findOne(root, byLabel('Remove server.csv')).click());
    assert.deepEqual(commits().at(-1), [r2, r1]);
    assert.deepEqual(
      findAll(root, byClass('bk-upload-name')).map((e) => e.textContent),
      ['two.csv', 'one.csv'],
    );
    await unmount();
  });

  test('refused before sending (type, size) and by the server (413): a line under the file, nothing committed', async () => {
    const { root, pick, unmount } = await mount(uploaderEl({ multiple: true, max_bytes: 4 }));
    await pick(new File(['x'], 'data.txt', { type: 'text/plain' }), csvFile('big.csv', '123456'), csvFile('ok.csv', 'abc'));
    assert.equal(FakeXhr.made.length, 1, 'only the acceptable file is sent');
    FakeXhr.made[0]!.respond(413, 'ok.csv is over the limit of 4 B');
    await settle();
    assert.deepEqual(
      findAll(root, byClass('bk-upload-error')).map((e) => e.textContent),
      [
        'data.txt: file type not allowed (accepts .csv)',
        'big.csv: 6 B is over the 4 B limit',
        'ok.csv is over the limit of 4 B',
      ],
    );
    assert.equal(sent.length, 0);
    // A failed file is dismissed with its remove button.
    await act(() => findOne(root, byLabel('Remove data.txt')).click());
    assert.equal(findAll(root, byClass('bk-upload-error')).length, 2);
    assert.equal(sent.length, 0);
    await unmount();
  });

  test('remove during the upload aborts it', async () => {
    const { root, pick, unmount } = await mount(uploaderEl());
    await pick(csvFile('slow.csv'));
    await act(() => findOne(root, byLabel('Remove slow.csv')).click());
    assert.equal(FakeXhr.made[0]!.aborted, true);
    await settle();
    assert.equal(findAll(root, byClass('bk-upload-row')).length, 0);
    assert.equal(sent.length, 0);
    await unmount();
  });

  test('a drop: highlighted while dragging; one file of several when multiple is false, with a note', async () => {
    const { root, unmount } = await mount(uploaderEl());
    const zone = findOne(root, byClass('bk-dropzone'));
    await act(() => void zone.dispatch('dragenter'));
    assert.ok(byClass('bk-dragover')(zone));
    const over = zone.dispatch('dragover', { dataTransfer: { dropEffect: '' } });
    assert.equal(over.defaultPrevented, true, 'the zone takes the drop');
    let dropped!: ReturnType<typeof zone.dispatch>;
    await act(() => {
      dropped = zone.dispatch('drop', { dataTransfer: { files: [csvFile('first.csv'), csvFile('second.csv')] } });
    });
    assert.equal(dropped.defaultPrevented, true, 'the browser does not open the file');
    assert.ok(!byClass('bk-dragover')(zone));
    assert.equal(FakeXhr.made.length, 1);
    assert.match(FakeXhr.made[0]!.url, /name=first\.csv$/);
    assert.match(findOne(root, byClass('bk-upload-note')).textContent, /first\.csv was uploaded, the other file was left out/);
    await unmount();
  });

  test('disabled: no drop, no browse, no remove', async () => {
    const { root, input, unmount } = await mount(uploaderEl({ disabled: true, value: [ref('d1', 'kept.csv')] }));
    const zone = findOne(root, byClass('bk-dropzone'));
    await act(() => void zone.dispatch('drop', { dataTransfer: { files: [csvFile('x.csv')] } }));
    assert.equal(FakeXhr.made.length, 0);
    assert.ok(findOne(root, buttonText('Browse files')).hasAttribute('disabled'));
    assert.ok(input().hasAttribute('disabled'));
    assert.ok(findOne(root, byLabel('Remove kept.csv')).hasAttribute('disabled'));
    await unmount();
  });

  test('inside a form the value waits for the submit', async () => {
    const ops: DeltaOp[] = [
      { op: 'set', path: [0, 0], el: { kind: 'form', id: 'F', border: true } },
      { op: 'set', path: [0, 0, 0], el: uploaderEl() },
      { op: 'set', path: [0, 0, 1], el: { kind: 'form_submit', id: 'sF', label: 'Submit' } },
    ];
    const tree: Tree = applyOps(emptyTree(), ops, 1);
    actions.tree = () => tree;
    const { pick, unmount } = await mount(uploaderEl());
    await pick(csvFile('f.csv'));
    const r = ref('f1', 'f.csv');
    FakeXhr.made[0]!.respond(200, JSON.stringify(r));
    await settle();
    assert.equal(sent.length, 0, 'not sent before the submit');
    assert.deepEqual(actions.pendingOf('F'), { wU: [r] });
    actions.submit('sF');
    assert.deepEqual(commits(), [[r]], 'sent with the submit');
    await unmount();
  });

  test('leaving the page aborts uploads in flight', async () => {
    const { pick, unmount } = await mount(uploaderEl());
    await pick(csvFile('a.csv'));
    await unmount();
    assert.equal(FakeXhr.made[0]!.aborted, true);
  });
});

// ----- camera_input and audio_input, with fake devices -----

/** A media stream of one track that records whether it was stopped. */
function fakeStream() {
  const track = { stopped: false, stop: () => (track.stopped = true) };
  return { track, stream: { getTracks: () => [track] } };
}

/** Sets `navigator` (node 20 has none) for one test; returns the undo. */
function withNavigator(value: unknown): () => void {
  const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value, configurable: true, writable: true });
  return () => {
    if (had) Object.defineProperty(globalThis, 'navigator', had);
    else delete (globalThis as { navigator?: unknown }).navigator;
  };
}

/**
 * Makes `document.createElement('canvas')` give a canvas whose `toBlob`
 * is `toBlob`, for one test (the camera draws its frame on one); returns
 * the undo.
 */
function withFakeCanvas(toBlob: (cb: (b: Blob) => void, type: string, quality?: number) => void): () => void {
  const doc = document as unknown as { createElement: (t: string) => unknown };
  const realCreate = doc.createElement;
  doc.createElement = (t: string) =>
    t === 'canvas'
      ? { width: 0, height: 0, getContext: () => ({ drawImage: () => {} }), toBlob }
      : realCreate.call(doc, t);
  return () => (doc.createElement = realCreate);
}

describe('CameraInput and AudioInput', () => {
  const sent = withFakeServer();
  let undo: (() => void)[] = [];
  afterEach(() => {
    for (const u of undo.reverse()) u();
    undo = [];
  });

  const cameraEl = (over: Partial<CameraInputEl> = {}): CameraInputEl => ({
    kind: 'camera_input',
    id: 'wC',
    label: 'Your face',
    help: null,
    disabled: false,
    max_bytes: 10 * MB,
    upload_url: '/_brooklet/upload/TOKEN/wC',
    value: [],
    ...over,
  });
  const audioEl = (over: Partial<AudioInputEl> = {}): AudioInputEl => ({
    kind: 'audio_input',
    id: 'wA',
    label: 'Say something',
    help: null,
    disabled: false,
    max_bytes: 10 * MB,
    upload_url: '/_brooklet/upload/TOKEN/wA',
    value: [],
    ...over,
  });
  const valuesOf = (id: string) => sent.map((m) => (m.type === 'rerun' ? m.widgets[id] : undefined));
  const alertText = (root: FakeElement) => findAll(root, (e) => e.getAttribute('role') === 'alert').map((e) => e.textContent);

  test('no getUserMedia (an insecure page): the camera message', async () => {
    undo.push(withNavigator({}));
    const root = fakeRoot();
    await act(() => render(h(CameraInput, { el: cameraEl(), path: '0.1' }), root as never));
    assert.deepEqual(alertText(root), [mediaError('camera')]);
    assert.ok(findOne(root, buttonText('Take photo')).hasAttribute('disabled'));
    await act(() => render(null, root as never));
  });

  test('refused: the reason in the message', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'NotAllowedError' });
    undo.push(withNavigator({ mediaDevices: { getUserMedia: () => Promise.reject(denied) } }));
    const root = fakeRoot();
    await act(() => render(h(CameraInput, { el: cameraEl(), path: '0.1' }), root as never));
    await settle();
    assert.deepEqual(alertText(root), [mediaError('camera', denied)]);
    await act(() => render(null, root as never));
  });

  test('take a photo: upload camera.jpg, commit [ref], camera off; clear commits []', async () => {
    const { track, stream } = fakeStream();
    const asked: unknown[] = [];
    undo.push(withNavigator({ mediaDevices: { getUserMedia: (c: unknown) => (asked.push(c), Promise.resolve(stream)) } }));
    // The canvas the frame is drawn on.
    undo.push(
      withFakeCanvas((cb, type, q) => {
        assert.deepEqual([type, q], ['image/jpeg', 0.9]);
        cb(new Blob(['jpeg bytes'], { type }));
      }),
    );

    const root = fakeRoot();
    await act(() => render(h(CameraInput, { el: cameraEl(), path: '0.1' }), root as never));
    await settle();
    assert.deepEqual(asked, [{ video: true }]);
    const video = findOne(root, (e) => e.localName === 'video') as FakeElement & Record<string, unknown>;
    assert.equal(video.srcObject, stream, 'the preview shows the stream');
    assert.ok(findOne(root, buttonText('Take photo')).hasAttribute('disabled'), 'not before the picture comes');
    video.videoWidth = 640;
    video.videoHeight = 480;
    await act(() => void video.dispatch('loadedmetadata'));
    await act(() => findOne(root, buttonText('Take photo')).click());

    assert.equal(track.stopped, true, 'the camera stops once the photo is taken');
    const x = FakeXhr.made[0]!;
    assert.equal(x.url, '/_brooklet/upload/TOKEN/wC?name=camera.jpg');
    assert.equal(x.headers['Content-Type'], 'image/jpeg');
    const img = findOne(root, (e) => e.localName === 'img');
    assert.match(img.getAttribute('src') ?? '', /^blob:/);
    const r = { file_id: 'c'.repeat(32), name: 'camera.jpg', size: 10, mime: 'image/jpeg' };
    x.respond(200, JSON.stringify(r));
    await settle();
    assert.deepEqual(valuesOf('wC'), [[r]]);

    await act(() => findOne(root, buttonText('Clear photo')).click());
    assert.deepEqual(valuesOf('wC'), [[r], []]);
    await settle();
    assert.equal(asked.length, 2, 'the preview again');
    await act(() => render(null, root as never));
    assert.equal(track.stopped, true, 'stopped when the widget goes');
  });

  test('a double click takes one photo', async () => {
    const { stream } = fakeStream();
    undo.push(withNavigator({ mediaDevices: { getUserMedia: () => Promise.resolve(stream) } }));
    // toBlob answers later, as browsers do: both clicks come before it.
    const pending: (() => void)[] = [];
    undo.push(withFakeCanvas((cb, type) => pending.push(() => cb(new Blob(['jpeg'], { type })))));

    const root = fakeRoot();
    await act(() => render(h(CameraInput, { el: cameraEl(), path: '0.1' }), root as never));
    await settle();
    const video = findOne(root, (e) => e.localName === 'video') as FakeElement & Record<string, unknown>;
    video.videoWidth = 640;
    video.videoHeight = 480;
    await act(() => void video.dispatch('loadedmetadata'));
    const button = findOne(root, buttonText('Take photo'));
    await act(() => {
      button.click();
      button.click();
    });
    assert.equal(pending.length, 1, 'one frame taken');
    await act(() => pending.splice(0).forEach((answer) => answer()));
    assert.equal(FakeXhr.made.length, 1, 'one upload');
    await act(() => render(null, root as never));
  });

  test('the camera stops when the widget leaves the page', async () => {
    const { track, stream } = fakeStream();
    undo.push(withNavigator({ mediaDevices: { getUserMedia: () => Promise.resolve(stream) } }));
    const root = fakeRoot();
    await act(() => render(h(CameraInput, { el: cameraEl(), path: '0.1' }), root as never));
    await settle();
    assert.equal(track.stopped, false);
    await act(() => render(null, root as never));
    assert.equal(track.stopped, true);
  });

  test('record: Stop uploads recording.webm and commits [ref]; clear commits []', async () => {
    const { track, stream } = fakeStream();
    undo.push(withNavigator({ mediaDevices: { getUserMedia: () => Promise.resolve(stream) } }));
    class FakeRecorder {
      static isTypeSupported = (t: string) => t === 'audio/webm';
      state = 'inactive';
      mimeType = 'audio/webm;codecs=opus';
      ondataavailable: ((e: { data: Blob }) => void) | null = null;
      onstop: (() => void) | null = null;
      constructor(
        readonly stream: unknown,
        readonly opts: unknown,
      ) {}
      start() {
        this.state = 'recording';
      }
      stop() {
        this.state = 'inactive';
        this.ondataavailable?.({ data: new Blob(['opus'], { type: this.mimeType }) });
        this.onstop?.();
      }
    }
    const g = globalThis as { MediaRecorder?: unknown };
    const had = g.MediaRecorder;
    g.MediaRecorder = FakeRecorder;
    undo.push(() => (g.MediaRecorder = had));

    const root = fakeRoot();
    await act(() => render(h(AudioInput, { el: audioEl(), path: '0.2' }), root as never));
    await act(() => findOne(root, buttonText('Record')).click());
    await settle();
    assert.match(findOne(root, byClass('bk-capture-timer')).textContent, /^Recording… 0 s$/);
    await act(() => findOne(root, buttonText('Stop')).click());
    assert.equal(track.stopped, true, 'the microphone is let go');
    const x = FakeXhr.made[0]!;
    assert.equal(x.url, '/_brooklet/upload/TOKEN/wA?name=recording.webm');
    assert.equal(x.headers['Content-Type'], 'audio/webm');
    const r = { file_id: 'a'.repeat(32), name: 'recording.webm', size: 4, mime: 'audio/webm' };
    x.respond(200, JSON.stringify(r));
    await settle();
    assert.deepEqual(valuesOf('wA'), [[r]]);
    const audio = findOne(root, (e) => e.localName === 'audio');
    assert.match(audio.getAttribute('src') ?? '', /^blob:/);
    await act(() => findOne(root, buttonText('Clear recording')).click());
    assert.deepEqual(valuesOf('wA'), [[r], []]);
    assert.ok(findOne(root, buttonText('Record')));
    await act(() => render(null, root as never));
  });

  test('no microphone: the message on Record', async () => {
    undo.push(withNavigator({}));
    const root = fakeRoot();
    await act(() => render(h(AudioInput, { el: audioEl(), path: '0.2' }), root as never));
    await act(() => findOne(root, buttonText('Record')).click());
    assert.deepEqual(alertText(root), [mediaError('microphone')]);
    await act(() => render(null, root as never));
  });

  test('a value from the server without a local copy is listed by name', async () => {
    undo.push(withNavigator({}));
    const r = { file_id: 'b'.repeat(32), name: 'camera.jpg', size: 2048, mime: 'image/jpeg' };
    const root = fakeRoot();
    await act(() => render(h(CameraInput, { el: cameraEl({ value: [r] }), path: '0.1' }), root as never));
    assert.equal(findOne(root, byClass('bk-capture-held')).textContent, 'Photo taken: camera.jpg (2.0 KB)');
    assert.equal(alertText(root).length, 0, 'no camera asked for');
    await act(() => render(null, root as never));
  });
});

test('discard asks the server to delete a file no value holds', async () => {
  const calls: [string, RequestInit | undefined][] = [];
  const saved = globalThis.fetch;
  globalThis.fetch = (async (url: string, init?: RequestInit) => {
    calls.push([url, init]);
    return new Response(null, { status: 204 });
  }) as typeof fetch;
  try {
    discard('/_brooklet/upload/t/w1', 'abc/1');
  } finally {
    globalThis.fetch = saved;
  }
  assert.deepEqual(calls.map(([u, i]) => [u, i?.method]), [['/_brooklet/upload/t/w1/abc%2F1', 'DELETE']]);
});
