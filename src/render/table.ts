/**
 * leakgraph/render/table — aligned plain-text tables.
 */

export interface Column<Row> {
  title: string;
  align: 'left' | 'right';
  value: (row: Row) => string;
}

/** Lays out rows under a header; every cell on one line, columns two spaces apart. */
export function renderTable<Row>(columns: Column<Row>[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) => Math.max(column.title.length, ...cells.map((line) => line[i].length)));
  const format = (line: string[]) =>
    line
      .map((cell, i) => (columns[i].align === 'right' ? cell.padStart(widths[i]) : i === line.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [format(columns.map((column) => column.title)), ...cells.map(format)].join('\n');
}
