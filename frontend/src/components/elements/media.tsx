// Files shown: pictures (image), audio and video players, PDFs and the
// logo. Each element names a URL (a same-origin `/_brooklet/media/…` path
// or an http(s) URL the app gave), never bytes: the browser loads the file
// itself, with range requests for media, and nothing of it passes through
// the WebSocket or this script. Every URL goes into an attribute, never into
// markup; the ones a click follows or an iframe loads pass `safeHref` first.
//
// A file that fails to load says so in its place (div.bk-media-error) rather
// than leaving a blank box or a broken-image icon. Styles: media.css.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImageEl, ImageItem, LogoEl, MediaEl, PdfEl } from '../../protocol';
import { safeHref } from '../common';
import type { LeafProps } from '../props';

// ----- pictures -----

/**
 * The row of pictures. Three ways to size them: `use_container_width` (the
 * figures share the row equally, each picture as wide as its figure),
 * `width` (each figure that many pixels, at most the row's width), or
 * neither (each picture its own size, never wider than the row). The
 * sizing is CSS (media.css), keyed by the row's class, so that a caption
 * never makes its figure wider than the picture.
 */
export function ImageView({ el }: LeafProps<ImageEl>) {
  const images = Array.isArray(el.images) ? el.images : [];
  const fill = !!el.use_container_width;
  // The container's width wins over a set width (Streamlit's rule).
  const width = !fill && typeof el.width === 'number' && el.width > 0 ? el.width : null;
  const mode = fill ? 'fill' : width !== null ? 'sized' : 'natural';
  return (
    <div class={'bk-image-row bk-image-' + mode}>
      {images.map((img, i) => (
        // Keyed by the URL too: a new picture in the same place starts
        // without the old one's failure.
        <Picture key={i + ':' + img.url} img={img} width={width} />
      ))}
    </div>
  );
}

function Picture({ img, width }: { img: ImageItem; width: number | null }) {
  const [failed, setFailed] = useState(false);
  return (
    <figure class="bk-image-figure" style={width !== null ? { width: width + 'px' } : undefined}>
      {failed ? (
        <div class="bk-media-error" role="alert">
          This image could not be loaded.
        </div>
      ) : (
        <img class="bk-image-img" src={img.url} alt={img.alt ?? ''} onError={() => setFailed(true)} />
      )}
      {img.caption ? <figcaption class="bk-image-caption">{img.caption}</figcaption> : null}
    </figure>
  );
}

// ----- audio and video -----

/** What `playWindow` needs of an `<audio>`/`<video>` (a fake one in tests). */
export interface Playable extends EventTarget {
  currentTime: number;
  readonly readyState: number;
  readonly paused: boolean;
  pause(): void;
  play(): Promise<void> | void;
}

/** The part of the file to play: `[start, end)` seconds, `end` null for the rest. */
export interface PlayWindow {
  start: number;
  end: number | null;
  loop: boolean;
}

/** The element's window, cleaned: negative or missing start is 0; an end not after the start is none. */
export function playWindowOf(el: Pick<MediaEl, 'start_time' | 'end_time' | 'loop'>): PlayWindow {
  const start = typeof el.start_time === 'number' && el.start_time > 0 ? el.start_time : 0;
  const end = typeof el.end_time === 'number' && el.end_time > start ? el.end_time : null;
  return { start, end, loop: !!el.loop };
}

/**
 * Whether the element's own `loop` attribute can do the looping: only when
 * the file plays from its beginning to its end, since the browser loops back
 * to 0, not to `start`. Otherwise `playWindow` loops by hand.
 */
export function nativeLoop(w: PlayWindow): boolean {
  return w.loop && w.start === 0 && w.end === null;
}

/**
 * Plays `w` of `media`: seeks to `w.start` once the metadata is in (a seek
 * before that is lost), and at `w.end` pauses, or with `w.loop` goes back to
 * `w.start` and goes on. `timeupdate` comes a few times a second, so the
 * stop lands within about a quarter second of `end`. Play pressed again
 * after a stop at `end` plays the window again rather than pausing at once.
 * Returns the function that removes the listeners.
 */
export function playWindow(media: Playable, w: PlayWindow): () => void {
  const play = () => {
    // Refused (autoplay rules, or the file went away): the controls stay.
    Promise.resolve()
      .then(() => media.play())
      .catch(() => {});
  };
  const toStart = () => {
    if (media.currentTime !== w.start) media.currentTime = w.start;
  };
  const onMetadata = () => {
    if (w.start > 0) toStart();
  };
  const onTime = () => {
    if (w.end === null || media.currentTime < w.end) return;
    if (w.loop) {
      toStart();
      if (media.paused) play();
    } else if (!media.paused) {
      media.pause();
    }
  };
  const onPlay = () => {
    if (w.end !== null && media.currentTime >= w.end) toStart();
  };
  const onEnded = () => {
    // With the `loop` attribute `ended` never comes; without it, loop here.
    if (w.loop) {
      toStart();
      play();
    }
  };
  media.addEventListener('loadedmetadata', onMetadata);
  media.addEventListener('timeupdate', onTime);
  media.addEventListener('play', onPlay);
  media.addEventListener('ended', onEnded);
  // Metadata already in (the file was cached): no event will come for it.
  if (media.readyState >= 1) onMetadata();
  return () => {
    media.removeEventListener('loadedmetadata', onMetadata);
    media.removeEventListener('timeupdate', onTime);
    media.removeEventListener('play', onPlay);
    media.removeEventListener('ended', onEnded);
  };
}

/**
 * The message shown in place of a player whose file failed, by
 * `MediaError.code`. A missing file (404) also comes as code 4, "not
 * supported", hence the "or".
 */
export function mediaErrorText(kind: 'audio' | 'video', mime: string, code: number | null | undefined): string {
  const what = kind === 'video' ? 'This video' : 'This audio';
  if (code === 1) return `${what} stopped loading.`;
  if (code === 2) return `${what} could not be loaded (network error).`;
  if (code === 3) return `${what} could not be played: the file is damaged, or its encoding is not supported.`;
  const format = mime ? `its format (${mime})` : 'its format';
  return `${what} could not be played: ${format} is not supported by this browser, or the file is missing.`;
}

/** audio and video. */
export function MediaView({ el }: LeafProps<MediaEl>) {
  // Keyed by the URL: another file gets a fresh player, without the old
  // one's failure.
  return <Player key={el.url} el={el} />;
}

function Player({ el }: { el: MediaEl }) {
  // One ref for either tag (an <audio> or a <video>, both media elements).
  const ref = useRef<HTMLAudioElement & HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const kind = el.kind === 'video' ? 'video' : 'audio';
  const w = playWindowOf(el);
  // Again when the window changes (the same file, a new start: it seeks at
  // once), and after a failure, which leaves no player to listen to.
  useEffect(() => {
    const media = ref.current;
    return media ? playWindow(media, w) : undefined;
  }, [w.start, w.end, w.loop, error]);
  if (error !== null) {
    return (
      <div class="bk-media-error" role="alert">
        {error}
      </div>
    );
  }
  const onError = (e: Event) =>
    setError(mediaErrorText(kind, el.mime, (e.currentTarget as HTMLMediaElement | null)?.error?.code));
  // `muted` comes before `autoplay`: a video may autoplay only muted (the
  // server mutes autoplaying videos).
  const common = {
    ref,
    controls: true,
    muted: !!el.muted,
    autoplay: !!el.autoplay,
    loop: nativeLoop(w),
    preload: 'metadata' as const,
    src: el.url,
    onError,
  };
  if (kind === 'audio') return <audio class="bk-audio-player" {...common} />;
  const tracks = Array.isArray(el.subtitles) ? el.subtitles : [];
  const width = typeof el.width === 'number' && el.width > 0 ? el.width : null;
  // Without a width the video takes the container's (media.css); with
  // one, never more than the container's either.
  const style = width !== null ? { width: width + 'px' } : undefined;
  return (
    <video class="bk-video-player" playsInline style={style} {...common}>
      {tracks.map((t, i) => (
        <track
          key={i}
          kind="subtitles"
          src={t.url}
          label={t.label}
          srclang={t.lang ?? undefined}
          default={!!t.default}
        />
      ))}
    </video>
  );
}

// ----- PDF -----

/**
 * The browser's own PDF viewer in an iframe, with a link under it for
 * browsers that do not show PDFs inline (most phones): they offer the file
 * instead and the frame stays empty.
 */
export function PdfView({ el }: LeafProps<PdfEl>) {
  const href = safeHref(el.url);
  const title = el.title || 'PDF';
  const height = typeof el.height === 'number' && el.height > 0 ? el.height : 600;
  if (href === null) {
    return (
      <div class="bk-media-error" role="alert">
        This PDF cannot be shown (its address is not allowed).
      </div>
    );
  }
  return (
    <div class="bk-pdf-box">
      <iframe class="bk-pdf-frame" src={href} title={title} style={{ height: height + 'px' }} />
      <a class="bk-pdf-link" href={href} target="_blank" rel="noopener">
        Open {title}
      </a>
    </div>
  );
}

// ----- logo -----

const LOGO_SIZES: ReadonlySet<string> = new Set(['small', 'medium', 'large']);

/**
 * The app's logo. The server draws it into the sidebar root wherever the
 * app called it; media.css moves its `bk-el` wrapper to the top of the
 * sidebar (`order`), so the tree, the paths and the keyed DOM stay as the
 * server sent them.
 */
export function Logo({ el }: LeafProps<LogoEl>) {
  const size = el.size && LOGO_SIZES.has(el.size) ? el.size : 'medium';
  const img = <img class={'bk-logo-img bk-logo-' + size} src={el.url} alt={el.alt ?? ''} />;
  const link = safeHref(el.link);
  if (link === null) return img;
  return (
    <a class="bk-logo-link" href={link} target="_blank" rel="noopener noreferrer">
      {img}
    </a>
  );
}
