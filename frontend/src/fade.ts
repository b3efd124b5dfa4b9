// When stale elements fade. A run makes everything it has not confirmed yet
// stale the moment it starts (state.ts), but most reruns are over within a
// few milliseconds, often in two or three frames: fading the whole page at
// the first and back at the last would flicker, and on a big page would
// restyle every element twice for a one-element change. So the page shows
// a new run's staleness only once the run has gone on for `FADE_DELAY_MS`
// (the CSS used to do the same with a transition delay on each element,
// which cost a running transition per element: minutes of style work on a
// page of 50,000). Less staleness (a run ended) shows at once.

import type { AppState, StaleScopes } from './state';

/** How long a run goes on before what it has not confirmed yet fades. */
export const FADE_DELAY_MS = 100;

/** The staleness thresholds the page shows (those of `AppState`). */
export interface Shown {
  readonly staleBefore: number;
  readonly scopes: StaleScopes;
}

export function shownOf(state: AppState): Shown {
  return { staleBefore: state.staleBefore, scopes: state.staleScopes };
}

/** Whether the page shows the state's thresholds. */
export function showsState(shown: Shown, state: AppState): boolean {
  return shown.staleBefore === state.staleBefore && shown.scopes === state.staleScopes;
}

/**
 * What the page shows next: the state's thresholds when no run is in
 * progress (a run ended: complete, error, stopped or cancelled, or the
 * connection dropped) or when `due` (the thresholds have differed for
 * `FADE_DELAY_MS`); else, while a run that just started is young, what it
 * showed before (what that run draws is fresh under either).
 */
export function nextShown(shown: Shown, state: AppState, due: boolean): Shown {
  if (showsState(shown, state)) return shown;
  return state.run === null || due ? shownOf(state) : shown;
}
