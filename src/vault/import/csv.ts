/** RFC 4180 CSV: quoted fields with "" escapes and line breaks inside quotes; CRLF or LF rows. */
import { corrupt } from './errors';

const FIELD_END = /[,\r\n]/g;

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let at = 0;
  for (;;) {
    let value: string;
    if (text[at] === '"') {
      // Quoted: runs up to a quote not followed by another; "" stands for one quote.
      let end = at + 1;
      let parts = '';
      for (;;) {
        const quote = text.indexOf('"', end);
        if (quote < 0) throw corrupt('importErr_csvCut');
        parts += text.slice(end, quote);
        if (text[quote + 1] !== '"') {
          end = quote + 1;
          break;
        }
        parts += '"';
        end = quote + 2;
      }
      // Anything between the closing quote and the separator is kept, as lenient readers do.
      FIELD_END.lastIndex = end;
      const sep = FIELD_END.exec(text)?.index ?? text.length;
      value = parts + text.slice(end, sep);
      at = sep;
    } else {
      FIELD_END.lastIndex = at;
      const sep = FIELD_END.exec(text)?.index ?? text.length;
      value = text.slice(at, sep);
      at = sep;
    }
    row.push(value);
    if (at >= text.length) break;
    if (text[at] === ',') {
      at++;
      continue;
    }
    rows.push(row);
    row = [];
    at += text[at] === '\r' && text[at + 1] === '\n' ? 2 : 1;
    if (at >= text.length) break;
  }
  if (row.length > 0) rows.push(row);
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

/** Column names of a CSV text's first line, for detection (looks at the first 4 KB only). */
export function csvHeader(text: string): string[] {
  const start = text.slice(0, 4096);
  const firstLine = start.slice(0, start.search(/\r|\n|$/));
  return firstLine.split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1').toLowerCase());
}
