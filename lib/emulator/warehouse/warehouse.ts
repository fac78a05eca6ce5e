/**
 * The emulator's embedded warehouse: an in-memory DuckDB database standing in for the Snowflake
 * account every emulated Snowflake connection reaches. Its tables live in schema `public`; a
 * connection's `dbname` is mirrored as a database of views over them, so `users`, `public.users`
 * and `<dbname>.public.users` all resolve as they would in Snowflake. Loads (built-in table,
 * catalog files, SQL seeds) run in one transaction each, so a failing one leaves nothing behind.
 * After opening, the engine can no longer touch the file system and its settings are locked:
 * model queries arrive over HTTP.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from "@duckdb/node-api";
import { CatalogError } from "./catalog-error";
import { engineErrorParts, snowflakeError, SNOWFLAKE_COMPATIBILITY } from "./dialect";
import { loadDuckDB } from "./duckdb";
import { engineTypeOf } from "./field-types";
import type { SqlSeed } from "./sql-seed";
import type { TableSpec } from "./table-spec";
import type { Converter } from "./values";
import { converterFor } from "./values";

export interface EngineColumn {
  readonly name: string;
  /** DuckDB's type name, e.g. `DECIMAL(38,0)` or `VARCHAR`. */
  readonly type: string;
}

export interface TableInfo {
  readonly name: string;
  readonly kind: "table" | "view";
  readonly columns: readonly EngineColumn[];
}

export interface QueryResult {
  readonly columns: readonly EngineColumn[];
  /** Values in column order, converted for syncs (see values.ts). */
  readonly rows: readonly unknown[][];
}

/** What to load into the warehouse, in order. */
export type WarehouseSource =
  | { readonly kind: "tables"; readonly tables: readonly TableSpec[] }
  | { readonly kind: "sql"; readonly seed: SqlSeed };

/** A query the warehouse cannot run; the message is in Snowflake's words where it has them. */
export class WarehouseQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WarehouseQueryError";
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** Databases the engine itself uses: a connection's `dbname` cannot take their names. */
const RESERVED_DATABASES = new Set(["memory", "system", "temp", "main"]);
const INSERT_CHUNK = 500;
/**
 * Engine types tried, narrowest first, for columns a catalog gives no type, each with the test a
 * text value must pass (whole numbers become Snowflake's NUMBER(38,0)).
 */
const INFERRED_TYPES: readonly (readonly [string, (column: string) => string])[] = [
  ["DECIMAL(38, 0)", (c) => `regexp_full_match(trim(${c}), '[+-]?[0-9]{1,18}')`],
  ["DOUBLE", (c) => `TRY_CAST(${c} AS DOUBLE) IS NOT NULL`],
  ["BOOLEAN", (c) => `lower(trim(${c})) IN ('true', 'false')`],
  [
    "DATE",
    (c) =>
      `regexp_full_match(${c}, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND TRY_CAST(${c} AS DATE) IS NOT NULL`,
  ],
  [
    "TIMESTAMP",
    (c) =>
      `regexp_full_match(${c}, '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?Z?') AND TRY_CAST(${c} AS TIMESTAMP) IS NOT NULL`,
  ],
];

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A value for a VARCHAR staging column: text, as a CSV would have given it. */
function asText(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === "string") return value ?? null;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export class Warehouse {
  private tableList: TableInfo[] = [];
  private readonly databases = new Set<string>();
  /** Mirrors being attached: concurrent model saves naming one database share the attach. */
  private readonly attaching = new Map<string, Promise<void>>();
  private schemaReady = false;

  private constructor(private readonly instance: DuckDBInstance) {}

  /** Opens the warehouse with `sources` loaded in order; a failing source throws a CatalogError. */
  static async open(sources: readonly WarehouseSource[]): Promise<Warehouse> {
    const { DuckDBInstance } = loadDuckDB();
    // One thread: results come back in a stable order (a test execution samples the first rows),
    // and the emulator shares its machine with the tests driving it.
    const instance = await DuckDBInstance.create(":memory:", {
      threads: "1",
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    });
    const warehouse = new Warehouse(instance);
    try {
      await warehouse.withConnection(async (connection) => {
        await connection.run("CREATE SCHEMA public");
        for (const statement of SNOWFLAKE_COMPATIBILITY) await connection.run(statement);
      });
      warehouse.schemaReady = true;
      for (const source of sources) await warehouse.load(source);
      await warehouse.withConnection(async (connection) => {
        await connection.run("SET enable_external_access = false");
        await connection.run("SET lock_configuration = true");
      });
    } catch (error) {
      instance.closeSync();
      throw error;
    }
    return warehouse;
  }

  close(): void {
    this.instance.closeSync();
  }

  /** Tables and views of the warehouse, by name. */
  tables(): readonly TableInfo[] {
    return this.tableList;
  }

  /** A table or view, looked up as Snowflake resolves an unquoted name (case-insensitively). */
  table(name: string): TableInfo | undefined {
    const wanted = name.toLowerCase();
    return this.tableList.find((table) => table.name.toLowerCase() === wanted);
  }

  /** Loads more tables or runs a seed, all or nothing. */
  async load(source: WarehouseSource): Promise<void> {
    await this.withConnection(async (connection) => {
      await connection.run("BEGIN TRANSACTION");
      try {
        if (source.kind === "tables") {
          for (const table of source.tables) await this.loadTable(connection, table);
        } else {
          await this.runSeed(connection, source.seed);
        }
        await connection.run("COMMIT");
      } catch (error) {
        await connection.run("ROLLBACK");
        throw error;
      }
    });
    await this.refreshTables();
  }

  /** The output columns of a SELECT, without running it. */
  async describe(sql: string, database?: string): Promise<EngineColumn[]> {
    await this.mirror(database);
    return this.withConnection(async (connection) => {
      const prepared = await this.prepareSelect(connection, sql);
      try {
        return Array.from({ length: prepared.columnCount }, (_, index) => ({
          name: prepared.columnName(index),
          type: prepared.columnType(index).toString(),
        }));
      } finally {
        prepared.destroySync();
      }
    });
  }

  /** Runs a SELECT and reads every row. */
  async read(sql: string, database?: string): Promise<QueryResult> {
    await this.mirror(database);
    return this.withConnection(async (connection) => {
      const prepared = await this.prepareSelect(connection, sql);
      try {
        let reader;
        try {
          reader = await prepared.runAndReadAll();
        } catch (error) {
          throw new WarehouseQueryError(snowflakeError(message(error)));
        }
        const columns = reader.columnTypes().map((type, index) => ({
          name: reader.columnName(index),
          type: type.toString(),
        }));
        const converters: Converter[] = columns.map((column) => converterFor(column.type));
        const rows = reader.getRowsJson() as unknown[][];
        for (const row of rows) {
          for (let index = 0; index < row.length; index += 1)
            row[index] = converters[index](row[index]);
        }
        return { columns, rows };
      } finally {
        prepared.destroySync();
      }
    });
  }

  /**
   * Runs a SELECT and hands its rows over chunk by chunk (converted as {@link read} does), so that
   * a large result never has to be held whole.
   */
  async *stream(sql: string, database?: string): AsyncGenerator<unknown[][]> {
    await this.mirror(database);
    const connection = await this.instance.connect();
    try {
      await connection.run("SET search_path = 'memory.public'");
      const prepared = await this.prepareSelect(connection, sql);
      try {
        let result;
        try {
          result = await prepared.stream();
        } catch (error) {
          throw new WarehouseQueryError(snowflakeError(message(error)));
        }
        const converters: Converter[] = result
          .columnTypes()
          .map((type) => converterFor(type.toString()));
        for await (const chunk of result.yieldRowsJson()) {
          const rows = chunk as unknown[][];
          for (const row of rows) {
            for (let index = 0; index < row.length; index += 1) {
              row[index] = converters[index](row[index]);
            }
          }
          yield rows;
        }
      } finally {
        prepared.destroySync();
      }
    } finally {
      connection.disconnectSync();
    }
  }

  private async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect();
    try {
      if (this.schemaReady) await connection.run("SET search_path = 'memory.public'");
      return await work(connection);
    } finally {
      connection.disconnectSync();
    }
  }

  private async prepareSelect(connection: DuckDBConnection, sql: string) {
    const { StatementType } = loadDuckDB();
    let prepared;
    try {
      const extracted = await connection.extractStatements(sql);
      if (extracted.count !== 1) {
        throw new WarehouseQueryError(
          `the query holds ${extracted.count} statements; a model's query must be one SELECT`,
        );
      }
      prepared = await extracted.prepare(0);
    } catch (error) {
      if (error instanceof WarehouseQueryError) throw error;
      throw new WarehouseQueryError(snowflakeError(message(error)));
    }
    if (prepared.statementType !== StatementType.SELECT) {
      const kind = StatementType[prepared.statementType] ?? "non-SELECT";
      prepared.destroySync();
      throw new WarehouseQueryError(
        `the query is a ${kind} statement; a model's query must be a SELECT`,
      );
    }
    return prepared;
  }

  /** Makes `<database>.public.<table>` resolve, as in the Snowflake database a connection names. */
  private async mirror(database: string | undefined): Promise<void> {
    if (database === undefined || !IDENTIFIER.test(database)) return;
    const name = database.toLowerCase();
    if (RESERVED_DATABASES.has(name)) return;
    let pending = this.attaching.get(name);
    if (pending === undefined) {
      if (this.databases.has(name)) return;
      pending = this.attach(name).finally(() => this.attaching.delete(name));
      this.attaching.set(name, pending);
    }
    await pending;
  }

  private async attach(name: string): Promise<void> {
    await this.withConnection(async (connection) => {
      await connection.run(`ATTACH ':memory:' AS ${quote(name)}`);
      await connection.run(`CREATE SCHEMA ${quote(name)}.public`);
    });
    this.databases.add(name);
    await this.refreshMirror(name);
  }

  private async refreshMirror(database: string): Promise<void> {
    await this.withConnection(async (connection) => {
      const existing = await connection.runAndReadAll(
        `SELECT view_name FROM duckdb_views() WHERE database_name = '${database}' AND schema_name = 'public'`,
      );
      for (const [view] of existing.getRowsJson()) {
        if (this.table(String(view)) === undefined) {
          await connection.run(`DROP VIEW ${quote(database)}.public.${quote(String(view))}`);
        }
      }
      for (const table of this.tableList) {
        await connection.run(
          `CREATE OR REPLACE VIEW ${quote(database)}.public.${quote(table.name)} AS SELECT * FROM memory.public.${quote(table.name)}`,
        );
      }
    });
  }

  private async refreshTables(): Promise<void> {
    const tables = await this.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(
        `SELECT t.table_name, t.table_type, c.column_name, c.data_type
         FROM information_schema.tables t
         JOIN information_schema.columns c
           ON c.table_catalog = t.table_catalog AND c.table_schema = t.table_schema AND c.table_name = t.table_name
         WHERE t.table_catalog = 'memory' AND t.table_schema = 'public'
         ORDER BY t.table_name, c.ordinal_position`,
      );
      const byName = new Map<string, { kind: "table" | "view"; columns: EngineColumn[] }>();
      for (const [table, kind, column, type] of reader.getRowsJson() as string[][]) {
        let entry = byName.get(table);
        if (entry === undefined) {
          entry = { kind: kind === "VIEW" ? "view" : "table", columns: [] };
          byName.set(table, entry);
        }
        entry.columns.push({ name: column, type });
      }
      return [...byName].map(([name, { kind, columns }]) => ({ name, kind, columns }));
    });
    this.tableList = tables;
    for (const database of this.databases) await this.refreshMirror(database);
  }

  /**
   * Loads a table through a staging table of text columns, then casts each column to its type:
   * a value that does not fit is found with TRY_CAST (a failing statement would abort the
   * transaction) and named by its row.
   */
  private async loadTable(connection: DuckDBConnection, table: TableSpec): Promise<void> {
    const staging = quote(`__staging_${table.name}`);
    const columns = table.columns.map((column) => quote(column.name));
    await connection.run(
      `CREATE TEMP TABLE ${staging} (__row INTEGER, ${columns.map((column) => `${column} VARCHAR`).join(", ")})`,
    );
    try {
      await this.insertRows(connection, staging, table);
      const types = await this.columnTypes(connection, staging, table);
      const select = columns
        .map((column, index) =>
          types[index] === "VARCHAR" ? column : `CAST(${column} AS ${types[index]}) AS ${column}`,
        )
        .join(", ");
      await connection.run(
        `CREATE OR REPLACE TABLE memory.public.${quote(table.name)} AS SELECT ${select} FROM ${staging} ORDER BY __row`,
      );
    } finally {
      await connection.run(`DROP TABLE IF EXISTS ${staging}`);
    }
  }

  private async insertRows(
    connection: DuckDBConnection,
    staging: string,
    table: TableSpec,
  ): Promise<void> {
    const width = table.columns.length + 1;
    const insert = (count: number) => {
      const tuples = Array.from(
        { length: count },
        (_, row) =>
          `(${Array.from({ length: width }, (_, column) => `$${row * width + column + 1}`).join(", ")})`,
      );
      return `INSERT INTO ${staging} VALUES ${tuples.join(", ")}`;
    };
    for (let start = 0; start < table.rows.length; start += INSERT_CHUNK) {
      const chunk = table.rows.slice(start, start + INSERT_CHUNK);
      const values = chunk.flatMap((row, offset) => [start + offset, ...row.map(asText)]);
      await connection.run(insert(chunk.length), values as DuckDBValue[]);
    }
  }

  /** Each column's engine type: the declared one, checked row by row, or the narrowest that fits. */
  private async columnTypes(
    connection: DuckDBConnection,
    staging: string,
    table: TableSpec,
  ): Promise<string[]> {
    const types: string[] = [];
    for (const column of table.columns) {
      const name = quote(column.name);
      if (column.type !== undefined) {
        const type = engineTypeOf(column.type);
        if (type === undefined) {
          throw new CatalogError(
            `${table.origin}: column ${column.name} has the unknown type ${column.type}`,
          );
        }
        const reader = await connection.runAndReadAll(
          `SELECT __row, ${name} FROM ${staging} WHERE ${name} IS NOT NULL AND TRY_CAST(${name} AS ${type}) IS NULL ORDER BY __row LIMIT 1`,
        );
        const [bad] = reader.getRowsJson() as [number, string][];
        if (bad !== undefined) {
          throw new CatalogError(
            `${table.where(Number(bad[0]))}: ${column.name}: ${JSON.stringify(bad[1])} is not a valid ${column.type}`,
          );
        }
        types.push(type);
        continue;
      }
      const probes = INFERRED_TYPES.map(
        ([, fits]) =>
          `count(*) FILTER (WHERE ${name} IS NOT NULL AND NOT coalesce(${fits(name)}, false))`,
      );
      const reader = await connection.runAndReadAll(
        `SELECT count(${name}), ${probes.join(", ")} FROM ${staging}`,
      );
      const [[present, ...misfits]] = reader.getRowsJson() as string[][];
      const fit = misfits.findIndex((count) => Number(count) === 0);
      types.push(Number(present) > 0 && fit >= 0 ? INFERRED_TYPES[fit][0] : "VARCHAR");
    }
    return types;
  }

  private async runSeed(connection: DuckDBConnection, seed: SqlSeed): Promise<void> {
    for (const statement of seed.statements) {
      try {
        await connection.run(statement.text);
      } catch (error) {
        const parts = engineErrorParts(message(error));
        const line = statement.line + (parts.line ?? 1) - 1;
        throw new CatalogError(`${seed.name} line ${line}: ${parts.text}`);
      }
    }
  }
}
