/**
 * The columns of a Snowflake model, as Polytomic reports them after running its query against the
 * warehouse (polytomic-api.md §4.3): the engine decides which columns exist and their types, and
 * names follow Snowflake's rules as Polytomic presents them — an alias or a column's name,
 * lower-case when unquoted, exact when double-quoted; an expression without alias named by its
 * own text upper-cased (`COUNT(*)`), as Snowflake names it; `*` expands to the tables' columns.
 */
import type { SelectColumns } from "../core/sql/select-columns";
import { deriveSelectColumns, QueryParseError, snowflakeName } from "../core/sql/select-columns";
import { badRequest } from "./errors";
import type { EngineColumn, Warehouse } from "./warehouse/warehouse";
import { WarehouseQueryError } from "./warehouse/warehouse";
import { fieldType } from "./warehouse/field-types";

/** A Snowflake model's source: a query, or a table or view (optionally in `schema`). */
export type SnowflakeSource =
  | { readonly query: string }
  | { readonly table: string; readonly schema?: string; readonly key: "table" | "view" };

export interface ModelColumn {
  readonly name: string;
  readonly type: string;
  readonly remote_type: string;
}

const PART = /^([A-Za-z_][A-Za-z0-9_$]*|"([^"]|"")+")$/;

function sourceField(source: SnowflakeSource): string {
  return "query" in source ? "configuration.query" : `configuration.${source.key}`;
}

/** The SELECT a source stands for. */
export function sourceSql(source: SnowflakeSource): string {
  if ("query" in source) return source.query;
  const parts = [...(source.schema ? source.schema.split(".") : []), ...source.table.split(".")];
  if (parts.length > 3 || !parts.every((part) => PART.test(part))) {
    throw badRequest(
      `${sourceField(source)}: ${JSON.stringify(source.table)} is not a table name (a name, optionally schema.name or database.schema.name)`,
      { field: sourceField(source) },
    );
  }
  return `SELECT * FROM ${parts.join(".")}`;
}

type Item =
  | { readonly kind: "named"; readonly name: string }
  | { readonly kind: "star"; readonly qualifier?: string }
  | { readonly kind: "unnamed"; readonly text: string };

function selectItems(parsed: SelectColumns): Item[] {
  const stars = new Map(parsed.stars.map((star) => [star.position, star]));
  const unnamed = new Map(parsed.unnamed.map((item) => [item.position, item]));
  const total = parsed.columns.length + parsed.stars.length + parsed.unnamed.length;
  const items: Item[] = [];
  let named = 0;
  for (let position = 1; position <= total; position += 1) {
    const star = stars.get(position);
    const other = unnamed.get(position);
    if (star !== undefined) items.push({ kind: "star", qualifier: star.qualifier });
    else if (other !== undefined) items.push({ kind: "unnamed", text: other.text });
    else items.push({ kind: "named", name: parsed.columns[named++] });
  }
  return items;
}

/** How many columns each `*` of the list expands to, or undefined when that cannot be told. */
function starSizes(
  items: readonly Item[],
  parsed: SelectColumns,
  engine: readonly EngineColumn[],
  warehouse: Warehouse,
): number[] | undefined {
  const stars = items.filter((item) => item.kind === "star");
  const fixed = items.length - stars.length;
  if (stars.length === 0) return fixed === engine.length ? [] : undefined;
  if (stars.length === 1) return engine.length > fixed ? [engine.length - fixed] : undefined;
  const sizes = stars.map((star) => {
    const tables =
      star.qualifier === undefined
        ? parsed.from
        : parsed.from.filter(
            (entry) => (entry.alias ?? entry.name).toLowerCase() === star.qualifier?.toLowerCase(),
          );
    const counts = tables.map((entry) => warehouse.table(entry.name)?.columns.length);
    return tables.length > 0 && counts.every((count) => count !== undefined)
      ? counts.reduce((sum: number, count) => sum + (count ?? 0), 0)
      : Number.NaN;
  });
  return sizes.reduce((sum, size) => sum + size, 0) + fixed === engine.length ? sizes : undefined;
}

/** An engine name as Polytomic would report a Snowflake one: plain identifiers lower-case. */
function reported(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toLowerCase() : name;
}

/** The Snowflake names of the query's output columns, given what the engine returns. */
function columnNames(
  query: string | undefined,
  engine: readonly EngineColumn[],
  warehouse: Warehouse,
): string[] {
  let parsed: SelectColumns | undefined;
  try {
    parsed = query === undefined ? undefined : deriveSelectColumns(query);
  } catch (error) {
    if (!(error instanceof QueryParseError)) throw error;
    parsed = undefined;
  }
  if (parsed === undefined)
    return engine.map((column) => (query === undefined ? column.name : reported(column.name)));
  const items = selectItems(parsed);
  const sizes = starSizes(items, parsed, engine, warehouse);
  if (sizes === undefined) return engine.map((column) => reported(column.name));
  const names: string[] = [];
  let star = 0;
  for (const item of items) {
    if (item.kind === "named") names.push(item.name);
    else if (item.kind === "unnamed") names.push(snowflakeName(item.text));
    else {
      const size = sizes[star++];
      names.push(...engine.slice(names.length, names.length + size).map((column) => column.name));
    }
  }
  return names;
}

function queryProblem(source: SnowflakeSource, error: WarehouseQueryError): Error {
  const what = "query" in source ? "query" : source.key;
  return badRequest(
    `${sourceField(source)}: the model's ${what} cannot run in Snowflake: ${error.message}`,
    {
      field: sourceField(source),
    },
  );
}

/**
 * The model's columns, in order. A source the warehouse cannot run, or whose columns repeat a
 * name, is a 400 naming the configuration key (models answer 400 for a bad body, §12 M4/M5).
 */
export async function modelColumns(
  source: SnowflakeSource,
  warehouse: Warehouse,
  database: string | undefined,
): Promise<ModelColumn[]> {
  const sql = sourceSql(source);
  let engine: EngineColumn[];
  try {
    engine = await warehouse.describe(sql, database);
  } catch (error) {
    if (error instanceof WarehouseQueryError) throw queryProblem(source, error);
    throw error;
  }
  const names = columnNames("query" in source ? source.query : undefined, engine, warehouse);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw badRequest(
        `${sourceField(source)}: the model's query returns the column ${name} more than once; alias one of them`,
        { field: sourceField(source) },
      );
    }
    seen.add(name);
  }
  return engine.map((column, index) => ({ name: names[index], ...fieldType(column.type) }));
}

/**
 * The model's output column names and its rows, read afresh from the warehouse chunk by chunk
 * (each row an array in column order).
 */
export async function streamModelRows(
  source: SnowflakeSource,
  warehouse: Warehouse,
  database: string | undefined,
): Promise<{ readonly columns: readonly string[]; readonly chunks: AsyncGenerator<unknown[][]> }> {
  const sql = sourceSql(source);
  try {
    const engine = await warehouse.describe(sql, database);
    return {
      columns: columnNames("query" in source ? source.query : undefined, engine, warehouse),
      chunks: rethrowing(source, warehouse.stream(sql, database)),
    };
  } catch (error) {
    if (error instanceof WarehouseQueryError) throw queryProblem(source, error);
    throw error;
  }
}

async function* rethrowing(
  source: SnowflakeSource,
  chunks: AsyncGenerator<unknown[][]>,
): AsyncGenerator<unknown[][]> {
  try {
    yield* chunks;
  } catch (error) {
    if (error instanceof WarehouseQueryError) throw queryProblem(source, error);
    throw error;
  }
}
