// camera_input and audio_input: a photo from the camera, a recording from
// the microphone. Each holds one file (its value is [] or [ref]); the file
// goes up like an uploaded one (uploads.ts) and is committed once the server
// has it.
//
// The camera and the microphone are the person's: this page holds them only
// while it needs them. The camera runs while the preview is shown (it stops
// when a photo is taken, and when the widget leaves the page); the
// microphone only while recording. Browsers offer both only to secure pages
// (HTTPS, or localhost), which is the usual reason they are missing.
//
// The photo or recording shown is the one taken here (a blob URL of the
// bytes the page still has): the server's value carries no URL to show its
// copy. A value the page did not take itself (a reload, another tab of the
// session) is listed by name and size.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { AudioInputEl, CameraInputEl, UploadedFileRef } from '../../protocol';
import { asFileRefs, checkFile, humanSize, mediaError, recordingFile, upload, type Upload } from '../../uploads';
import { domId } from '../common';
import { Field, isDisabled, type Local, useLocal, type WidgetProps } from './common';
import { UploadBar } from './uploader';

type CaptureEl = CameraInputEl | AudioInputEl;

/** Ends every track of a stream: the browser's "in use" light goes off. */
function stopTracks(stream: MediaStream | null | undefined) {
  for (const t of stream?.getTracks() ?? []) t.stop();
}

/** getUserMedia, if this page is offered it (not on an insecure page, nor in an old browser). */
function userMedia(): MediaDevices['getUserMedia'] | null {
  const md = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  return md && typeof md.getUserMedia === 'function' ? md.getUserMedia.bind(md) : null;
}

/** A blob URL that is revoked when replaced and when the widget leaves the page (it pins the bytes). */
function useBlobUrl(): [string | null, (blob: Blob | null) => void] {
  const [url, setUrl] = useState<string | null>(null);
  const cur = useRef<string | null>(null);
  useEffect(
    () => () => {
      if (cur.current) URL.revokeObjectURL(cur.current);
    },
    [],
  );
  const set = (blob: Blob | null) => {
    if (cur.current) URL.revokeObjectURL(cur.current);
    cur.current = blob ? URL.createObjectURL(blob) : null;
    setUrl(cur.current);
  };
  return [url, set];
}

/**
 * Sending the one file of a capture widget: its progress and its error, and
 * the commit of `[ref]` when the server has it. A new file cancels the one
 * still going up; leaving the page cancels it too.
 */
function useSend(el: CaptureEl, local: Local<UploadedFileRef[]>) {
  const [progress, setProgress] = useState<{ name: string; loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const st = useRef({ upload: null as Upload | null, alive: true }).current;
  useEffect(
    () => () => {
      st.alive = false;
      st.upload?.abort();
    },
    [],
  );
  const cancel = () => {
    st.upload?.abort();
    st.upload = null;
    setProgress(null);
    setError(null);
  };
  const send = (file: File) => {
    cancel();
    const refused = checkFile(file, [], el.max_bytes);
    if (refused !== null) return setError(refused);
    const up = upload(el.upload_url, file, file.name, {
      onProgress: (loaded, total) => {
        if (st.alive && st.upload === up) setProgress({ name: file.name, loaded, total });
      },
    });
    st.upload = up;
    setProgress({ name: file.name, loaded: 0, total: file.size });
    up.done.then(
      (ref) => {
        if (!st.alive || st.upload !== up) return;
        st.upload = null;
        setProgress(null);
        local.commit([ref], [ref]);
      },
      (e: unknown) => {
        if (!st.alive || st.upload !== up) return;
        st.upload = null;
        setProgress(null);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };
  return { progress, error, send, cancel, fail: setError };
}

/** The progress bar while sending, or why the file did not go. */
function SendState({ send }: { send: ReturnType<typeof useSend> }) {
  return (
    <>
      {send.progress && <UploadBar name={send.progress.name} loaded={send.progress.loaded} total={send.progress.total} />}
      {send.error && (
        <div class="bk-upload-error" role="alert">
          {send.error}
        </div>
      )}
    </>
  );
}

/**
 * Commits "nothing held": the person cleared the photo or recording (inside
 * a form it waits for the submit, like any value). Sent even when the
 * element still says [] : the commit of the file may be on its way, so the
 * server's value is not known to be empty. With nothing shown as held there
 * is nothing to clear.
 */
function commitNone(local: Local<UploadedFileRef[]>) {
  if (local.value.length === 0) return local.reset();
  local.commit([], []);
}

/**
 * When the value goes from a file to none without this page clearing it (the
 * app reset it), the photo or recording shown here is no longer the value:
 * drop it too.
 */
function useClearedElsewhere(held: UploadedFileRef | null, busy: boolean, drop: () => void) {
  const heldId = held?.file_id ?? null;
  const last = useRef(heldId);
  useEffect(() => {
    if (last.current !== null && heldId === null && !busy) drop();
    last.current = heldId;
  }, [heldId]);
}

export function CameraInput({ el, path }: WidgetProps<CameraInputEl>) {
  const local = useLocal<UploadedFileRef[]>(el, asFileRefs(el.value), asFileRefs);
  const held = local.value[0] ?? null;
  const send = useSend(el, local);
  const [photo, setPhoto] = useBlobUrl();
  // null: starting; 'live': the preview plays; anything else: why there is no camera.
  const [camera, setCamera] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const disabled = isDisabled(el);
  const id = domId(path);
  const showPhoto = photo !== null || held !== null;
  const wantCamera = !disabled && !showPhoto;

  useClearedElsewhere(held, send.progress !== null, () => {
    send.cancel();
    setPhoto(null);
  });

  // The camera runs while the preview is wanted: this effect's cleanup
  // (a photo taken, the widget disabled or gone) stops it.
  useEffect(() => {
    if (!wantCamera) return;
    let over = false;
    let stream: MediaStream | null = null;
    setCamera(null);
    const getUserMedia = userMedia();
    if (!getUserMedia) {
      setCamera(mediaError('camera'));
      return;
    }
    getUserMedia({ video: true }).then(
      (s) => {
        if (over) return stopTracks(s);
        stream = s;
        const v = video.current;
        if (v) {
          v.srcObject = s;
          // `autoplay` should start it; play() as well, for browsers that wait.
          v.play?.()?.catch(() => {});
        }
      },
      (e: unknown) => {
        if (!over) setCamera(mediaError('camera', e));
      },
    );
    return () => {
      over = true;
      stopTracks(stream);
      if (video.current) video.current.srcObject = null;
    };
  }, [wantCamera]);

  // toBlob answers later: a second click before it does (a double click)
  // would take and upload a second photo.
  const taking = useRef(false);
  const take = () => {
    const v = video.current;
    if (taking.current || !v || !v.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return send.fail('This browser could not take the photo.');
    ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
    taking.current = true;
    canvas.toBlob(
      (blob) => {
        taking.current = false;
        if (!blob) return send.fail('This browser could not take the photo.');
        setPhoto(blob);
        send.send(new File([blob], 'camera.jpg', { type: 'image/jpeg' }));
      },
      'image/jpeg',
      0.9,
    );
  };

  const clear = () => {
    send.cancel();
    setPhoto(null);
    setCamera(null);
    commitNone(local);
  };

  const live = camera === 'live';
  return (
    <Field el={el} labelId={id + '-label'}>
      <div class="bk-capture" role="group" aria-labelledby={id + '-label'}>
        {showPhoto ? (
          <>
            {photo !== null ? (
              <img class="bk-capture-photo" src={photo} alt={`Photo taken for ${el.label}`} />
            ) : (
              held && <div class="bk-capture-held">{`Photo taken: ${held.name} (${humanSize(held.size)})`}</div>
            )}
            <SendState send={send} />
            <div class="bk-capture-actions">
              <button type="button" class="bk-btn" disabled={disabled} onClick={clear}>
                Clear photo
              </button>
            </div>
          </>
        ) : (
          <>
            {camera !== null && !live ? (
              <div class="bk-capture-error" role="alert">
                {camera}
              </div>
            ) : (
              <div class={disabled ? 'bk-camera bk-camera-off' : 'bk-camera'}>
                {disabled ? (
                  <span class="bk-camera-note">Camera off</span>
                ) : (
                  <video
                    ref={video}
                    class="bk-camera-video"
                    autoplay
                    muted
                    playsInline
                    aria-label="Camera preview"
                    onLoadedMetadata={() => setCamera('live')}
                  />
                )}
                {!disabled && !live && <span class="bk-camera-note">Starting the camera…</span>}
              </div>
            )}
            <SendState send={send} />
            <div class="bk-capture-actions">
              <button type="button" class="bk-btn" disabled={disabled || !live} onClick={take}>
                Take photo
              </button>
            </div>
          </>
        )}
      </div>
    </Field>
  );
}

/** A recording in progress: what must be let go of when it ends or the widget leaves. */
interface Recording {
  recorder: MediaRecorder;
  stream: MediaStream;
  timer: ReturnType<typeof setInterval>;
  since: number;
}

export function AudioInput({ el, path }: WidgetProps<AudioInputEl>) {
  const local = useLocal<UploadedFileRef[]>(el, asFileRefs(el.value), asFileRefs);
  const held = local.value[0] ?? null;
  const send = useSend(el, local);
  const [clip, setClip] = useBlobUrl();
  const [phase, setPhase] = useState<'idle' | 'busy' | 'recording'>('idle');
  const [micError, setMicError] = useState<string | null>(null);
  const [, setNow] = useState(0);
  const st = useRef({ rec: null as Recording | null, alive: true }).current;
  const disabled = isDisabled(el);
  const id = domId(path);

  /** Lets go of the microphone; `keep`: the recording's data still arrives (onstop). */
  const release = (keep: boolean) => {
    const rec = st.rec;
    if (!rec) return;
    st.rec = null;
    clearInterval(rec.timer);
    if (!keep) {
      rec.recorder.ondataavailable = null;
      rec.recorder.onstop = null;
    }
    if (rec.recorder.state !== 'inactive') rec.recorder.stop();
    stopTracks(rec.stream);
  };

  useEffect(
    () => () => {
      st.alive = false;
      release(false);
    },
    [],
  );

  useClearedElsewhere(held, send.progress !== null || phase !== 'idle', () => {
    send.cancel();
    setClip(null);
  });

  const record = async () => {
    setMicError(null);
    const getUserMedia = userMedia();
    if (!getUserMedia) return setMicError(mediaError('microphone'));
    if (typeof MediaRecorder === 'undefined') {
      return setMicError(mediaError('microphone', new Error('this browser cannot record sound')));
    }
    setPhase('busy');
    let stream: MediaStream;
    try {
      stream = await getUserMedia({ audio: true });
    } catch (e) {
      if (st.alive) {
        setMicError(mediaError('microphone', e));
        setPhase('idle');
      }
      return;
    }
    if (!st.alive) return stopTracks(stream);
    let recorder: MediaRecorder;
    try {
      // WebM where the browser records it (Chromium, Firefox); else its own choice.
      const webm = typeof MediaRecorder.isTypeSupported === 'function' && MediaRecorder.isTypeSupported('audio/webm');
      recorder = new MediaRecorder(stream, webm ? { mimeType: 'audio/webm' } : undefined);
    } catch (e) {
      stopTracks(stream);
      setMicError(mediaError('microphone', e));
      setPhase('idle');
      return;
    }
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    recorder.onstop = () => {
      if (!st.alive) return;
      setPhase('idle');
      const file = recordingFile(recorder.mimeType);
      const blob = new Blob(chunks, { type: file.type });
      setClip(blob);
      send.send(new File([blob], file.name, { type: file.type }));
    };
    setClip(null);
    send.cancel();
    recorder.start();
    st.rec = { recorder, stream, since: Date.now(), timer: setInterval(() => setNow(Date.now()), 250) };
    setPhase('recording');
  };

  const clear = () => {
    send.cancel();
    setClip(null);
    commitNone(local);
  };

  const seconds = st.rec ? Math.floor((Date.now() - st.rec.since) / 1000) : 0;
  const showClip = phase === 'idle' && (clip !== null || held !== null);
  return (
    <Field el={el} labelId={id + '-label'}>
      <div class="bk-capture" role="group" aria-labelledby={id + '-label'}>
        {micError && (
          <div class="bk-capture-error" role="alert">
            {micError}
          </div>
        )}
        {showClip &&
          (clip !== null ? (
            <audio class="bk-capture-audio" controls src={clip} aria-label={`Recording for ${el.label}`} />
          ) : (
            held && <div class="bk-capture-held">{`Recording saved: ${held.name} (${humanSize(held.size)})`}</div>
          ))}
        <SendState send={send} />
        <div class="bk-capture-actions">
          {phase === 'recording' ? (
            <>
              <button
                type="button"
                class="bk-btn bk-primary"
                onClick={() => {
                  // The recording's data arrives in `onstop`, which then sends
                  // it and ends 'busy' (in that order, should it come at once).
                  setPhase('busy');
                  release(true);
                }}
              >
                Stop
              </button>
              <span class="bk-capture-timer" role="timer">
                <span class="bk-capture-dot" aria-hidden="true" />
                {`Recording… ${seconds} s`}
              </span>
            </>
          ) : showClip ? (
            <button type="button" class="bk-btn" disabled={disabled} onClick={clear}>
              Clear recording
            </button>
          ) : (
            <button type="button" class="bk-btn" disabled={disabled || phase === 'busy'} onClick={record}>
              Record
            </button>
          )}
        </div>
      </div>
    </Field>
  );
}
