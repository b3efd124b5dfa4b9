// The page's state as a pure function of the server messages it has seen.
// No DOM, no sockets: the connection feeds messages in, the view reads out.

import type { ClientConfig, ErrorCode, RunStatus, ServerMessage } from './protocol';
import { applyOps, emptyTree, type Tree, type Warn } from './tree';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'shutdown';

export interface ServerError {
  code: ErrorCode;
  message: string;
  fatal: boolean;
}

export interface AppState {
  readonly tree: Tree;
  /** Client-side run counter, bumped at every `run_started`. */
  readonly epoch: number;
  /** Nodes whose `seen` is below this are stale (0: nothing is stale). */
  readonly staleBefore: number;
  /** The server run in progress, if any. */
  readonly run: number | null;
  /** How the last run ended. */
  readonly lastStatus: RunStatus | null;
  readonly connection: ConnectionStatus;
  readonly shutdownReason: string | null;
  readonly error: ServerError | null;
  readonly sessionId: string | null;
  readonly config: ClientConfig | null;
}

export function initialState(): AppState {
  return {
    tree: emptyTree(),
    epoch: 0,
    staleBefore: 0,
    run: null,
    lastStatus: null,
    connection: 'connecting',
    shutdownReason: null,
    error: null,
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
        : { ...state, tree: emptyTree(), staleBefore: 0, run: null, lastStatus: null };
      return {
        ...base,
        connection: 'connected',
        shutdownReason: null,
        sessionId: msg.session_id,
        config: msg.config,
      };
    }
    case 'run_started': {
      const epoch = state.epoch + 1;
      return { ...state, epoch, staleBefore: epoch, run: msg.run };
    }
    case 'delta': {
      const tree = applyOps(state.tree, Array.isArray(msg.ops) ? msg.ops : [], state.epoch, warn);
      return tree === state.tree ? state : { ...state, tree };
    }
    case 'run_finished': {
      // `cancelled` means a newer run takes over: what it has not confirmed
      // yet stays faded. Every other end clears staleness.
      // A late report about an older run must not end the current one.
      if (state.run !== null && state.run !== msg.run) return state;
      const staleBefore = msg.status === 'cancelled' ? state.staleBefore : 0;
      return { ...state, staleBefore, run: null, lastStatus: msg.status };
    }
    case 'error':
      return {
        ...state,
        error: { code: msg.code, message: String(msg.message), fatal: !!msg.fatal },
      };
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
  return { ...state, run: null, connection };
}

export function dismissError(state: AppState): AppState {
  return state.error ? { ...state, error: null } : state;
}
