// A JSON value as a collapsible tree. Collapsed branches render nothing
// below them, so a large value costs little until it is opened.

import { useState } from 'preact/hooks';
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
  open: boolean;
  depth: number;
}

function Key({ name, index }: { name?: string; index?: boolean }) {
  if (name === undefined) return null;
  return <span class="bk-j-key">{index ? name : JSON.stringify(name)}: </span>;
}

function Branch({ name, index, v, open: initial, depth }: NodeProps) {
  const [open, setOpen] = useState(initial);
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
        {open ? l : `${l} ${entries.length} ${isArr ? 'items' : 'keys'} ${r}`}
      </summary>
      {open && (
        <div class="bk-j-kids">
          {entries.map(([k, x]) => (
            <Node key={k} name={k} index={isArr} v={x} open={depth < 4} depth={depth + 1} />
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
  return (
    <div class="bk-json-box">
      <Node v={el.value ?? null} open={!!el.expanded} depth={0} />
    </div>
  );
}
