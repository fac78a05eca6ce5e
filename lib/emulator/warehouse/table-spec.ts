/**
 * A table to load into the warehouse, from a catalog file (JSON or CSV) or built in: its name,
 * its columns (each with a Snowflake type, or none to let the engine type it from the values)
 * and its rows, plus how to name a row in an error message.
 */

export interface ColumnSpec {
  readonly name: string;
  /** A Snowflake type name such as `NUMBER(10,2)`; absent: typed by the engine from the values. */
  readonly type?: string;
}

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** Values in column order. */
  readonly rows: readonly (readonly unknown[])[];
  /** Names row `index` (0-based) for messages, e.g. `orders.csv line 4`. */
  readonly where: (index: number) => string;
  /** Names the table for messages, e.g. `catalog file c.json: tables.orders`. */
  readonly origin: string;
}
