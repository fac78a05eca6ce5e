/**
 * Reads `--catalog FILE`: a CSV file (one table named after the file, header line first) or a
 * JSON catalog, `{"tables": {"name": TABLE}}` where TABLE is either the list of its column names
 * (an empty table, the original form) or `{"columns": …, "rows": […]}` with `columns` an object
 * of column name → Snowflake type or a list of names (typed by the engine from the values), and
 * each row an object keyed by column or an array in column order. Problems are one line naming
 * the file and the place (line, or `tables.name.rows[i]`).
 */
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { CatalogError } from "./catalog-error";
import { parseCsv } from "./csv";
import { engineTypeOf, SNOWFLAKE_TYPE_NAMES } from "./field-types";
import type { ColumnSpec, TableSpec } from "./table-spec";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkName(name: string, where: string, what: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new CatalogError(
      `${where}: ${what} ${JSON.stringify(name)} is not a plain identifier (letters, digits, _ and $, not starting with a digit)`,
    );
  }
}

function checkDistinct(columns: readonly ColumnSpec[], where: string): void {
  const seen = new Set<string>();
  for (const column of columns) {
    const key = column.name.toLowerCase();
    if (seen.has(key)) throw new CatalogError(`${where} lists the column ${column.name} twice`);
    seen.add(key);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CatalogError(`cannot read catalog file ${path}: ${(error as Error).message}`);
  }
}

/** `line L, column C` of a character offset, for JSON syntax errors. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    // V8 says "at position N (line L column C)" for most mistakes; otherwise it quotes the text.
    const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
    const offset = /position (\d+)/.exec(message)?.[1];
    const where = lineColumn
      ? ` at line ${lineColumn[1]}, column ${lineColumn[2]}`
      : offset === undefined
        ? ""
        : ` at ${lineAndColumn(text, Number(offset))}`;
    throw new CatalogError(`catalog file ${path} is not valid JSON${where}: ${message}`);
  }
}

function columnsOf(value: unknown, where: string): ColumnSpec[] {
  let columns: ColumnSpec[];
  if (Array.isArray(value)) {
    if (
      value.length === 0 ||
      !value.every((name) => typeof name === "string" && name.trim() !== "")
    ) {
      throw new CatalogError(`${where} must be a non-empty array of column names`);
    }
    columns = value.map((name: string) => ({ name }));
  } else if (isObject(value) && Object.keys(value).length > 0) {
    columns = Object.entries(value).map(([name, type]) => {
      if (typeof type !== "string" || engineTypeOf(type) === undefined) {
        throw new CatalogError(
          `${where}.${name}: ${JSON.stringify(type)} is not a Snowflake type the emulator knows (${SNOWFLAKE_TYPE_NAMES})`,
        );
      }
      return { name, type };
    });
  } else {
    throw new CatalogError(
      `${where} must be a non-empty array of column names or an object of column name to Snowflake type`,
    );
  }
  for (const column of columns) checkName(column.name, where, "column");
  checkDistinct(columns, where);
  return columns;
}

function rowValues(row: unknown, columns: readonly ColumnSpec[], where: string): unknown[] {
  if (Array.isArray(row)) {
    if (row.length !== columns.length) {
      throw new CatalogError(`${where} has ${row.length} values for ${columns.length} columns`);
    }
    return row;
  }
  if (!isObject(row)) throw new CatalogError(`${where} must be an object or an array`);
  const byName = new Map(columns.map((column, index) => [column.name.toLowerCase(), index]));
  const values: unknown[] = columns.map(() => null);
  for (const [key, value] of Object.entries(row)) {
    const index = byName.get(key.toLowerCase());
    if (index === undefined) {
      throw new CatalogError(
        `${where}.${key} is not a column of the table (columns: ${columns.map((c) => c.name).join(", ")})`,
      );
    }
    values[index] = value;
  }
  return values;
}

function jsonTable(name: string, table: unknown, prefix: string): TableSpec {
  const origin = `${prefix}: tables.${name}`;
  checkName(name, `${prefix}: tables`, "table name");
  if (Array.isArray(table)) {
    return {
      name,
      columns: columnsOf(table, origin),
      rows: [],
      origin,
      where: (i) => `${origin}.rows[${i}]`,
    };
  }
  if (!isObject(table)) {
    throw new CatalogError(
      `${origin} must be a non-empty array of column names or an object with "columns" and "rows"`,
    );
  }
  for (const key of Object.keys(table)) {
    if (key !== "columns" && key !== "rows")
      throw new CatalogError(`${origin}.${key} is not "columns" or "rows"`);
  }
  const columns = columnsOf(table.columns, `${origin}.columns`);
  const rows = table.rows ?? [];
  if (!Array.isArray(rows)) throw new CatalogError(`${origin}.rows must be an array`);
  return {
    name,
    columns,
    rows: rows.map((row, index) => rowValues(row, columns, `${origin}.rows[${index}]`)),
    origin,
    where: (index) => `${origin}.rows[${index}]`,
  };
}

function jsonCatalog(text: string, path: string): TableSpec[] {
  const parsed = parseJson(text, path);
  if (!isObject(parsed) || !("tables" in parsed)) {
    throw new CatalogError(`catalog file ${path} must be a JSON object with a "tables" key`);
  }
  return catalogTables(parsed.tables, `catalog file ${path}`);
}

/** The tables of a catalog's `tables` object; `prefix` names where it came from in messages. */
export function catalogTables(tables: unknown, prefix: string): TableSpec[] {
  if (!isObject(tables)) {
    throw new CatalogError(`${prefix}: tables must be an object mapping table names to tables`);
  }
  return Object.entries(tables).map(([name, table]) => jsonTable(name, table, prefix));
}

function csvTable(text: string, path: string): TableSpec {
  const name = basename(path, extname(path));
  checkName(name, `catalog file ${path}`, "table name (the file's name)");
  const { header, records } = parseCsv(text, path);
  const columns = header.map((column) => ({ name: column.trim() }));
  for (const column of columns) checkName(column.name, `${path} line 1`, "column");
  checkDistinct(columns, `${path} line 1`);
  return {
    name,
    columns,
    // An empty CSV field is a missing value.
    rows: records.map((record) => record.fields.map((field) => (field === "" ? null : field))),
    origin: `catalog file ${path}`,
    where: (index) => `${path} line ${records[index].line}`,
  };
}

/** The tables a catalog file describes. */
export function loadCatalogFile(path: string): TableSpec[] {
  const text = readText(path);
  return extname(path).toLowerCase() === ".csv" ? [csvTable(text, path)] : jsonCatalog(text, path);
}
