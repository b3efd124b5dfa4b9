// Blocks: they lay out their children (already rendered by Element.tsx and
// passed in as `children`, one per child node, in order). A form draws like
// a container and a fragment like a column (registry.ts).

import { toChildArray } from 'preact';
import { useState } from 'preact/hooks';
import type {
  ColumnEl,
  ColumnsEl,
  ContainerEl,
  ExpanderEl,
  FormEl,
  FragmentEl,
  TabEl,
  TabsEl,
} from '../../protocol';
import { domId } from '../common';
import type { BlockProps } from '../props';

export function Container({ el, children }: BlockProps<ContainerEl | FormEl>) {
  return <div class={el.border ? 'bk-kids bk-bordered' : 'bk-kids'}>{children}</div>;
}

export function Columns({ el, children }: BlockProps<ColumnsEl>) {
  const widths = Array.isArray(el.widths) ? el.widths : [];
  return (
    <div class="bk-row">
      {toChildArray(children).map((child, i) => {
        const w = widths[i];
        const grow = typeof w === 'number' && w > 0 ? w : 1;
        return (
          <div key={i} class="bk-slot" style={{ flex: `${grow} 1 0` }}>
            {child}
          </div>
        );
      })}
    </div>
  );
}

export function Column({ children }: BlockProps<ColumnEl | FragmentEl>) {
  return <div class="bk-kids">{children}</div>;
}

export function Expander({ el, children }: BlockProps<ExpanderEl>) {
  // The user's open/closed choice wins over later `expanded` values.
  const [open, setOpen] = useState(!!el.expanded);
  return (
    <details class="bk-exp" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{el.label}</summary>
      <div class="bk-kids bk-exp-body">{children}</div>
    </details>
  );
}

export function Tabs({ el, path, nodes, children }: BlockProps<TabsEl>) {
  const [selected, setSelected] = useState(0);
  const kids = toChildArray(children);
  const count = kids.length;
  const sel = Math.min(selected, Math.max(0, count - 1));
  const label = (i: number) => {
    const n = nodes[i];
    if (n && n.el.kind === 'tab') return n.el.label;
    return el.labels?.[i] ?? `Tab ${i + 1}`;
  };
  const base = domId(path);
  const onKey = (e: KeyboardEvent) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (sel + 1) % count;
    else if (e.key === 'ArrowLeft') next = (sel - 1 + count) % count;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    if (next < 0) return;
    e.preventDefault();
    setSelected(next);
    document.getElementById(`${base}-tab${next}`)?.focus();
  };
  return (
    <>
      <div class="bk-tablist" role="tablist" onKeyDown={onKey}>
        {kids.map((_, i) => (
          <button
            key={i}
            type="button"
            role="tab"
            id={`${base}-tab${i}`}
            aria-selected={i === sel}
            aria-controls={`${base}-panel${i}`}
            tabIndex={i === sel ? 0 : -1}
            class={i === sel ? 'bk-tabbtn bk-on' : 'bk-tabbtn'}
            onClick={() => setSelected(i)}
          >
            {label(i)}
          </button>
        ))}
      </div>
      {kids.map((child, i) => (
        // Every tab stays mounted (keeping its widgets' state and scroll);
        // only the selected one is shown.
        <div
          key={i}
          role="tabpanel"
          id={`${base}-panel${i}`}
          aria-labelledby={`${base}-tab${i}`}
          hidden={i !== sel}
          class="bk-tabpanel"
        >
          {child}
        </div>
      ))}
    </>
  );
}

export function Tab({ children }: BlockProps<TabEl>) {
  return <div class="bk-kids">{children}</div>;
}
