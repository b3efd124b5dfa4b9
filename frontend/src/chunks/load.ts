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

const requested = new Set<string>();

/** The exports of chunk `name`, loading it on first use. Rejects when the script fails to load. */
export function loadChunk<T>(name: ChunkName): Promise<T> {
  const e = entry(name);
  if (!requested.has(name) && typeof document !== 'undefined') {
    requested.add(name);
    const version = typeof __BROOKLET_CHUNKS__ === 'undefined' ? '' : (__BROOKLET_CHUNKS__[name] ?? '');
    const script = document.createElement('script');
    script.src = `/_brooklet/static/chunk-${name}.js?v=${version}`;
    script.async = true;
    const failed = new Promise<never>((_, reject) => {
      script.onerror = () => {
        requested.delete(name);
        script.remove();
        reject(new Error(`could not load the ${name} library (chunk-${name}.js)`));
      };
    });
    document.head.appendChild(script);
    return Promise.race([e.promise, failed]) as Promise<T>;
  }
  return e.promise as Promise<T>;
}

/** Called at the end of each chunk: hands its exports to `loadChunk`. */
export function registerChunk(name: ChunkName, exports: unknown): void {
  entry(name).resolve(exports);
}
