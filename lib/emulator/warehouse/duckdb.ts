/**
 * Loads DuckDB, the SQL engine behind the emulator's warehouse. It is an optional dependency of the
 * package, loaded only when the emulator starts, so users who never run the emulator install no
 * native binary; the CLI bundle leaves it external and resolves it from node_modules at run time.
 */
import type * as DuckDB from "@duckdb/node-api";
import { createRequire } from "node:module";

export type DuckDBModule = typeof DuckDB;

export const DUCKDB_PACKAGE = "@duckdb/node-api";

/** DuckDB is missing or cannot load on this platform; the message is one line saying what to do. */
export class WarehouseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WarehouseUnavailableError";
  }
}

let loaded: DuckDBModule | undefined;

function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === "MODULE_NOT_FOUND" && String(message).includes(specifier);
}

export function loadDuckDB(): DuckDBModule {
  if (loaded !== undefined) return loaded;
  const load = createRequire(__filename);
  try {
    loaded = load(DUCKDB_PACKAGE) as DuckDBModule;
  } catch (error) {
    if (isMissing(error, DUCKDB_PACKAGE)) {
      throw new WarehouseUnavailableError(
        `the emulator's warehouse needs the optional dependency ${DUCKDB_PACKAGE}, which is not installed: run \`npm install ${DUCKDB_PACKAGE}\` (optional dependencies are skipped by --omit=optional)`,
      );
    }
    throw new WarehouseUnavailableError(
      `the emulator's warehouse engine (${DUCKDB_PACKAGE}) cannot load on ${process.platform}-${process.arch}: ${String((error as Error).message).split("\n")[0]}`,
    );
  }
  return loaded;
}
