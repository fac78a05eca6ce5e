/**
 * What a connection offers as a sync target (polytomic-api.md §5.1): its objects, their fields and
 * the sync modes each object supports. Salesforce exposes its standard objects (salesforce/
 * schema.ts); Snowflake exposes the warehouse's tables. Discovery routes and sync validation both
 * read from here, so a sync is accepted exactly when discovery says it could be built.
 */
import { IDENTITY_MODES, PER_FIELD_MODES, SYNC_MODES } from "../core/sync-rules";
import type { ConnectionTypeId } from "./connection-types";
import type { SalesforceField } from "./salesforce/schema";
import { SALESFORCE_SCHEMA } from "./salesforce/schema";
import { fieldType } from "./warehouse/field-types";
import type { TableInfo, Warehouse } from "./warehouse/warehouse";

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
  /** Ids of the identity functions (`Equality`, …); rendered as `{id, label}` by discovery. */
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

/** Salesforce takes records one by one: it cannot replace or append a whole object. */
export const SALESFORCE_MODES = ["create", "update", "updateOrCreate", "remove"].map(mode);
/** A warehouse table takes every mode; so does a table a sync creates. */
export const WAREHOUSE_MODES: readonly TargetMode[] = SYNC_MODES.map(mode);

function salesforceField(field: SalesforceField): TargetField {
  const writable = field.kind !== "id";
  const type = {
    int: "number",
    currency: "number",
    date: "datetime",
    boolean: "boolean",
  }[field.kind as string];
  return {
    id: field.id,
    name: field.label,
    type: type ?? "string",
    source_type: field.kind,
    required: field.required,
    createable: writable,
    updateable: writable,
    filterable: true,
    association: field.kind === "reference",
    supports_identity: field.identity !== undefined,
    identity_functions: [...(field.identity ?? [])],
  };
}

const SALESFORCE_OBJECTS: readonly TargetObject[] = SALESFORCE_SCHEMA.map((object) => ({
  id: object.id,
  name: object.label,
  modes: SALESFORCE_MODES,
  fields: object.fields.map(salesforceField),
}));

function tableObject(table: TableInfo): TargetObject {
  return {
    id: table.name,
    name: table.name,
    modes: WAREHOUSE_MODES,
    fields: table.columns.map((column) => {
      const { type, remote_type } = fieldType(column.type);
      return {
        id: column.name,
        name: column.name,
        type,
        source_type: remote_type,
        required: false,
        createable: true,
        updateable: true,
        filterable: true,
        association: false,
        supports_identity: true,
        identity_functions: ["Equality"],
      };
    }),
  };
}

export function targetObjects(type: ConnectionTypeId, warehouse: Warehouse): TargetObject[] {
  if (type === "salesforce") return [...SALESFORCE_OBJECTS];
  return warehouse
    .tables()
    .filter((table) => table.kind === "table")
    .map(tableObject);
}

/** Salesforce object ids match exactly; warehouse tables as Snowflake resolves unquoted names. */
export function findTargetObject(
  type: ConnectionTypeId,
  warehouse: Warehouse,
  id: string,
): TargetObject | undefined {
  if (type === "snowflake") {
    const table = warehouse.table(id);
    return table?.kind === "table" ? tableObject(table) : undefined;
  }
  return SALESFORCE_OBJECTS.find((object) => object.id === id);
}

/** Salesforce objects are fixed; a warehouse can create a new table for a sync. */
export function supportsTargetCreation(type: ConnectionTypeId): boolean {
  return type === "snowflake";
}

const MODE_TEXT: Readonly<Record<string, readonly [string, string]>> = {
  create: ["Create", "Create records that do not exist yet; never update existing ones"],
  update: ["Update", "Update existing records; never create new ones"],
  updateOrCreate: ["Update or create", "Update records that exist and create those that do not"],
  remove: ["Remove", "Delete the target records that match the model's records"],
  replace: ["Replace", "Replace the whole target with the model's records on every run"],
  append: ["Append", "Add the model's records to the target on every run"],
  snapshot: ["Snapshot", "Write a full copy of the model's records on every run"],
};

const IDENTITY_LABELS: Readonly<Record<string, string>> = {
  Equality: "Equality",
  ISubstring: "Contains (case-insensitive)",
  OneOf: "One of",
  DomainMatch: "Domain match",
  HostnameMatch: "Hostname match",
};

/** A mode as `GET …/modelsync/target/fields` describes it (TS25 `Mode`). */
export function describeMode(target: TargetMode) {
  const [label, description] = MODE_TEXT[target.id] ?? [target.id, target.id];
  return {
    mode: target.id,
    label,
    description,
    requires_identity: target.requires_identity,
    supports_field_sync_mode: target.supports_per_field_mode,
    supports_target_filters: target.supports_target_filters,
  };
}

/** A field as `GET …/modelsync/target/fields` describes it (TS25 `TargetField`). */
export function describeField(field: TargetField) {
  return {
    ...field,
    encryptable: false,
    identity_functions: field.identity_functions.map((id) => ({
      id,
      label: IDENTITY_LABELS[id] ?? id,
    })),
  };
}

/** What the target supports beyond its fields and modes (TS25 `SyncDestinationProperties`). */
export function targetProperties(type: ConnectionTypeId) {
  return {
    supports_field_creation: true,
    supports_target_filters: true,
    target_creator: type === "snowflake",
    supports_identity_field_creation: type === "snowflake",
    supports_field_encryption: false,
    supports_field_type_selection: type === "snowflake",
  };
}
