/**
 * The columns of a Snowflake model, as Polytomic would report them after introspecting the source
 * (polytomic-api.md §4.3). The real service runs the query; the emulator reads the SELECT list and
 * expands `*` / `t.*` from its catalog. When that cannot give the exact columns, it refuses (422)
 * rather than guess, and says why.
 */
import type { SelectColumns } from "../core/sql/select-columns";
import { deriveSelectColumns, QueryParseError } from "../core/sql/select-columns";
import type { Catalog, CatalogTable } from "./catalog";
import { unprocessable } from "./errors";

/** A Snowflake model's source: a query, or a table or view (both read from the catalog). */
export type SnowflakeSource = { readonly query: string } | { readonly table: string };

function cannotDetermine(reason: string): Error {
  return unprocessable(
    `the emulator cannot determine the model's columns: ${reason} (the real Polytomic runs the query; the emulator reads the SELECT list and expands * from its catalog)`,
    { field: "configuration" },
  );
}

function catalogTable(catalog: Catalog, name: string): CatalogTable {
  const table = catalog.table(name);
  if (table === undefined) {
    throw cannotDetermine(
      `table ${name} is not in the emulator's catalog (known tables: ${catalog.names().join(", ")}); describe it with --catalog FILE`,
    );
  }
  return table;
}

function expandStar(
  catalog: Catalog,
  parsed: SelectColumns,
  qualifier: string | undefined,
): readonly string[] {
  if (qualifier === undefined) {
    if (parsed.from.length === 0) {
      throw cannotDetermine("* selects from a subquery or expression, not from a table");
    }
    return parsed.from.flatMap((entry) => catalogTable(catalog, entry.name).columns);
  }
  const wanted = qualifier.toLowerCase();
  const entry = parsed.from.find(
    (candidate) => (candidate.alias ?? candidate.name).toLowerCase() === wanted,
  );
  if (entry === undefined) {
    throw cannotDetermine(`${qualifier}.* does not name a table of the FROM clause`);
  }
  return catalogTable(catalog, entry.name).columns;
}

function queryColumns(query: string, catalog: Catalog): string[] {
  let parsed: SelectColumns;
  try {
    parsed = deriveSelectColumns(query);
  } catch (error) {
    if (error instanceof QueryParseError) throw cannotDetermine(error.message);
    throw error;
  }
  const [unnamed] = parsed.unnamed;
  if (unnamed !== undefined) {
    throw cannotDetermine(
      `SELECT item ${unnamed.position} (${unnamed.text}) has no name; give it an alias with AS`,
    );
  }
  const stars = new Map(parsed.stars.map((star) => [star.position, star]));
  const total = parsed.columns.length + parsed.stars.length;
  const columns: string[] = [];
  let named = 0;
  for (let position = 1; position <= total; position += 1) {
    const star = stars.get(position);
    if (star !== undefined) columns.push(...expandStar(catalog, parsed, star.qualifier));
    else columns.push(parsed.columns[named++]);
  }
  return columns;
}

export function modelColumns(source: SnowflakeSource, catalog: Catalog): string[] {
  const columns =
    "query" in source
      ? queryColumns(source.query, catalog)
      : [...catalogTable(catalog, source.table).columns];
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) {
      throw unprocessable(
        `the model's query returns the column ${column} more than once; alias one of them`,
        { field: "configuration" },
      );
    }
    seen.add(column);
  }
  return columns;
}
