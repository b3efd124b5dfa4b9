// The server's message size limit, checked before sending. A `rerun` over
// `config.max_message_bytes` is not refused politely: the server answers
// `too_large` and closes the connection. So the client checks first, leaves
// out the values that make the message too big (the biggest first), sends
// the rest, and tells the person which widgets were left out.

import type { RerunMessage, WidgetValue } from './protocol';

/** The UTF-8 length of `s` (the server counts bytes, JS strings count UTF-16 units). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one code point of 4 bytes.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export interface Refused {
  id: string;
  /** The size of the value alone, as JSON. */
  bytes: number;
}

export interface Fitted {
  /** What to send (null: nothing is left worth sending). */
  msg: RerunMessage | null;
  /** The widgets whose values were left out, biggest first. */
  refused: Refused[];
}

/**
 * `msg` made to fit in `limit` bytes: unchanged when it fits (or there is
 * no usable limit), else without its biggest values until it does. Sizes are
 * exact: removing entry `"id":value` from a JSON object removes its bytes
 * plus one comma (none when it is the only entry).
 */
export function fitRerun(msg: RerunMessage, limit: number | null | undefined): Fitted {
  if (typeof limit !== 'number' || !(limit > 0)) return { msg, refused: [] };
  let size = utf8Length(JSON.stringify(msg));
  if (size <= limit) return { msg, refused: [] };
  const entries = Object.entries(msg.widgets).map(([id, value]) => {
    const bytes = utf8Length(JSON.stringify(value));
    return { id, bytes, entry: utf8Length(JSON.stringify(id)) + 1 + bytes };
  });
  // Biggest first; ties in message order (the sort is stable).
  entries.sort((a, b) => b.entry - a.entry);
  const widgets: Record<string, WidgetValue> = { ...msg.widgets };
  let left = entries.length;
  const refused: Refused[] = [];
  for (const e of entries) {
    if (size <= limit) break;
    delete widgets[e.id];
    size -= e.entry + (left > 1 ? 1 : 0);
    left--;
    refused.push({ id: e.id, bytes: e.bytes });
  }
  const rest: RerunMessage = { ...msg, widgets };
  // A rerun with neither values nor a trigger would only repeat the last run.
  const empty = left === 0 && !msg.trigger;
  return { msg: size <= limit && !empty ? rest : null, refused };
}

/** "812 bytes", "3.5 KB", "256 KB", "1.2 MB" (binary units, as the limit is set). */
export function formatBytes(n: number): string {
  const units = ['KB', 'MB', 'GB'];
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  let v = n;
  let unit = 'bytes';
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  // One decimal below 10 ("1.2 MB"), whole numbers above ("256 KB").
  const shown = v < 10 ? String(Math.round(v * 10) / 10) : String(Math.round(v));
  return `${shown} ${unit}`;
}

/** What a widget whose value was left out shows under itself. */
export function refusalText(bytes: number, limit: number): string {
  const advice = 'Use a file upload for bulk data.';
  if (bytes > limit) {
    return `This value is ${formatBytes(bytes)}, over the server's limit of ${formatBytes(limit)}. ${advice}`;
  }
  // Small enough alone, too big together with the other values sent with it.
  return (
    `This value is ${formatBytes(bytes)}; with the other values sent with it, ` +
    `it is over the server's limit of ${formatBytes(limit)}. ${advice}`
  );
}
