// A JSON value as a collapsible tree. Collapsed branches render nothing
// below them, so a large value costs little until it is opened. Which
// levels start open: `jsonOpen` (display.ts), from `depth` or `expanded`.

import { useState } from 'preact/hooks';
import { jsonOpen } from '../../display';
import type { Json, JsonEl } from '../../protocol';
import type { LeafProps } from '../props';

function Scalar({ v }: { v: Json }) {
  if (v === null) return <span class="bk-j-null">null</span>;
  if (typeof v === 'string') return <span class="bk-j-str">{JSON.stringify(v)}</span>;
  if (typeof v === 'number') return <span class="bk-j-num">{String(v)}</span>;
  return <span class="bk-j-bool">{String(v)}</span>;
}

interface NodeProps {
  /** Key in the parent object, or index in the parent array. */
  name?: string;
  index?: boolean;
  v: Json;
  /** The level of this value (0: the top). */
  depth: number;
  /** Whether the branch at a level starts open. */
  opens: (level: number) => boolean;
}

function Key({ name, index }: { name?: string; index?: boolean }) {
  if (name === undefined) return null;
  return <span class="bk-j-key">{index ? name : JSON.stringify(name)}: </span>;
}

function Branch({ name, index, v, depth, opens }: NodeProps) {
  const [open, setOpen] = useState(() => opens(depth));
  const isArr = Array.isArray(v);
  const entries: [string, Json][] = isArr
    ? (v as Json[]).map((x, i) => [String(i), x])
    : Object.entries(v as Record<string, Json>);
  const [l, r] = isArr ? ['[', ']'] : ['{', '}'];
  const label = <Key name={name} index={index} />;
  if (entries.length === 0) {
    return (
      <div class="bk-j-row">
        {label}
        {l + r}
      </div>
    );
  }
  // A disclosure (not a button), whose children render only while open.
  return (
    <details
      class="bk-j-branch"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary class="bk-j-toggle">
        {label}
        {open ? l : `${l} ${entries.length} ${isArr ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'} ${r}`}
      </summary>
      {open && (
        <div class="bk-j-kids">
          {entries.map(([k, x]) => (
            <Node key={k} name={k} index={isArr} v={x} depth={depth + 1} opens={opens} />
          ))}
          <div class="bk-j-row">{r}</div>
        </div>
      )}
    </details>
  );
}

function Node(props: NodeProps) {
  const { v } = props;
  if (v !== null && typeof v === 'object') return <Branch {...props} />;
  return (
    <div class="bk-j-row">
      <Key name={props.name} index={props.index} />
      <Scalar v={v} />
    </div>
  );
}

export function JsonView({ el }: LeafProps<JsonEl>) {
  const opens = (level: number) => jsonOpen(level, el);
  return (
    <div class="bk-json-box">
      <Node v={el.value ?? null} depth={0} opens={opens} />
    </div>
  );
}
