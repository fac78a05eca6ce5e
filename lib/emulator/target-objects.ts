/**
 * What a connection offers as a sync target (polytomic-api.md §5.1): its objects, their fields and
 * the sync modes each object supports. Salesforce exposes its standard objects; Snowflake exposes
 * the catalog's tables. Discovery routes and sync validation both read from here, so a sync is
 * accepted exactly when discovery says it could be built.
 */
import { IDENTITY_MODES, PER_FIELD_MODES, SYNC_MODES } from "../core/sync-rules";
import type { Catalog, CatalogTable } from "./catalog";
import type { ConnectionTypeId } from "./connection-types";
import { SALESFORCE_OBJECTS } from "./salesforce-objects";

export interface TargetField {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly source_type: string;
  readonly required: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly filterable: boolean;
  readonly association: boolean;
  readonly supports_identity: boolean;
  readonly identity_functions: readonly string[];
}

export interface TargetMode {
  readonly id: string;
  readonly requires_identity: boolean;
  readonly supports_per_field_mode: boolean;
  readonly supports_target_filters: boolean;
}

export interface TargetObject {
  readonly id: string;
  readonly name: string;
  readonly modes: readonly TargetMode[];
  readonly fields: readonly TargetField[];
}

function mode(id: string): TargetMode {
  return {
    id,
    requires_identity: IDENTITY_MODES.includes(id),
    supports_per_field_mode: PER_FIELD_MODES.includes(id),
    supports_target_filters: id === "update",
  };
}

const SALESFORCE_MODES = ["create", "update", "updateOrCreate", "remove"].map(mode);
/** A warehouse table takes every mode; so does a table a sync creates. */
export const WAREHOUSE_MODES: readonly TargetMode[] = SYNC_MODES.map(mode);

function columnField(column: string): TargetField {
  return {
    id: column,
    name: column,
    type: "string",
    source_type: "varchar",
    required: false,
    createable: true,
    updateable: true,
    filterable: true,
    association: false,
    supports_identity: true,
    identity_functions: ["Equality"],
  };
}

function tableObject(table: CatalogTable): TargetObject {
  return {
    id: table.name,
    name: table.name,
    modes: WAREHOUSE_MODES,
    fields: table.columns.map(columnField),
  };
}

export function targetObjects(type: ConnectionTypeId, catalog: Catalog): TargetObject[] {
  if (type === "salesforce") {
    return SALESFORCE_OBJECTS.map((object) => ({ ...object, modes: SALESFORCE_MODES }));
  }
  return catalog.list().map(tableObject);
}

/** Salesforce object ids match exactly; warehouse tables as Snowflake resolves unquoted names. */
export function findTargetObject(
  type: ConnectionTypeId,
  catalog: Catalog,
  id: string,
): TargetObject | undefined {
  if (type === "snowflake") {
    const table = catalog.table(id);
    return table && tableObject(table);
  }
  return targetObjects(type, catalog).find((object) => object.id === id);
}

/** Salesforce objects are fixed; a warehouse can create a new table for a sync. */
export function supportsTargetCreation(type: ConnectionTypeId): boolean {
  return type === "snowflake";
}
