/**
 * Splits one CSV line into fields (RFC 4180 quoting: `"a,b"` and `""` inside quotes),
 * at `delimiter` (default a comma). Returns undefined for an unterminated quote.
 */
export function splitCsvLine(line: string, delimiter = ','): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** Quotes a field only when CSV needs it. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The delimiter of a delimited text file from its first line: a comma when there is
 * one, else a tab, else a semicolon (spreadsheet exports in locales whose decimal mark
 * is a comma), else a comma.
 */
export function detectDelimiter(firstLine: string): string {
  for (const d of [',', '\t', ';']) if (firstLine.includes(d)) return d;
  return ',';
}
