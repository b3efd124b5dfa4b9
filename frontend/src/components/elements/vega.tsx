// A Vega-Lite chart (`vega_lite_chart`), drawn by vega-embed from the lazy
// 'vega' chunk (chunks/vega.ts), which is loaded the first time a page shows
// one.
//
// DOM: div.bk-vega[data-state=loading|ready|error][role=figure][aria-label]
// > div.bk-vega-stage (Preact never renders into it: the charts vega-embed
// draws live there) + div.bk-chart-loading (the chart's height, while
// nothing is drawn yet) or div.bk-chart-error[role=alert].
//
// How the chart is embedded (and kept within the app's CSP) is the chunk's
// `draw`; this component holds the chart's life: loading, errors, reruns,
// the selection.
//
// A rerun brings new element objects; the chart is embedded again only when
// what it draws changed by value (spec, height, width, theme: `embedKey`).
// The new chart is drawn hidden next to the old one and swapped in when it
// is ready, so a change (new data, say) does not blank the chart while it
// loads. A selection is reported by Vega's signals, debounced, and
// committed like any widget's value (`useLocal`).

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Result } from 'vega-embed';
import { chartLabel, embedKey, errorText, placeholderHeight, sameJson, selectionValue } from '../../charts/vega';
import type { VegaChunk } from '../../chunks/vega';
import { loadChunk } from '../../chunks/load';
import type { VegaLiteChartEl } from '../../protocol';
import type { LeafProps } from '../props';
import { useLocal } from '../widgets/common';

type Obj = Record<string, unknown>;
type Phase = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string };

/** `useLocal`'s element when the chart has no selection (it needs one). */
const NO_SELECTION_WIDGET = { id: '' };
const NO_VALUE: Obj = {};
/** A brush reports every mouse move: the value is committed once it has rested this long. */
const SELECTION_DEBOUNCE_MS = 150;

/** A drawn chart: where it is and vega-embed's handle on it. */
interface Drawn {
  host: HTMLDivElement;
  result: Result;
}


export function VegaLiteView({ el }: LeafProps<VegaLiteChartEl>) {
  const stage = useRef<HTMLDivElement>(null);
  const elRef = useRef(el);
  elRef.current = el;

  // Embed again only when what is drawn changed by value.
  const keyRef = useRef<{ key: Obj; version: number } | null>(null);
  const key = embedKey(el);
  if (!keyRef.current) keyRef.current = { key, version: 0 };
  else if (keyRef.current.key !== key && !sameJson(keyRef.current.key, key)) {
    keyRef.current = { key, version: keyRef.current.version + 1 };
  }
  const version = keyRef.current.version;

  const [phase, setPhase] = useState<Phase>({ state: 'loading' });
  /** The chart on screen, if any. */
  const drawn = useRef<Drawn | null>(null);
  /** Bumped each time a new chart is swapped in (its view gets the selection listeners). */
  const [drawnTick, setDrawnTick] = useState(0);

  const selection = el.selection ?? null;
  const local = useLocal<Obj>(selection ?? NO_SELECTION_WIDGET, selection?.value ?? NO_VALUE);
  const localRef = useRef(local);
  localRef.current = local;

  const clear = () => {
    const d = drawn.current;
    drawn.current = null;
    if (d) {
      d.result.finalize();
      d.host.remove();
    }
  };

  useEffect(() => {
    let live = true;
    let mine: Drawn | null = null;
    let host: HTMLDivElement | null = null;
    let ready = false;
    setPhase({ state: 'loading' });
    // Whatever breaks this chart, now or later, replaces it with the message.
    const fail = (message: string) => {
      if (!live) return;
      live = false;
      if (mine && drawn.current !== mine) mine.result.finalize();
      host?.remove();
      clear();
      setPhase({ state: 'error', message });
    };
    (async () => {
      const lib = await loadChunk<VegaChunk>('vega');
      if (!live || !stage.current) return;
      const el = elRef.current;
      // Drawn hidden beside the chart on screen (if any) and swapped in when
      // ready. In the page, not detached: width "container" measures it.
      host = document.createElement('div');
      host.className = 'bk-vega-host bk-vega-pending';
      stage.current.appendChild(host);
      let failure: string | null = null;
      const result = await lib.draw(host, el, (message) => {
        // During the embed, kept until it resolves. After, shown at once,
        // but not from inside the view's own run (the logger is called
        // there): the view is finalized once that run is over.
        if (ready) setTimeout(() => fail(message));
        else failure ??= message;
      });
      mine = { host, result };
      if (!live) {
        result.finalize();
        host.remove();
        return;
      }
      if (failure !== null) return fail(failure);
      ready = true;
      clear();
      host.classList.remove('bk-vega-pending');
      drawn.current = mine;
      setDrawnTick((n) => n + 1);
      setPhase({ state: 'ready' });
    })().catch((err: unknown) =>
      // Vega-Lite checks little of a spec: one it cannot read often ends in
      // a TypeError deep inside ("Cannot read properties of undefined"),
      // which says nothing about the spec by itself.
      fail(err instanceof TypeError ? `the spec is not valid Vega-Lite (${errorText(err)})` : errorText(err)),
    );
    return () => {
      // The chart on screen stays until the next one replaces it (or the
      // component goes: see below); an embed still running is dropped.
      live = false;
      if (mine && drawn.current !== mine) {
        mine.result.finalize();
        mine.host.remove();
      }
    };
  }, [version]);

  // On unmount: finalize the view (timers, listeners, the tooltip handler).
  useEffect(() => clear, []);

  // The selection: each reported param's value, committed once the
  // selection rests. Vega's signals report every change, also while a
  // brush is being dragged.
  const params = selection?.params ?? null;
  const paramsKey = params ? JSON.stringify(params) : '';
  useEffect(() => {
    const view = drawn.current?.result.view;
    if (!view || !params || params.length === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      const value = selectionValue(params, (name) => view.signal(name));
      const l = localRef.current;
      const now = selectionValue(params, (name) => l.value[name]);
      l.commit(value, value, sameJson(value, now));
    };
    const onChange = () => {
      clearTimeout(timer);
      timer = setTimeout(flush, SELECTION_DEBOUNCE_MS);
    };
    const added: string[] = [];
    for (const p of params) {
      try {
        view.addSignalListener(p, onChange);
        added.push(p);
      } catch {
        // Vega: 'Unrecognized signal name'. The app asked for a selection
        // the chart cannot report: say so rather than ignore it.
        clear();
        setPhase({ state: 'error', message: `the selection parameter ${JSON.stringify(p)} is not in the spec` });
        break;
      }
    }
    return () => {
      clearTimeout(timer);
      for (const p of added) view.removeSignalListener(p, onChange);
    };
  }, [drawnTick, paramsKey]);

  const loading = phase.state === 'loading' && drawn.current === null;
  return (
    <div
      class="bk-vega"
      data-state={phase.state}
      role="figure"
      aria-label={chartLabel(el.spec)}
      aria-busy={phase.state === 'loading' ? 'true' : undefined}
    >
      <div class="bk-vega-stage" ref={stage} />
      {loading && (
        <div class="bk-chart-loading" style={{ height: `${placeholderHeight(el)}px` }}>
          Loading chart…
        </div>
      )}
      {phase.state === 'error' && (
        <div class="bk-chart-error" role="alert">
          This chart could not be drawn: {phase.message}
          {el.location && <span class="bk-chart-error-at"> (drawn at {el.location})</span>}
        </div>
      )}
    </div>
  );
}
