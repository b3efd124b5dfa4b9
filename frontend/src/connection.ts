// The WebSocket to the server: hello/resume, heartbeats, reconnects with
// backoff, a small queue so a widget change made while offline is sent
// once the session is back, the size check of outgoing reruns, and the
// query string in the address bar. Dataframe row windows (`window`
// replies) go to the window router, not into the store.

import { fitRerun, refusalText } from './limits';
import {
  PROTOCOL_VERSION,
  type ClientMessage,
  type RerunMessage,
  type ServerMessage,
  type WidgetValue,
  type WindowReply,
} from './protocol';
import { disconnected, sentRerun } from './state';
import type { Store } from './store';
import type { WindowRouter } from './windows';

export const BACKOFF_START_MS = 200;
export const BACKOFF_MAX_MS = 5000;
/**
 * After `overloaded` (the server is at its session capacity) retries wait
 * at least this long, doubling up to `OVERLOADED_MAX_MS`: quick retries from
 * every turned-away tab would only keep a full server busy.
 */
export const OVERLOADED_MIN_MS = 4000;
export const OVERLOADED_MAX_MS = 30000;

/** The delay before the reconnect attempt after one that waited `prev`. */
export function nextBackoff(prev: number, overloaded = false): number {
  if (overloaded) return Math.min(Math.max(prev * 2, OVERLOADED_MIN_MS), OVERLOADED_MAX_MS);
  return Math.min(Math.max(prev, BACKOFF_START_MS / 2) * 2, BACKOFF_MAX_MS);
}

/**
 * `delay` spread over ±25%, so that tabs turned away together do not all
 * come back in the same instant (`random` in [0, 1)).
 */
export function jitter(delay: number, random: number): number {
  return Math.round(delay * (0.75 + random / 2));
}

export function socketUrl(loc: { protocol: string; host: string }): string {
  return (loc.protocol === 'https:' ? 'wss' : 'ws') + '://' + loc.host + '/_brooklet/ws';
}

/** The address for `query_params`: same path and hash, the new query. */
export function queryUrl(loc: { pathname: string; hash: string }, query: string): string {
  return loc.pathname + (query ? '?' + query : '') + loc.hash;
}

export class Connection {
  private ws: WebSocket | null = null;
  /** Kept in memory only: a reload starts a new session, a drop resumes. */
  private sessionId: string | null = null;
  private ready = false;
  private delay = BACKOFF_START_MS;
  /** The server turned us away for capacity; cleared by the next `session`. */
  private overloaded = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private pendingWidgets: Record<string, WidgetValue> = {};
  private pendingTriggers: string[] = [];
  /** The fragment of the queued reruns; `null` once they differ (rerun all). */
  private pendingFragment: string | null | undefined;

  constructor(
    private readonly url: string,
    private readonly store: Store,
    /** Sent in `hello`; follows `query_params`, as the address bar does. */
    private query: string,
    /** Where `window` replies go; told when a session is (re)established. */
    private readonly windows: WindowRouter,
  ) {}

  start(): void {
    this.connect();
    addEventListener('online', () => this.retryNow());
  }

  /**
   * Sends a message, or queues a `rerun` until a session is established.
   * Returns whether it went out now (a `window` request that did not is the
   * window router's to send again, see `WindowRouter.resend`).
   */
  send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (this.ready && ws && ws.readyState === WebSocket.OPEN) {
      const out = msg.type === 'rerun' ? this.fit(msg) : msg;
      if (out) ws.send(JSON.stringify(out));
      return true;
    }
    if (msg.type === 'rerun') {
      Object.assign(this.pendingWidgets, msg.widgets);
      if (msg.trigger) this.pendingTriggers.push(msg.trigger);
      const fragment = msg.fragment ?? null;
      this.pendingFragment = this.pendingFragment === undefined || this.pendingFragment === fragment ? fragment : null;
    }
    return false;
  }

  /**
   * The rerun as it may be sent: values that would take it over the
   * server's limit (which would close the connection) are left out, and
   * their widgets say why. Null when nothing is left to send.
   */
  private fit(msg: RerunMessage): RerunMessage | null {
    const limit = this.store.state.config?.max_message_bytes;
    const { msg: out, refused } = fitRerun(msg, limit);
    const why: Record<string, string> = {};
    for (const r of refused) why[r.id] = refusalText(r.bytes, limit as number);
    if (refused.length > 0) console.warn('[brooklet] left out values over the message limit:', Object.keys(why));
    this.store.update((s) => sentRerun(s, why));
    return out;
  }

  private connect(): void {
    this.retryTimer = undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      console.warn('[brooklet] cannot open WebSocket', e);
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    this.ready = false;
    ws.onopen = () => {
      if (ws !== this.ws) return;
      this.lastHeard = Date.now();
      const hello: ClientMessage = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        session_id: this.sessionId,
        query: this.query,
      };
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (ws === this.ws) this.receive(ev.data);
    };
    ws.onclose = () => this.closed(ws);
    // An error is always followed by close, which does the work.
    ws.onerror = () => {};
  }

  private receive(data: unknown): void {
    this.lastHeard = Date.now();
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      console.warn('[brooklet] ignoring a frame that is not JSON');
      return;
    }
    const all = (Array.isArray(parsed) ? parsed : [parsed]) as ServerMessage[];
    const msgs: ServerMessage[] = [];
    const windows: WindowReply[] = [];
    let session = false;
    let query: string | undefined;
    for (const m of all) {
      if (m && m.type === 'window') {
        windows.push(m);
        continue;
      }
      msgs.push(m);
      if (m && m.type === 'session') {
        session = true;
        this.sessionId = m.session_id;
        this.ready = true;
        this.delay = BACKOFF_START_MS;
        this.overloaded = false;
        this.startHeartbeat(m.config?.heartbeat_ms);
      } else if (m && m.type === 'query_params' && typeof m.query === 'string') {
        query = m.query;
      } else if (m && m.type === 'error' && m.code === 'overloaded') {
        // The server closes the socket next; the retry waits longer.
        this.overloaded = true;
        this.delay = Math.max(this.delay, OVERLOADED_MIN_MS);
      }
    }
    this.store.applyFrame(msgs);
    for (const w of windows) this.windows.receive(w);
    if (query !== undefined) this.showQuery(query);
    if (session) {
      this.flush();
      this.windows.resend();
    }
  }

  /** The app changed its query parameters: show them, without a load or a history entry. */
  private showQuery(query: string): void {
    this.query = query;
    try {
      history.replaceState(history.state, '', queryUrl(location, query));
    } catch (e) {
      console.warn('[brooklet] cannot update the address bar', e);
    }
  }

  private flush(): void {
    const widgets = this.pendingWidgets;
    const triggers = this.pendingTriggers;
    const fragment = this.pendingFragment ?? null;
    this.pendingWidgets = {};
    this.pendingTriggers = [];
    this.pendingFragment = undefined;
    if (Object.keys(widgets).length > 0 || triggers.length > 0) {
      this.send({ type: 'rerun', widgets, trigger: triggers[0] ?? null, fragment });
    }
    for (const t of triggers.slice(1)) this.send({ type: 'rerun', widgets: {}, trigger: t, fragment });
  }

  private startHeartbeat(ms: unknown): void {
    clearInterval(this.heartbeatTimer);
    const every = typeof ms === 'number' && ms >= 1000 ? ms : 15000;
    this.heartbeatTimer = setInterval(() => {
      const ws = this.ws;
      if (!ws) return;
      // The server answers every heartbeat; long silence means a dead link
      // that the browser has not noticed yet.
      if (Date.now() - this.lastHeard > every * 4) {
        ws.close();
        this.closed(ws);
        return;
      }
      this.send({ type: 'heartbeat' });
    }, every);
  }

  private closed(ws: WebSocket): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.ready = false;
    clearInterval(this.heartbeatTimer);
    this.store.update(disconnected);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    const wait = this.overloaded ? jitter(this.delay, Math.random()) : this.delay;
    this.delay = nextBackoff(this.delay, this.overloaded);
    this.retryTimer = setTimeout(() => this.connect(), wait);
  }

  private retryNow(): void {
    // Coming back online is no reason to knock again on a full server.
    if (this.ws || this.retryTimer === undefined || this.overloaded) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }
}
