/**
 * Bringing DuckDB closer to Snowflake for the queries models commonly run. DuckDB already speaks
 * much of Snowflake's dialect (QUALIFY, ILIKE, GROUP BY ALL, SELECT * EXCLUDE, `::` casts,
 * TRY_CAST, DATEDIFF, DATE_TRUNC, SPLIT_PART, LISTAGG, COUNT_IF); the macros below add Snowflake
 * functions it lacks under their Snowflake names, and the type aliases let seeds and casts use
 * Snowflake type names. What still differs is listed in docs/EMULATOR.md.
 */

/** Statements run once when the warehouse opens. */
export const SNOWFLAKE_COMPATIBILITY: readonly string[] = [
  "CREATE MACRO iff(condition, if_true, if_false) AS CASE WHEN condition THEN if_true ELSE if_false END",
  "CREATE MACRO nvl(value, fallback) AS COALESCE(value, fallback)",
  "CREATE MACRO nvl2(value, if_not_null, if_null) AS CASE WHEN value IS NOT NULL THEN if_not_null ELSE if_null END",
  "CREATE MACRO zeroifnull(value) AS COALESCE(value, 0)",
  "CREATE MACRO nullifzero(value) AS NULLIF(value, 0)",
  "CREATE MACRO to_varchar(value) AS CAST(value AS VARCHAR)",
  "CREATE MACRO to_date(value) AS CAST(value AS DATE)",
  "CREATE MACRO to_number(value) AS CAST(value AS DECIMAL(38, 0))",
  "CREATE MACRO startswith(text, prefix) AS starts_with(text, prefix)",
  "CREATE MACRO endswith(text, suffix) AS suffix(text, suffix)",
  "CREATE MACRO regexp_like(text, pattern) AS regexp_full_match(text, pattern)",
  "CREATE MACRO boolor_agg(value) AS bool_or(value)",
  "CREATE MACRO booland_agg(value) AS bool_and(value)",
  "CREATE MACRO sysdate() AS CAST(now() AS TIMESTAMP)",
  "CREATE TYPE timestamp_ntz AS TIMESTAMP",
  "CREATE TYPE timestamp_ltz AS TIMESTAMPTZ",
  "CREATE TYPE timestamp_tz AS TIMESTAMPTZ",
  "CREATE TYPE number AS DECIMAL(38, 0)",
];

/** An engine error taken apart: its first line and, when the engine points at it, where. */
export interface EngineErrorParts {
  /** The first line, without DuckDB's "Did you mean …" guesses at its own catalogs. */
  readonly text: string;
  /** 1-based line of the statement. */
  readonly line?: number;
  /** 0-based position in that line, as Snowflake counts it. */
  readonly position?: number;
}

export function engineErrorParts(message: string): EngineErrorParts {
  const lines = message.split("\n");
  const text = lines[0]
    .replace(/^Error: /, "")
    .replace(/^Failed to extract statements: /, "")
    .replace(/\s*Did you mean .*$/, "")
    .trim();
  const marker = lines.findIndex((line) => /^LINE \d+: /.test(line));
  if (marker < 0) return { text };
  const line = Number(/^LINE (\d+): /.exec(lines[marker])?.[1]);
  const caret = lines[marker + 1]?.indexOf("^") ?? -1;
  const prefix = `LINE ${line}: `.length;
  return caret >= prefix ? { text, line, position: caret - prefix } : { text, line };
}

/**
 * An engine error in Snowflake's words where a common case has them (an unknown column, table,
 * database or function), otherwise the engine's own first line, with the position when the
 * engine gives one (`line 1 at position 7`, as Snowflake says it).
 */
export function snowflakeError(message: string): string {
  const parts = engineErrorParts(message);
  const where =
    parts.line === undefined
      ? ""
      : ` line ${parts.line}${parts.position === undefined ? "" : ` at position ${parts.position}`}`;
  const column = /Referenced column "?([^"]+?)"? not found/.exec(parts.text);
  if (column) {
    return `SQL compilation error: error${where}: invalid identifier '${column[1].toUpperCase()}'`;
  }
  const table = /Table with name "?([^" ]+?)"? does not exist/.exec(parts.text);
  if (table) {
    return `SQL compilation error: Object '${table[1].toUpperCase()}' does not exist or not authorized.`;
  }
  const catalog = /Catalog "?([^" ]+?)"? does not exist/.exec(parts.text);
  if (catalog) {
    return `SQL compilation error: Database '${catalog[1].toUpperCase()}' does not exist or not authorized.`;
  }
  const fn = /(?:Scalar|Table|Aggregate) Function with name "?([^" ]+?)"? does not exist/.exec(
    parts.text,
  );
  if (fn) {
    return `SQL compilation error: error${where}: Unknown function ${fn[1].toUpperCase()}`;
  }
  return where === "" ? parts.text : `${parts.text} (${where.trim()})`;
}
