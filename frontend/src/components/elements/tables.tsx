// Static tables: every row in the element, drawn as a <table>. (The
// dataframe, whose rows stay on the server, is dataframe.tsx.)

import { cellText } from '../../format';
import type { Json, TableEl } from '../../protocol';
import type { LeafProps } from '../props';

function Cell({ v }: { v: Json | undefined }) {
  const text = cellText(v);
  return (
    <td class={typeof v === 'number' ? 'bk-num' : undefined} title={text.length > 40 ? text : undefined}>
      {text}
    </td>
  );
}

export function TableView({ el }: LeafProps<TableEl>) {
  const columns = el.columns ?? [];
  const rows = el.rows ?? [];
  return (
    <div class="bk-table-wrap">
      <table class="bk-tbl">
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((_, c) => (
                <Cell key={c} v={r?.[c]} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
