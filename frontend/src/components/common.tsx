// Pieces shared by components of more than one family (elements/ and
// widgets/). What only widgets share is in widgets/common.tsx.

import { Component, type ComponentChildren, type FunctionComponent } from 'preact';

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const k in a) if (a[k] !== b[k]) return false;
  for (const k in b) if (!(k in a)) return false;
  return true;
}

/**
 * Wraps a function component so that it renders only when a prop changes
 * identity (Preact core has no `memo`; this is the same idea in a few lines).
 */
export function pure<P extends object>(fn: FunctionComponent<P>): FunctionComponent<P> {
  class Pure extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !shallowEqual(this.props as Record<string, unknown>, next as Record<string, unknown>);
    }
    override render(props: P): ComponentChildren {
      return fn(props);
    }
  }
  return Pure as unknown as FunctionComponent<P>;
}

/** A small "?" with the help text as its tooltip. */
export function Help({ text }: { text?: string | null }) {
  if (!text) return null;
  return (
    <span class="bk-help" title={text} aria-label={text} role="img">
      ?
    </span>
  );
}

/** A DOM id for a control (a widget's, a tab's), unique per element path. */
export function domId(path: string, suffix = ''): string {
  return 'bk-' + path.replace(/\./g, '-') + suffix;
}

/**
 * A URL the server sent, for an `href` or an iframe's `src` (the logo's
 * link, a PDF, a download): null when following it could run script in the
 * page. Relative URLs and http(s)/mailto ones pass; any other scheme
 * (`javascript:`, `data:`, `vbscript:`, …) does not. Browsers ignore ASCII
 * whitespace and control characters around and inside a scheme, so those
 * are dropped before looking at it.
 */
export function safeHref(url: string | null | undefined): string | null {
  if (typeof url !== 'string' || url === '') return null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\u0000-\u0020]/g, ''));
  if (scheme && !/^(https?|mailto)$/i.test(scheme[1] ?? '')) return null;
  return url;
}
