// The page's state as a pure function of the server messages it has seen.
// No DOM, no sockets: the connection feeds messages in, the view reads out.

import type { ClientConfig, ErrorCode, Path, RunStatus, ServerMessage } from './protocol';
import { applyOps, emptyTree, enclosing, isStale, nodeAt, type Tree, type Warn } from './tree';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'shutdown';

export interface ServerError {
  code: ErrorCode;
  message: string;
  fatal: boolean;
}

/**
 * An error about one widget's value (refused by the server, or left out by
 * the client's size check), shown under that widget.
 */
export interface WidgetError {
  message: string;
  /** `sent` when it was set: only a run started after a later rerun clears it. */
  since: number;
}

export type WidgetErrors = Readonly<Record<string, WidgetError>>;

/** No widget errors (one shared object, so that views compare it cheaply). */
export const NO_WIDGET_ERRORS: WidgetErrors = Object.freeze({});

export interface AppState {
  readonly tree: Tree;
  /** Client-side run counter, bumped at every `run_started`. */
  readonly epoch: number;
  /** Nodes whose `seen` is below this are stale (0: nothing is stale). */
  readonly staleBefore: number;
  /**
   * Fragment runs: by dotted block path, the epoch that replaces
   * `staleBefore` for everything inside that block (see `staleThreshold`).
   */
  readonly staleScopes: StaleScopes;
  /** The server run in progress, if any. */
  readonly run: number | null;
  /**
   * The run the person asked to stop (`requestStop`), until it finishes: the
   * run status says "Stopping…" instead of "Running…" meanwhile.
   */
  readonly stopping: number | null;
  /** The block the last run started was scoped to (`null`: a full run). */
  readonly runScope: Path | null;
  /** How the last run ended. */
  readonly lastStatus: RunStatus | null;
  readonly connection: ConnectionStatus;
  readonly shutdownReason: string | null;
  readonly error: ServerError | null;
  /** Errors about widgets' values, by widget id. */
  readonly widgetErrors: WidgetErrors;
  /** The server's note about the run in progress (`status`), if any. */
  readonly note: string | null;
  /** How many `rerun` messages this page has sent (see `sentRerun`). */
  readonly sent: number;
  /** `sent` when the last run started. */
  readonly runSent: number;
  readonly sessionId: string | null;
  readonly config: ClientConfig | null;
}

export type StaleScopes = Readonly<Record<string, number>>;

/** No scoped staleness (one shared object, so that views compare it cheaply). */
export const NO_SCOPES: StaleScopes = Object.freeze({});

/**
 * The `staleBefore` that applies to the node at `path`: that of the nearest
 * block around it with a scope entry, else the page-wide one. A fragment
 * run sets its block's entry to its epoch (everything inside that was not
 * confirmed since is stale, the rest of the page is untouched), and its end
 * sets it to 0 (nothing inside is stale, whatever is faded around it).
 */
export function staleThreshold(scopes: StaleScopes, staleBefore: number, path: Path): number {
  for (let n = path.length - 1; n > 0; n--) {
    const t = scopes[path.slice(0, n).join('.')];
    if (t !== undefined) return t;
  }
  return staleBefore;
}

/** Whether the node at `path` is stale (false when there is none). */
export function isStaleAt(state: AppState, path: Path): boolean {
  const node = nodeAt(state.tree, path);
  return !!node && isStale(node, staleThreshold(state.staleScopes, state.staleBefore, path));
}

/** `scopes` without the entry of block `key` and those of the blocks inside it. */
function without(scopes: StaleScopes, key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in scopes) {
    if (k !== key && !k.startsWith(key + '.')) out[k] = scopes[k] as number;
  }
  return out;
}

function validScope(scope: unknown): scope is Path {
  return (
    Array.isArray(scope) &&
    scope.length > 0 &&
    scope.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)
  );
}

export function initialState(): AppState {
  return {
    tree: emptyTree(),
    epoch: 0,
    staleBefore: 0,
    staleScopes: NO_SCOPES,
    run: null,
    stopping: null,
    runScope: null,
    lastStatus: null,
    connection: 'connecting',
    shutdownReason: null,
    error: null,
    widgetErrors: NO_WIDGET_ERRORS,
    note: null,
    sent: 0,
    runSent: 0,
    sessionId: null,
    config: null,
  };
}

/** Applies one server message. Unknown message types are ignored. */
export function reduce(state: AppState, msg: ServerMessage, warn?: Warn): AppState {
  switch (msg.type) {
    case 'session': {
      const base = msg.resumed
        ? state
        : {
            ...state,
            tree: emptyTree(),
            staleBefore: 0,
            staleScopes: NO_SCOPES,
            run: null,
            stopping: null,
            runScope: null,
            lastStatus: null,
            widgetErrors: NO_WIDGET_ERRORS,
            note: null,
          };
      return {
        ...base,
        connection: 'connected',
        shutdownReason: null,
        // Being let in answers "the server is at capacity".
        error: base.error?.code === 'overloaded' ? null : base.error,
        sessionId: msg.session_id,
        config: msg.config,
      };
    }
    case 'run_started': {
      const epoch = state.epoch + 1;
      const scope = validScope(msg.scope) ? msg.scope : null;
      const runSent = state.sent;
      const run = msg.run;
      if (!scope) {
        return { ...state, epoch, staleBefore: epoch, staleScopes: NO_SCOPES, run, stopping: null, runScope: null, runSent };
      }
      // A fragment run: only what is inside its block goes stale. Entries
      // of blocks inside it are superseded by this one.
      const key = scope.join('.');
      const staleScopes = { ...without(state.staleScopes, key), [key]: epoch };
      return { ...state, epoch, staleScopes, run, stopping: null, runScope: scope, runSent };
    }
    case 'delta': {
      const tree = applyOps(state.tree, Array.isArray(msg.ops) ? msg.ops : [], state.epoch, warn);
      return tree === state.tree ? state : { ...state, tree };
    }
    case 'run_finished': {
      // A late report about an older run must not end the current one.
      if (state.run !== null && state.run !== msg.run) return state;
      let { staleBefore, staleScopes } = state;
      const scope = state.runScope;
      if (ranToTheEnd(msg.status)) {
        if (scope) {
          // A fragment run clears its own block only. Where something
          // around it is still stale (after a cancelled run), an entry of 0
          // keeps the inside fresh; otherwise no entry is needed.
          const key = scope.join('.');
          const rest = without(staleScopes, key);
          if (staleThreshold(rest, staleBefore, [...scope, 0]) > 0) rest[key] = 0;
          staleScopes = Object.keys(rest).length > 0 ? rest : NO_SCOPES;
        } else {
          staleBefore = 0;
          staleScopes = NO_SCOPES;
        }
      }
      const widgetErrors = msg.status === 'complete' ? settleWidgetErrors(state) : state.widgetErrors;
      return {
        ...state,
        staleBefore,
        staleScopes,
        run: null,
        stopping: null,
        lastStatus: msg.status,
        widgetErrors,
        note: null,
      };
    }
    case 'error': {
      const message = String(msg.message);
      const widget = msg.widget;
      // About a widget on the page: shown under it instead of in the banner
      // (which would not say which field it means). A widget that is not on
      // the page falls back to the banner, so the error is not lost.
      if (!msg.fatal && typeof widget === 'string' && widget && enclosing(state.tree, widget)) {
        return {
          ...state,
          widgetErrors: { ...state.widgetErrors, [widget]: { message, since: state.sent } },
        };
      }
      return { ...state, error: { code: msg.code, message, fatal: !!msg.fatal } };
    }
    case 'status': {
      const note = typeof msg.message === 'string' && msg.message.trim() ? msg.message : null;
      return note === state.note ? state : { ...state, note };
    }
    case 'shutdown':
      return { ...state, connection: 'shutdown', shutdownReason: String(msg.reason) };
    default:
      return state;
  }
}

export function reduceAll(state: AppState, msgs: readonly ServerMessage[], warn?: Warn): AppState {
  let s = state;
  for (const m of msgs) {
    if (m && typeof m === 'object') s = reduce(s, m, warn);
  }
  return s;
}

/** The socket closed: no run can be in progress any more as far as we know. */
export function disconnected(state: AppState): AppState {
  let connection: ConnectionStatus = 'reconnecting';
  if (state.connection === 'shutdown') connection = 'shutdown';
  else if (state.sessionId === null) connection = 'connecting';
  return { ...state, run: null, stopping: null, note: null, connection };
}

/**
 * Whether a run that ended with `status` drew the whole page: then the
 * server removed what it did not draw (`truncate`), and what is left is
 * current. A run that did not get to its end, `cancelled` (a newer run takes
 * over) or `stopped` (the person pressed Stop), confirmed only part of the
 * page, and the server leaves the rest there: that rest is older output
 * (of earlier runs, cancelled ones included) and stays faded, the same as
 * during the run, until a later run confirms or removes it.
 */
export function ranToTheEnd(status: RunStatus): boolean {
  return status === 'complete' || status === 'error';
}

/**
 * The person pressed Stop: the run in progress is being stopped (the server
 * answers with `run_finished` … `stopped` once the app gets to its next `Ui`
 * call, which can take a while). No run, no change.
 */
export function requestStop(state: AppState): AppState {
  if (state.run === null || state.stopping === state.run) return state;
  return { ...state, stopping: state.run };
}

/** Whether the run in progress is being stopped (see `requestStop`). */
export function isStopping(state: AppState): boolean {
  return state.run !== null && state.stopping === state.run;
}

/**
 * A `complete` run clears the widget errors set before the rerun that
 * started it. Not the others: the run caused by the very message whose value
 * was refused (or sent without it), and runs nobody asked for (fragment
 * timers), finish right after the error appears and would wipe it at once.
 */
function settleWidgetErrors(state: AppState): WidgetErrors {
  const errors = state.widgetErrors;
  let kept: Record<string, WidgetError> | null = null;
  for (const id in errors) {
    const e = errors[id] as WidgetError;
    if (e.since >= state.runSent) (kept ??= {})[id] = e;
  }
  if (kept === null) return NO_WIDGET_ERRORS;
  return Object.keys(kept).length === Object.keys(errors).length ? errors : kept;
}

/**
 * The page is sending a `rerun` (counted, see `settleWidgetErrors`), with
 * `refused`: widget id → why its value was left out of it.
 */
export function sentRerun(state: AppState, refused: Readonly<Record<string, string>> = {}): AppState {
  const sent = state.sent + 1;
  const ids = Object.keys(refused);
  if (ids.length === 0) return { ...state, sent };
  const widgetErrors = { ...state.widgetErrors };
  for (const id of ids) widgetErrors[id] = { message: refused[id] as string, since: sent };
  return { ...state, sent, widgetErrors };
}

/** The person changed widget `id`'s value: its error no longer applies. */
export function clearWidgetError(state: AppState, id: string): AppState {
  if (!(id in state.widgetErrors)) return state;
  const { [id]: _gone, ...rest } = state.widgetErrors;
  return { ...state, widgetErrors: Object.keys(rest).length > 0 ? rest : NO_WIDGET_ERRORS };
}

export function dismissError(state: AppState): AppState {
  return state.error ? { ...state, error: null } : state;
}
