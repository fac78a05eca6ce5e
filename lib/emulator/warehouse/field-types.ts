/**
 * How the warehouse's column types are reported on model fields (polytomic-api.md §4.3): `type` is
 * Polytomic's field type (`UtilFieldType`) and `remote_type` the source's native type, named as
 * Snowflake names it (DuckDB's DECIMAL is Snowflake's NUMBER, TIMESTAMP its TIMESTAMP_NTZ, …),
 * lower-case as Polytomic reports it.
 */

export interface FieldType {
  /** `string`, `number`, `boolean`, `datetime`, `array`, `object`, `binary` or `unknown`. */
  readonly type: string;
  readonly remote_type: string;
}

const BY_ENGINE_TYPE: readonly (readonly [RegExp, FieldType])[] = [
  [/^BOOLEAN$/, { type: "boolean", remote_type: "boolean" }],
  [
    /^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$|^DECIMAL\(/,
    { type: "number", remote_type: "number" },
  ],
  [/^(FLOAT|DOUBLE)$/, { type: "number", remote_type: "float" }],
  [/^(VARCHAR|UUID)$/, { type: "string", remote_type: "varchar" }],
  [/^DATE$/, { type: "datetime", remote_type: "date" }],
  [/^TIMESTAMP( WITH TIME ZONE)$/, { type: "datetime", remote_type: "timestamp_tz" }],
  [/^TIMESTAMP(_S|_MS|_NS)?$/, { type: "datetime", remote_type: "timestamp_ntz" }],
  [/^TIME$/, { type: "string", remote_type: "time" }],
  [/^BLOB$/, { type: "binary", remote_type: "binary" }],
  [/\[\d*\]$/, { type: "array", remote_type: "array" }],
  [/^(STRUCT|MAP)\(/, { type: "object", remote_type: "object" }],
];

/** The field type of a column of engine type `engineType` (DuckDB's spelling, e.g. `DECIMAL(38,0)`). */
export function fieldType(engineType: string): FieldType {
  for (const [pattern, type] of BY_ENGINE_TYPE) if (pattern.test(engineType)) return type;
  return { type: "unknown", remote_type: engineType.toLowerCase() };
}

const SNOWFLAKE_TYPES: readonly (readonly [RegExp, (match: RegExpExecArray) => string])[] = [
  [
    /^(NUMBER|NUMERIC|DECIMAL)(\s*\(\s*(\d+)\s*(,\s*(\d+)\s*)?\))?$/,
    (m) => `DECIMAL(${m[3] ?? 38}, ${m[5] ?? 0})`,
  ],
  [/^(INT|INTEGER|BIGINT|SMALLINT|TINYINT|BYTEINT)$/, () => "DECIMAL(38, 0)"],
  [/^(FLOAT|FLOAT4|FLOAT8|DOUBLE|DOUBLE PRECISION|REAL)$/, () => "DOUBLE"],
  [/^(VARCHAR|STRING|TEXT|CHAR|CHARACTER|NVARCHAR)(\s*\(\s*\d+\s*\))?$/, () => "VARCHAR"],
  [/^BOOLEAN$/, () => "BOOLEAN"],
  [/^DATE$/, () => "DATE"],
  [/^TIME(\s*\(\s*\d\s*\))?$/, () => "TIME"],
  [/^(DATETIME|TIMESTAMP|TIMESTAMP_NTZ)(\s*\(\s*\d\s*\))?$/, () => "TIMESTAMP"],
  [/^(TIMESTAMP_LTZ|TIMESTAMP_TZ)(\s*\(\s*\d\s*\))?$/, () => "TIMESTAMPTZ"],
  [/^(BINARY|VARBINARY)(\s*\(\s*\d+\s*\))?$/, () => "BLOB"],
];

/** The engine type for a Snowflake type name given in a catalog file, or undefined if unknown. */
export function engineTypeOf(snowflakeType: string): string | undefined {
  const text = snowflakeType.trim().toUpperCase();
  for (const [pattern, build] of SNOWFLAKE_TYPES) {
    const match = pattern.exec(text);
    if (match) return build(match);
  }
  return undefined;
}

/** Snowflake type names a catalog file may use, for error messages. */
export const SNOWFLAKE_TYPE_NAMES =
  "NUMBER(p,s), INTEGER, FLOAT, VARCHAR, BOOLEAN, DATE, TIME, TIMESTAMP_NTZ, TIMESTAMP_TZ, BINARY";
