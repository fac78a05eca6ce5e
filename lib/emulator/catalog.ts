/**
 * The emulator's fake warehouse: table name → column names. The real Polytomic learns a model's
 * columns by running its query; the emulator can only read them off the SELECT list, so `*` is
 * expanded from here. Snowflake target objects (tables) come from here too.
 */
import { readFileSync } from "node:fs";

export type CatalogTables = Readonly<Record<string, readonly string[]>>;

const DEFAULT_CATALOG: CatalogTables = {
  users: ["id", "email", "first_name", "last_name", "plan", "last_activity_date", "created_at"],
};

/** A catalog given by the user is malformed; the message is one line naming the problem. */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogError";
  }
}

function checkTables(tables: unknown, where: string): Record<string, string[]> {
  if (typeof tables !== "object" || tables === null || Array.isArray(tables)) {
    throw new CatalogError(`${where} must be an object mapping table names to column-name arrays`);
  }
  const result: Record<string, string[]> = {};
  for (const [name, columns] of Object.entries(tables)) {
    if (name.trim() === "") throw new CatalogError(`${where} has an empty table name`);
    const valid =
      Array.isArray(columns) &&
      columns.length > 0 &&
      columns.every((column) => typeof column === "string" && column.trim() !== "");
    if (!valid) {
      throw new CatalogError(`${where}.${name} must be a non-empty array of column names`);
    }
    if (new Set(columns).size !== columns.length) {
      throw new CatalogError(`${where}.${name} lists a column twice`);
    }
    Object.defineProperty(result, name, { value: [...columns], enumerable: true });
  }
  return result;
}

/** Reads a catalog file, `{"tables": {"name": ["col", ...]}}`. */
export function loadCatalogFile(path: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CatalogError(`cannot read catalog file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || !("tables" in parsed)) {
    throw new CatalogError(`catalog file ${path} must be a JSON object with a "tables" key`);
  }
  return checkTables(parsed.tables, `catalog file ${path}: tables`);
}

export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly string[];
}

/** Tables are looked up case-insensitively, as Snowflake resolves unquoted names. */
export class Catalog {
  private readonly tables = new Map<string, CatalogTable>();

  /** The default catalog, extended by `extra` (a table of the same name replaces the default). */
  constructor(extra: CatalogTables = {}) {
    const merged = { ...DEFAULT_CATALOG, ...checkTables(extra, "catalog") };
    for (const [name, columns] of Object.entries(merged)) {
      this.tables.set(name.toLowerCase(), { name, columns });
    }
  }

  table(name: string): CatalogTable | undefined {
    return this.tables.get(name.toLowerCase());
  }

  list(): CatalogTable[] {
    return [...this.tables.values()];
  }

  names(): string[] {
    return this.list().map((table) => table.name);
  }
}
