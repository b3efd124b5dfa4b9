// The page chrome: connection banner, error banner, run status with Stop
// (and the server's note about the run), sidebar and main column.

import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { actions } from '../actions';
import { FADE_DELAY_MS, nextShown, showsState, shownOf, type Shown } from '../fade';
import { dismissError, isStopping, requestStop, type AppState, type StaleScopes } from '../state';
import type { Store } from '../store';
import type { TreeNode } from '../tree';
import { renderKids } from './Element';

interface RootProps {
  kids: readonly TreeNode[];
  index: number;
  staleBefore: number;
  scopes: StaleScopes;
}

/** One root (0 = main, 1 = sidebar); re-renders only when it changes. */
class Root extends Component<RootProps> {
  override shouldComponentUpdate(next: RootProps): boolean {
    const p = this.props;
    return next.kids !== p.kids || next.staleBefore !== p.staleBefore || next.scopes !== p.scopes;
  }
  override render(): ComponentChildren {
    const { kids, index, staleBefore, scopes } = this.props;
    const path = String(index);
    return (
      <div class="bk-kids bk-root" data-path={path}>
        {renderKids(kids, path, scopes[path] ?? staleBefore, scopes)}
      </div>
    );
  }
}

function ConnectionBanner({ state }: { state: AppState }) {
  let text: string | null = null;
  if (state.connection === 'connecting') text = 'Connecting…';
  else if (state.connection === 'reconnecting') text = 'Connection lost — reconnecting…';
  else if (state.connection === 'shutdown') text = `Server shut down: ${state.shutdownReason ?? ''}`;
  return (
    <div id="bk-connection" class="bk-conn" data-state={state.connection} role="status" hidden={text === null}>
      {text !== null && <span class="bk-conn-dot" aria-hidden="true" />}
      {text}
    </div>
  );
}

function ErrorBanner({ state, store }: { state: AppState; store: Store }) {
  const err = state.error;
  if (!err) return null;
  // Turned away for capacity is not a fault of the page: say what happens
  // next in plain words (connection.ts retries, slowly).
  const text =
    err.code === 'overloaded' ? (
      <>
        <strong>The server is at capacity.</strong> It cannot take another session right now; this page will
        keep retrying every few seconds.
      </>
    ) : (
      <>
        <strong>{err.fatal ? 'Connection error' : 'Error'}</strong> ({err.code}): {err.message}
      </>
    );
  return (
    <div id="bk-error" class="bk-error-banner" role="alert" data-code={err.code}>
      <div>{text}</div>
      <button type="button" class="bk-dismiss" aria-label="Dismiss" onClick={() => store.update(dismissError)}>
        ×
      </button>
    </div>
  );
}

/**
 * Floats over the page (position: fixed), so what it shows, the note
 * included, never moves the elements. A note can come before the run starts
 * (it is waiting for a worker thread): then it shows alone, as `waiting`.
 * After Stop it says "Stopping…" until the run has ended (an app that does
 * not call `Ui` for a while is not stopped before its next call).
 */
function RunStatus({ state: app, store }: { state: AppState; store: Store }) {
  const running = app.run !== null;
  const stopping = isStopping(app);
  const note = app.note;
  const state = stopping ? 'stopping' : running ? 'running' : note !== null ? 'waiting' : 'idle';
  const stop = () => {
    store.update(requestStop);
    actions.stop();
  };
  return (
    <div id="bk-status" class="bk-status" data-state={state} role="status" aria-live="polite">
      {state !== 'idle' && <span class="bk-spin bk-spin-sm" aria-hidden="true" />}
      {running && <span class="bk-status-text">{stopping ? 'Stopping…' : 'Running…'}</span>}
      {note !== null && (
        <span class="bk-status-note" title={note}>
          {note}
        </span>
      )}
      {running && (
        <button type="button" class="bk-btn bk-btn-sm" disabled={stopping} onClick={stop}>
          Stop
        </button>
      )}
    </div>
  );
}

/**
 * The staleness thresholds to draw with (fade.ts): a run's staleness shows
 * once it has gone on for `FADE_DELAY_MS`.
 */
function useShownStaleness(state: AppState): Shown {
  const ref = useRef<{ shown: Shown; due: boolean } | null>(null);
  const r = (ref.current ??= { shown: shownOf(state), due: false });
  r.shown = nextShown(r.shown, state, r.due);
  const pending = !showsState(r.shown, state);
  if (!pending) r.due = false;
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => {
      r.due = true;
      setTick((n) => n + 1);
    }, FADE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [pending]);
  return r.shown;
}

export function App({ store }: { store: Store }) {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    return store.subscribe(() => setState(store.state));
  }, [store]);
  const title = state.config?.page_title;
  useEffect(() => {
    if (title) document.title = title;
  }, [title]);

  const shown = useShownStaleness(state);
  const [main, sidebar] = state.tree as [readonly TreeNode[], readonly TreeNode[]];
  const running = state.run !== null;
  const hasSidebar = sidebar.length > 0;
  return (
    <div
      id="bk-app"
      class={hasSidebar ? 'bk-app bk-with-sidebar' : 'bk-app'}
      data-connection={state.connection}
      data-running={String(running)}
    >
      <div class="bk-top">
        <ConnectionBanner state={state} />
        <ErrorBanner state={state} store={store} />
      </div>
      <RunStatus state={state} store={store} />
      {hasSidebar && (
        <aside class="bk-sidebar" aria-label="Sidebar">
          <div class="bk-sidebar-body">
            <Root kids={sidebar} index={1} staleBefore={shown.staleBefore} scopes={shown.scopes} />
          </div>
        </aside>
      )}
      <main class="bk-main">
        <Root kids={main} index={0} staleBefore={shown.staleBefore} scopes={shown.scopes} />
      </main>
    </div>
  );
}
