import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { h, render, type ComponentChild, type FunctionComponent } from 'preact';
import { act } from 'preact/test-utils';
import { actions } from '../src/actions';
import { App } from '../src/components/App';
import { safeHref } from '../src/components/common';
import {
  ImageView,
  Logo,
  MediaView,
  mediaErrorText,
  nativeLoop,
  PdfView,
  playWindow,
  playWindowOf,
} from '../src/components/elements/media';
import type { LeafProps } from '../src/components/props';
import { isWidgetKind, leafView } from '../src/components/registry';
import { DownloadButton, startDownload } from '../src/components/widgets/download';
import type { ClientMessage, DownloadButtonEl, ImageEl, LogoEl, MediaEl, PdfEl } from '../src/protocol';
import { Store } from '../src/store';
import { applyOps, emptyTree } from '../src/tree';
import { FakeDocument, FakeElement, FakeMedia, mount } from './fakedom';

// The components of issue 13's files-out elements, rendered into a fake DOM
// (test/fakedom.ts): what they put on the page, and what the players and
// the download button do on the events a browser would send.

let page: ReturnType<typeof mount>;

beforeEach(() => {
  page = mount();
});

afterEach(() => {
  act(() => render(null, page.root as never));
  page.cleanup();
});

/** Renders `vnode` into the page's root (effects run) and returns the root. */
function show(vnode: ComponentChild): FakeElement {
  act(() => render(vnode, page.root as never));
  return page.root;
}

/** Renders leaf component `C` with element `el`. */
function leaf<E>(C: FunctionComponent<LeafProps<E>>, el: E, path = '0.0'): FakeElement {
  return show(h(C, { el, path }));
}

function one(root: FakeElement, selector: string): FakeElement {
  const found = root.querySelectorAll(selector);
  assert.equal(found.length, 1, `one ${selector}`);
  return found[0] as FakeElement;
}

const image = (over: Partial<ImageEl>): ImageEl => ({
  kind: 'image',
  images: [{ url: '/_brooklet/media/o/1', caption: null, alt: '' }],
  width: null,
  use_container_width: false,
  ...over,
});

describe('image', () => {
  test('several pictures in one row, each caption under its own picture', () => {
    const root = leaf(ImageView, image({
      images: [
        { url: '/_brooklet/media/o/1', caption: 'Sunset', alt: 'A sunset' },
        { url: 'https://example.com/b.png', caption: null, alt: 'B' },
        { url: '/_brooklet/media/o/3', caption: 'A very long caption that has to wrap', alt: '' },
      ],
    }));
    const row = one(root, 'div.bk-image-row');
    assert.ok(row.classList.includes('bk-image-natural'));
    const figures = row.querySelectorAll('figure.bk-image-figure');
    assert.equal(figures.length, 3);
    assert.deepEqual(
      figures.map((f) => f.querySelector('img')?.getAttribute('src')),
      ['/_brooklet/media/o/1', 'https://example.com/b.png', '/_brooklet/media/o/3'],
    );
    assert.deepEqual(figures.map((f) => f.querySelector('img')?.getAttribute('alt')), ['A sunset', 'B', '']);
    assert.deepEqual(
      figures.map((f) => f.querySelector('figcaption.bk-image-caption')?.textContent ?? null),
      ['Sunset', null, 'A very long caption that has to wrap'],
    );
    // Natural size: no width of their own (the CSS keeps them inside the row).
    assert.deepEqual(figures.map((f) => f.style.width), [undefined, undefined, undefined]);
  });

  test('a caption is text, never markup', () => {
    const root = leaf(ImageView, image({ images: [{ url: '/x', caption: '<b>bold</b>', alt: '' }] }));
    const caption = one(root, 'figcaption');
    assert.equal(caption.textContent, '<b>bold</b>');
    assert.equal(caption.querySelectorAll('b').length, 0);
  });

  test('width: each figure that many pixels', () => {
    const two = [
      { url: '/a', caption: 'a', alt: '' },
      { url: '/b', caption: 'b', alt: '' },
    ];
    const root = leaf(ImageView, image({ images: two, width: 320 }));
    assert.ok(one(root, '.bk-image-row').classList.includes('bk-image-sized'));
    assert.deepEqual(root.querySelectorAll('figure').map((f) => f.style.width), ['320px', '320px']);
  });

  test('use_container_width: the figures share the row, and a width is ignored', () => {
    const root = leaf(ImageView, image({
      images: [
        { url: '/a', alt: '' },
        { url: '/b', alt: '' },
      ],
      width: 320,
      use_container_width: true,
    }));
    assert.ok(one(root, '.bk-image-row').classList.includes('bk-image-fill'));
    assert.deepEqual(root.querySelectorAll('figure').map((f) => f.style.width), [undefined, undefined]);
  });

  test('a picture that fails to load says so in its place; its caption stays', () => {
    const root = leaf(ImageView, image({ images: [{ url: '/gone', caption: 'Cap', alt: '' }] }));
    act(() => void one(root, 'img').dispatchEvent(new Event('error')));
    assert.equal(root.querySelectorAll('img').length, 0);
    assert.equal(one(one(root, 'figure'), '.bk-media-error').textContent, 'This image could not be loaded.');
    assert.equal(one(root, '.bk-media-error').getAttribute('role'), 'alert');
    assert.equal(one(root, 'figcaption').textContent, 'Cap');
  });
});

const media = (over: Partial<MediaEl>): MediaEl => ({
  kind: 'audio',
  url: '/_brooklet/media/o/s',
  mime: 'audio/wav',
  start_time: 0,
  end_time: null,
  loop: false,
  autoplay: false,
  muted: false,
  width: null,
  subtitles: [],
  ...over,
});

describe('audio and video', () => {
  test('audio: controls, the file, no autoplay or loop unless asked', () => {
    const root = leaf(MediaView, media({}));
    const audio = one(root, 'audio.bk-audio-player');
    assert.equal(audio.getAttribute('src'), '/_brooklet/media/o/s');
    assert.ok(audio.hasAttribute('controls'));
    assert.equal(audio.getAttribute('preload'), 'metadata');
    assert.ok(!audio.hasAttribute('autoplay'));
    assert.ok(!audio.hasAttribute('loop'));
    assert.ok(!audio.hasAttribute('muted'));
  });

  test('video: subtitle tracks, width, autoplay muted', () => {
    const root = leaf(MediaView, media({
      kind: 'video',
      mime: 'video/webm',
      autoplay: true,
      muted: true,
      width: 640,
      subtitles: [
        { label: 'English', lang: 'en', url: '/_brooklet/media/o/en', default: true },
        { label: 'Deutsch', lang: null, url: '/_brooklet/media/o/de', default: false },
      ],
    }));
    const video = one(root, 'video.bk-video-player');
    assert.ok(video.hasAttribute('controls'));
    assert.ok(video.hasAttribute('autoplay'));
    assert.ok(video.hasAttribute('muted'));
    assert.equal(video.style.width, '640px');
    const tracks = video.querySelectorAll('track');
    assert.deepEqual(
      tracks.map((t) => [
        t.getAttribute('kind'),
        t.getAttribute('src'),
        t.getAttribute('label'),
        t.getAttribute('srclang'),
        t.hasAttribute('default'),
      ]),
      [
        ['subtitles', '/_brooklet/media/o/en', 'English', 'en', true],
        ['subtitles', '/_brooklet/media/o/de', 'Deutsch', null, false],
      ],
    );
  });

  test('a video without a width takes the container (no inline width)', () => {
    const root = leaf(MediaView, media({ kind: 'video', mime: 'video/mp4' }));
    assert.equal(one(root, 'video').style.width, undefined);
  });

  test('starts at start_time once the metadata is in', () => {
    const root = leaf(MediaView, media({ start_time: 12.5 }));
    const audio = one(root, 'audio') as FakeMedia;
    assert.equal(audio.currentTime, 0, 'a seek before the metadata would be lost');
    audio.readyState = 1;
    audio.fire('loadedmetadata');
    assert.equal(audio.currentTime, 12.5);
  });

  test('metadata already in when the player is set up: seeks at once', () => {
    const m = new FakeMedia(new FakeDocument(), 'audio', '');
    m.readyState = 4;
    const off = playWindow(m, { start: 3, end: null, loop: false });
    assert.equal(m.currentTime, 3);
    off();
  });

  test('pauses at end_time; play again starts over at start_time', () => {
    const root = leaf(MediaView, media({ start_time: 2, end_time: 5 }));
    const audio = one(root, 'audio') as FakeMedia;
    audio.fire('loadedmetadata');
    void audio.play();
    audio.currentTime = 4.9;
    audio.fire('timeupdate');
    assert.equal(audio.paused, false);
    audio.currentTime = 5.1;
    audio.fire('timeupdate');
    assert.equal(audio.paused, true);
    audio.fire('play');
    assert.equal(audio.currentTime, 2);
  });

  test('loop with end_time: back to start_time, still playing', () => {
    const root = leaf(MediaView, media({ start_time: 2, end_time: 5, loop: true }));
    const audio = one(root, 'audio') as FakeMedia;
    assert.ok(!audio.hasAttribute('loop'), 'the browser would loop to 0, not to 2');
    void audio.play();
    audio.currentTime = 5.2;
    audio.fire('timeupdate');
    assert.equal(audio.currentTime, 2);
    assert.equal(audio.paused, false);
  });

  test('loop from a start_time to the end: `ended` goes back to start_time and plays', async () => {
    const root = leaf(MediaView, media({ start_time: 2, loop: true }));
    const audio = one(root, 'audio') as FakeMedia;
    audio.currentTime = 30;
    audio.fire('ended');
    assert.equal(audio.currentTime, 2);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(audio.plays, 1);
  });

  test('loop of the whole file: the element loops itself', () => {
    const root = leaf(MediaView, media({ loop: true }));
    assert.ok(one(root, 'audio').hasAttribute('loop'));
    assert.equal(nativeLoop(playWindowOf({ start_time: 0, end_time: null, loop: true })), true);
    assert.equal(nativeLoop(playWindowOf({ start_time: 0, end_time: 4, loop: true })), false);
    assert.equal(nativeLoop(playWindowOf({ start_time: 0, end_time: null, loop: false })), false);
  });

  test('an end_time not after start_time is ignored', () => {
    assert.deepEqual(playWindowOf({ start_time: 5, end_time: 5, loop: false }), { start: 5, end: null, loop: false });
    assert.deepEqual(playWindowOf({ start_time: -1, end_time: null, loop: true }), { start: 0, end: null, loop: true });
  });

  test('a file that cannot be played: a message in place of the player', () => {
    const root = leaf(MediaView, media({ kind: 'video', mime: 'video/webm' }));
    const video = one(root, 'video') as FakeMedia;
    video.error = { code: 4 };
    act(() => video.fire('error'));
    assert.equal(root.querySelectorAll('video').length, 0);
    const box = one(root, '.bk-media-error');
    assert.equal(box.getAttribute('role'), 'alert');
    assert.equal(
      box.textContent,
      'This video could not be played: its format (video/webm) is not supported by this browser, or the file is missing.',
    );
  });

  test('error texts by MediaError code', () => {
    assert.equal(mediaErrorText('audio', 'audio/wav', 2), 'This audio could not be loaded (network error).');
    assert.match(mediaErrorText('video', 'video/mp4', 3), /damaged/);
    assert.match(mediaErrorText('video', '', undefined), /^This video could not be played: its format is not supported/);
  });

  test('another file in the same place gets a fresh player (no old failure)', () => {
    const root = leaf(MediaView, media({}));
    act(() => (one(root, 'audio') as FakeMedia).fire('error'));
    assert.equal(root.querySelectorAll('audio').length, 0);
    leaf(MediaView, media({ url: '/_brooklet/media/o/other' }));
    assert.equal(one(root, 'audio').getAttribute('src'), '/_brooklet/media/o/other');
  });
});

describe('pdf', () => {
  const pdf: PdfEl = { kind: 'pdf', url: '/_brooklet/media/o/p', height: 600, title: 'report.pdf' };

  test('an iframe of the given height, and a link to open it', () => {
    const root = leaf(PdfView, pdf);
    const frame = one(root, 'iframe.bk-pdf-frame');
    assert.equal(frame.getAttribute('src'), '/_brooklet/media/o/p');
    assert.equal(frame.getAttribute('title'), 'report.pdf');
    assert.equal(frame.style.height, '600px');
    const link = one(root, 'a.bk-pdf-link');
    assert.equal(link.getAttribute('href'), '/_brooklet/media/o/p');
    assert.equal(link.getAttribute('target'), '_blank');
    assert.equal(link.getAttribute('rel'), 'noopener');
    assert.equal(link.textContent, 'Open report.pdf');
  });

  test('a script URL is neither loaded nor linked', () => {
    const root = leaf(PdfView, { ...pdf, url: 'javascript:alert(1)' });
    assert.equal(root.querySelectorAll('iframe').length, 0);
    assert.equal(root.querySelectorAll('a').length, 0);
    one(root, '.bk-media-error');
  });
});

describe('logo', () => {
  const logo = (over: Partial<LogoEl>): LogoEl => ({
    kind: 'logo',
    url: '/_brooklet/media/o/logo',
    link: null,
    alt: 'Brooklet',
    size: 'medium',
    ...over,
  });

  test('a picture of its size class; wrapped in a link when it has one', () => {
    let root = leaf(Logo, logo({ size: 'large' }));
    const img = one(root, 'img');
    assert.deepEqual(img.classList, ['bk-logo-img', 'bk-logo-large']);
    assert.equal(img.getAttribute('alt'), 'Brooklet');
    assert.equal(root.querySelectorAll('a').length, 0);

    root = leaf(Logo, logo({ link: 'https://example.com/', size: 'small' }));
    const a = one(root, 'a.bk-logo-link');
    assert.equal(a.getAttribute('href'), 'https://example.com/');
    assert.equal(a.getAttribute('target'), '_blank');
    assert.equal(a.getAttribute('rel'), 'noopener noreferrer');
    assert.ok(one(a, 'img').classList.includes('bk-logo-small'));
  });

  test('an unknown size is medium; a script link is dropped', () => {
    const root = leaf(Logo, logo({ size: 'huge' as never, link: ' javascript:alert(1)' }));
    assert.ok(one(root, 'img').classList.includes('bk-logo-medium'));
    assert.equal(root.querySelectorAll('a').length, 0);
  });

  test('shown first in the sidebar wherever the app drew it', () => {
    // The sidebar as the server sends it: the logo third.
    const store = new Store();
    store.update((s) => ({
      ...s,
      tree: applyOps(
        emptyTree(),
        [
          { op: 'set', path: [0, 0], el: { kind: 'text', text: 'main' } },
          { op: 'set', path: [1, 0], el: { kind: 'text', text: 'first' } },
          { op: 'set', path: [1, 1], el: { kind: 'button', id: 'b', label: 'Go' } },
          { op: 'set', path: [1, 2], el: logo({}) },
        ],
        1,
      ),
      epoch: 1,
    }));
    const root = show(h(App, { store }));
    const sidebar = one(root, 'aside.bk-sidebar');
    const wrapper = one(sidebar, 'div.bk-logo');
    // The logo's wrapper is a child of the sidebar's root, a flex column …
    const parent = wrapper.parentNode as FakeElement;
    assert.ok(parent.classList.includes('bk-root') && parent.classList.includes('bk-kids'));
    assert.equal(wrapper.getAttribute('data-path'), '1.2', 'its path stays the server’s');
    // … which media.css orders first.
    const css = readFileSync(new URL('../src/components/elements/media.css', import.meta.url), 'utf8');
    assert.match(css, /\.bk-sidebar \.bk-root > \.bk-logo \{\s*order: -1;\s*\}/);
    const styles = readFileSync(new URL('../src/styles.css', import.meta.url), 'utf8');
    assert.match(styles, /@import '\.\/components\/elements\/media\.css';/);
    assert.match(styles, /\.bk-kids \{\s*display: flex;\s*flex-direction: column;/);
  });

  test('a logo alone shows the sidebar', () => {
    const store = new Store();
    store.update((s) => ({
      ...s,
      tree: applyOps(emptyTree(), [{ op: 'set', path: [1, 0], el: logo({}) }], 1),
      epoch: 1,
    }));
    const root = show(h(App, { store }));
    one(one(root, 'aside.bk-sidebar'), 'img.bk-logo-img');
  });
});

describe('download_button', () => {
  const button = (over: Partial<DownloadButtonEl>): DownloadButtonEl => ({
    kind: 'download_button',
    id: 'wdl',
    label: 'Download CSV',
    help: null,
    disabled: false,
    url: '/_brooklet/media/o/d?name=data.csv',
    file_name: 'data.csv',
    mime: 'text/csv',
    rerun: true,
    primary: false,
    use_container_width: false,
    ...over,
  });

  /** The anchors the page clicks (each checked to be in the document when clicked). */
  function watchDownloads(doc: FakeDocument) {
    const clicked: { href: string; download: string; inBody: boolean }[] = [];
    const create = doc.createElement.bind(doc);
    doc.createElement = (tag: string) => {
      const el = create(tag);
      if (tag === 'a') {
        el.addEventListener('click', () => {
          const a = el as unknown as { href: string; download: string };
          clicked.push({ href: a.href, download: a.download, inBody: el.parentNode === doc.body });
        });
      }
      return el;
    };
    return clicked;
  }

  let sent: ClientMessage[] = [];
  const send = actions.send;
  beforeEach(() => {
    sent = [];
    actions.send = (m) => void sent.push(m);
  });
  afterEach(() => {
    actions.send = send;
  });

  test('a click downloads through an <a download>, then presses when rerun', () => {
    const clicked = watchDownloads(page.doc);
    const root = leaf(DownloadButton, button({}));
    const btn = one(root, 'button.bk-btn');
    assert.equal(btn.textContent, 'Download CSV');
    act(() => btn.click());
    assert.deepEqual(clicked, [{ href: '/_brooklet/media/o/d?name=data.csv', download: 'data.csv', inBody: true }]);
    assert.equal(page.doc.body.querySelectorAll('a').length, 0, 'the anchor is removed again');
    assert.deepEqual(sent, [{ type: 'rerun', widgets: {}, trigger: 'wdl', fragment: null }]);
  });

  test('rerun false: the download only, nothing sent', () => {
    const clicked = watchDownloads(page.doc);
    const el = button({ rerun: false, url: '/_brooklet/download/o/k?name=x.bin', file_name: 'x.bin' });
    const root = leaf(DownloadButton, el);
    act(() => one(root, 'button').click());
    assert.deepEqual(clicked, [{ href: '/_brooklet/download/o/k?name=x.bin', download: 'x.bin', inBody: true }]);
    assert.deepEqual(sent, []);
  });

  test('button classes: primary, container width, disabled', () => {
    let root = leaf(DownloadButton, button({ primary: true, use_container_width: true }));
    assert.deepEqual(one(root, 'button').classList, ['bk-btn', 'bk-primary', 'bk-btn-fill']);
    root = leaf(DownloadButton, button({ disabled: true }));
    assert.ok(one(root, 'button').hasAttribute('disabled'));
  });

  test('startDownload alone', () => {
    const doc = new FakeDocument();
    const clicked = watchDownloads(doc);
    startDownload(doc as unknown as Document, '/f?name=a%20b.txt', 'a b.txt');
    assert.deepEqual(clicked, [{ href: '/f?name=a%20b.txt', download: 'a b.txt', inBody: true }]);
  });
});

describe('registry and URLs', () => {
  test('the new kinds have components; the download button is a widget', () => {
    for (const kind of ['image', 'audio', 'video', 'pdf', 'logo', 'download_button']) assert.ok(leafView(kind), kind);
    assert.ok(isWidgetKind('download_button'));
    for (const kind of ['image', 'audio', 'video', 'pdf', 'logo']) assert.ok(!isWidgetKind(kind), kind);
  });

  test('safeHref: paths and web URLs pass, script schemes do not', () => {
    for (const ok of ['/_brooklet/media/o/1', 'https://x.org/a', 'http://x', 'mailto:a@b', 'data.csv?x=a:b', '#top']) {
      assert.equal(safeHref(ok), ok);
    }
    const bad = ['javascript:alert(1)', ' JavaScript:x', 'java\tscript:x', 'data:text/html,x', 'vbscript:x', '', null];
    for (const url of bad) assert.equal(safeHref(url), null, String(url));
  });
});
