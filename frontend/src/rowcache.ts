// Where the dataframe's rows come from. They are not in the element: its
// `data.url` answers them as JSON. A small cache of the last few answers,
// keyed by url, means a re-render, a remount (a tab switched back) or two
// views of the same data fetch once; a request in flight is shared too.

import type { Json } from './protocol';

export type Rows = Json[][];
export type FetchRows = (url: string) => Promise<Rows>;

/** The last `capacity` answers (least recently used goes first) and the requests in flight. */
export class RowCache {
  private readonly done = new Map<string, Rows>();
  private readonly pending = new Map<string, Promise<Rows>>();

  constructor(
    private readonly fetchRows: FetchRows,
    private readonly capacity = 4,
  ) {}

  /** The rows of `url` if they are here (and marks them recently used). */
  get(url: string): Rows | undefined {
    const rows = this.done.get(url);
    if (rows !== undefined) {
      this.done.delete(url);
      this.done.set(url, rows);
    }
    return rows;
  }

  /** The rows of `url`: from the cache, the request in flight, or a new one. A failure is not kept. */
  load(url: string): Promise<Rows> {
    const rows = this.get(url);
    if (rows !== undefined) return Promise.resolve(rows);
    let p = this.pending.get(url);
    if (!p) {
      p = this.fetchRows(url).then(
        (rows) => {
          this.pending.delete(url);
          this.put(url, rows);
          return rows;
        },
        (e: unknown) => {
          this.pending.delete(url);
          throw e;
        },
      );
      this.pending.set(url, p);
    }
    return p;
  }

  /** The urls held, least recently used first (for tests). */
  urls(): string[] {
    return Array.from(this.done.keys());
  }

  private put(url: string, rows: Rows): void {
    this.done.delete(url);
    this.done.set(url, rows);
    while (this.done.size > this.capacity) {
      const oldest = this.done.keys().next().value as string;
      this.done.delete(oldest);
    }
  }
}

/** Thrown for an answer that is not the rows; its message is shown in the table. */
export class RowsError extends Error {}

/** Checks that a parsed body is rows: an array of arrays. */
export function asRows(body: unknown): Rows {
  if (!Array.isArray(body) || !body.every(Array.isArray)) throw new RowsError('not a list of rows');
  return body as Rows;
}

/** Fetches the rows from the server (same origin, with the session's cookies). */
export async function fetchRows(url: string): Promise<Rows> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    throw new RowsError('network error');
  }
  if (!res.ok) throw new RowsError(`HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new RowsError('invalid JSON');
  }
  return asRows(body);
}

/** The text a table shows in place of rows it could not load. */
export function loadErrorText(e: unknown): string {
  const why = e instanceof RowsError ? e.message : 'unexpected error';
  return `Could not load the table data (${why})`;
}

/** The page's cache. */
export const rowCache = new RowCache(fetchRows);
