// Row windows of dataframes: the `window` requests grids send over the
// WebSocket, and the replies routed back to the grid that asked (by `view`).
// Replies never go into the element store.
//
// Throttling, per grid: at most one request in flight. While one is, only the
// latest wanted window is remembered (each new one replaces it), and it goes
// out when the reply arrives, after the grid has taken the reply in (the grid
// may `refine` it then: trim what the reply already brought, or drop it).
// A request that could not be sent (no session) waits the same way, and
// `resend` (called when a session is established) sends, for every grid,
// what it was waiting for: a reply still on its way over a socket that
// closed will never come.

import type { WindowReply, WindowRequest } from './protocol';

/** A request without its routing fields: what a grid asks for. */
export type WindowQuery = Omit<WindowRequest, 'type' | 'view'>;

/** Takes a reply, with the request it answers. */
export type ReplyHandler = (reply: WindowReply, request: WindowRequest) => void;

/** The request still worth sending instead of `waiting` (null: none). */
export type Refine = (waiting: WindowRequest) => WindowRequest | null;

/** Sends a request; false when it could not go out (no session). */
export type SendWindow = (msg: WindowRequest) => boolean;

export interface WindowView {
  /** The grid's id, echoed in the replies. */
  readonly view: string;
  /** Asks for a window: now, or when the request in flight is answered. */
  request(q: WindowQuery): void;
  /** The request in flight and the one waiting (either may be null). */
  pending(): { inFlight: WindowRequest | null; waiting: WindowRequest | null };
  /** The grid is gone: its replies are dropped. */
  close(): void;
}

interface Grid {
  onReply: ReplyHandler;
  refine: Refine | undefined;
  inFlight: WindowRequest | null;
  waiting: WindowRequest | null;
}

export function sameRequest(a: WindowRequest | null, b: WindowRequest | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.view === b.view &&
    a.frame === b.frame &&
    a.start === b.start &&
    a.count === b.count &&
    a.search === b.search &&
    (a.sort?.column ?? null) === (b.sort?.column ?? null) &&
    (a.sort?.descending ?? false) === (b.sort?.descending ?? false)
  );
}

export class WindowRouter {
  private readonly grids = new Map<string, Grid>();
  private next = 0;

  /** Where requests go (main.tsx points it at the connection). */
  constructor(public send: SendWindow = () => false) {}

  /** A grid's channel: its requests and the replies to them. */
  open(onReply: ReplyHandler, refine?: Refine): WindowView {
    const view = 'v' + ++this.next;
    const grid: Grid = { onReply, refine, inFlight: null, waiting: null };
    this.grids.set(view, grid);
    return {
      view,
      request: (q) => this.request(view, q),
      pending: () => ({ inFlight: grid.inFlight, waiting: grid.waiting }),
      close: () => {
        this.grids.delete(view);
      },
    };
  }

  private request(view: string, q: WindowQuery): void {
    const grid = this.grids.get(view);
    if (!grid) return;
    const msg: WindowRequest = {
      type: 'window',
      view,
      frame: q.frame,
      start: q.start,
      count: q.count,
      sort: q.sort,
      search: q.search,
    };
    if (grid.inFlight) {
      // Latest wins; asking again for what is in flight asks for nothing more.
      grid.waiting = sameRequest(msg, grid.inFlight) ? null : msg;
      return;
    }
    this.dispatch(grid, msg);
  }

  private dispatch(grid: Grid, msg: WindowRequest): void {
    if (this.send(msg)) {
      grid.inFlight = msg;
      grid.waiting = null;
    } else {
      grid.inFlight = null;
      grid.waiting = msg;
    }
  }

  /** A `window` message from the server. */
  receive(reply: WindowReply): void {
    if (!reply || typeof reply.view !== 'string') return;
    const grid = this.grids.get(reply.view);
    // A grid that is gone, or an answer to nothing we asked (a request from
    // before a reconnect that was sent again): dropped.
    if (!grid || !grid.inFlight) return;
    const request = grid.inFlight;
    const waiting = grid.waiting;
    grid.inFlight = null;
    grid.waiting = null;
    grid.onReply(reply, request);
    // The handler asked again: that is the latest.
    if (grid.inFlight || grid.waiting || !waiting) return;
    const out = grid.refine ? grid.refine(waiting) : waiting;
    if (out) this.dispatch(grid, out);
  }

  /** A session was (re)established: what was in flight or waiting goes out again. */
  resend(): void {
    for (const grid of this.grids.values()) {
      const msg = grid.waiting ?? grid.inFlight;
      grid.inFlight = null;
      grid.waiting = null;
      if (msg) this.dispatch(grid, msg);
    }
  }
}

/** The page's router (main.tsx connects it, connection.ts feeds it). */
export const windows = new WindowRouter();
