/** Thrown by {@link parseCsv} with the 1-based line of the problem. */
export class CsvParseError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'CsvParseError';
  }
}

/**
 * Parses RFC 4180 CSV (quoted cells, doubled quotes, `\n` or `\r\n` line ends) into rows of
 * cells. A final line end does not start an empty row. Used to read exports back in tests and
 * in the browser.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let i = 0;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  const endRow = () => {
    endCell();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') throw new CsvParseError(line, 'text after a closing quote');
      } else {
        if (c === '\n') line++;
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new CsvParseError(line, 'a quote inside an unquoted cell');
      quoted = true;
    } else if (c === ',') endCell();
    else if (c === '\n' || c === '\r') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
    } else cell += c;
    i++;
  }
  if (quoted) throw new CsvParseError(line, 'a quoted cell is not closed');
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}
