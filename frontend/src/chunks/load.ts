// Loads a lazy chunk (see build.mjs): a script from the app's own static
// files, fetched the first time an element needs it. The CSP allows it
// (`script-src 'self'`); no chunk is ever fetched from a CDN.

/** Chunk name → content hash, written by build.mjs. */
declare const __BROOKLET_CHUNKS__: Record<string, string>;

export type ChunkName = 'uplot' | 'vega' | 'plotly' | 'map';

type Registry = Map<string, { resolve: (exports: unknown) => void; promise: Promise<unknown> }>;

const g = globalThis as unknown as {
  __brookletChunk?: (name: string, exports: unknown) => void;
  __brookletChunkRegistry?: Registry;
};

function registry(): Registry {
  if (!g.__brookletChunkRegistry) {
    const reg: Registry = new Map();
    g.__brookletChunkRegistry = reg;
    g.__brookletChunk = (name, exports) => entry(name).resolve(exports);
  }
  return g.__brookletChunkRegistry;
}

function entry(name: string) {
  const reg = registry();
  let e = reg.get(name);
  if (!e) {
    let resolve!: (exports: unknown) => void;
    const promise = new Promise<unknown>((r) => (resolve = r));
    e = { resolve, promise };
    reg.set(name, e);
  }
  return e;
}

/** The load in progress or done, by chunk: one per chunk, shared by every caller. */
const pending = new Map<string, Promise<unknown>>();

/**
 * The exports of chunk `name`, loading it on first use. Every caller gets
 * the one promise of that load, so each hears when the script fails to
 * load (it rejects for all of them); after a failure, the next call tries
 * again.
 */
export function loadChunk<T>(name: ChunkName): Promise<T> {
  let load = pending.get(name);
  if (!load) {
    load = request(name);
    load.catch(() => pending.delete(name));
    pending.set(name, load);
  }
  return load as Promise<T>;
}

/** Add the chunk's script; resolves with its exports, rejects if it cannot load. */
function request(name: ChunkName): Promise<unknown> {
  const e = entry(name);
  if (typeof document === 'undefined') return e.promise;
  const version = typeof __BROOKLET_CHUNKS__ === 'undefined' ? '' : (__BROOKLET_CHUNKS__[name] ?? '');
  const script = document.createElement('script');
  script.src = `/_brooklet/static/chunk-${name}.js?v=${version}`;
  script.async = true;
  const failed = new Promise<never>((_, reject) => {
    script.onerror = () => {
      script.remove();
      reject(new Error(`could not load the ${name} library (chunk-${name}.js)`));
    };
  });
  document.head.appendChild(script);
  return Promise.race([e.promise, failed]);
}

/** Called at the end of each chunk: hands its exports to `loadChunk`. */
export function registerChunk(name: ChunkName, exports: unknown): void {
  entry(name).resolve(exports);
}
