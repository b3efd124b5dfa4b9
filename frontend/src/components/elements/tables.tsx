// Static tables: every row in the element, drawn as a <table>. Cells show
// as a dataframe's do, by their column's kind (cells.tsx), lined up by the
// column's alignment. (The dataframe, whose rows stay on the server, is
// dataframe.tsx.)

import { tableColumns, type TableColumn } from '../../display';
import type { Json, TableEl } from '../../protocol';
import type { LeafProps } from '../props';
import { cellBody } from './cells';

/** The width a cell is drawn for: sparklines get 100 px; a text longer than the rest gets a title. */
function cellWidth(c: TableColumn): number {
  return c.type === 'line_chart' || c.type === 'bar_chart' ? 124 : 320;
}

function alignClass(c: TableColumn): string | undefined {
  return c.align === 'right' ? 'bk-right' : c.align === 'center' ? 'bk-center' : undefined;
}

function Cell({ col, v }: { col: TableColumn; v: Json | undefined }) {
  const { body, title } = cellBody(col, v, cellWidth(col), 'table');
  const align = alignClass(col);
  return (
    <td class={'bk-t-' + col.type + (align ? ' ' + align : '')} title={title}>
      {body}
    </td>
  );
}

export function TableView({ el }: LeafProps<TableEl>) {
  const columns = tableColumns(el);
  const rows = Array.isArray(el.rows) ? el.rows : [];
  return (
    <div class="bk-table-wrap">
      <table class="bk-tbl">
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" class={alignClass(c)}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {columns.map((c, ci) => (
                <Cell key={ci} col={c} v={Array.isArray(r) ? r[ci] : undefined} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
