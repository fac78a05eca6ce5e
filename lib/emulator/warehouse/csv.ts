/**
 * CSV as RFC 4180 writes it: comma-separated fields, double-quoted when they hold commas, quotes
 * or line breaks (a quote inside is doubled), CRLF or LF line ends. Every record must have as
 * many fields as the header; anything else is an error naming the line.
 */
import { CatalogError } from "./catalog-error";

export interface CsvTable {
  readonly header: readonly string[];
  /** The records after the header, with the line each starts on. */
  readonly records: readonly { readonly line: number; readonly fields: readonly string[] }[];
}

export function parseCsv(text: string, file: string): CsvTable {
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) rows.push({ line: start, fields });
    fields = [];
    field = "";
  };
  while (index < text.length) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') {
        quoted = false;
        const next = text[index + 1];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
          throw new CatalogError(
            `${file} line ${line}: unexpected character after a closing quote`,
          );
        }
      } else {
        if (char === "\n") line += 1;
        field += char;
      }
      index += 1;
      continue;
    }
    if (char === '"') {
      if (field !== "") {
        throw new CatalogError(
          `${file} line ${line}: a quote inside an unquoted field (quote the whole field and double the quote)`,
        );
      }
      quoted = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      endRecord();
      if (char === "\r" && text[index + 1] === "\n") index += 1;
      line += 1;
      start = line;
    } else {
      field += char;
    }
    index += 1;
  }
  if (quoted) throw new CatalogError(`${file} line ${start}: a quoted field is never closed`);
  if (field !== "" || fields.length > 0) endRecord();
  const [header, ...records] = rows;
  if (header === undefined)
    throw new CatalogError(`${file} is empty: the first line must name the columns`);
  for (const record of records) {
    if (record.fields.length !== header.fields.length) {
      throw new CatalogError(
        `${file} line ${record.line}: ${record.fields.length} fields, but the header names ${header.fields.length} columns`,
      );
    }
  }
  return { header: header.fields, records };
}
