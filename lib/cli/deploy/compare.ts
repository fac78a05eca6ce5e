/**
 * Live Polytomic objects seen in the vocabulary of the declarations, and the differences between
 * the two: what a deploy writes, and what `polytomic-cdktf diff` shows. Secrets cannot be compared
 * (Polytomic masks them); they are reported as set or not set.
 */
import type { Connection, Model, Sync } from "../../api";
import type {
  ConnectionDeclaration,
  ModelDeclaration,
  Resolved,
  SyncDeclaration,
} from "../../core/declarations";
import { SECRET_KEYS } from "./requests";

/** One difference: the declaration path, the live value and the declared value. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
  /** Written on every deploy whatever Polytomic holds (a secret from Terraform): not a difference. */
  readonly always?: true;
}

/** Names of live objects by id, to show references the way declarations write them. */
export interface NameIndex {
  connection(id: string | undefined): string | undefined;
  model(id: string | undefined): string | undefined;
  sync(id: string | undefined): string | undefined;
}

/** Absent, `null` and the API's defaults for optional settings compare equal. */
function normalise(value: unknown): unknown {
  if (value === null || value === "" || value === false) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalise);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .map(([key, member]) => [key, normalise(member)] as const)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function changes(declared: Record<string, unknown>, live: Record<string, unknown>): FieldChange[] {
  const found: FieldChange[] = [];
  for (const field of Object.keys(declared)) {
    if (!same(live[field], declared[field]))
      found.push({ field, from: normalise(live[field]), to: normalise(declared[field]) });
  }
  return found;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string"
    ? value
    : value === undefined || value === null
      ? undefined
      : String(value);

/** What a connection's live configuration says, with secrets as "set" when present. */
export function liveConnection(connection: Connection): Record<string, unknown> {
  const configuration = (connection.configuration ?? {}) as Record<string, unknown>;
  const set = (key: string) =>
    configuration[key] !== undefined && configuration[key] !== "" ? "set" : undefined;
  if (connection.type?.id === "salesforce") {
    return {
      domain: configuration.domain,
      connectMode: configuration.connect_mode ?? "browser",
      clientId: set("client_id"),
      clientSecret: set("client_secret"),
      refreshToken: set("oauth_refresh_token"),
    };
  }
  return {
    account: configuration.account,
    username: configuration.username,
    dbname: configuration.dbname,
    warehouse: configuration.warehouse,
    params: configuration.params,
    keyPairAuth: configuration.key_pair_auth,
    password: set("password"),
    privateKey: set("private_key"),
    privateKeyPassphrase: set("private_key_passphrase"),
  };
}

export function declaredConnection(
  declaration: Resolved<ConnectionDeclaration>,
): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(declaration)) {
    if (["kind", "type", "name", "adoptExisting", "redirectUrl"].includes(key)) continue;
    view[key] = key in SECRET_KEYS ? "set" : value;
  }
  if (declaration.type === "snowflake") {
    // Settings the code leaves out must be absent in Polytomic too (a PUT would clear them).
    view.warehouse ??= undefined;
    view.params ??= undefined;
    view.keyPairAuth = declaration.privateKey !== undefined;
  }
  return view;
}

export function connectionChanges(
  declaration: Resolved<ConnectionDeclaration>,
  live: Connection,
): FieldChange[] {
  return changes(declaredConnection(declaration), liveConnection(live));
}

export function liveModel(model: Model, names: NameIndex): Record<string, unknown> {
  return {
    connection: names.connection(model.connection_id),
    query: (model.configuration as Record<string, unknown> | undefined)?.query,
    identifier: model.identifier,
    trackingColumns: model.tracking_columns,
  };
}

export function modelChanges(
  declaration: Resolved<ModelDeclaration>,
  live: Model,
  names: NameIndex,
): FieldChange[] {
  const declared = {
    connection: declaration.connection,
    query: declaration.query,
    identifier: declaration.identifier,
    trackingColumns: declaration.trackingColumns,
  };
  return changes(declared, liveModel(live, names));
}

/** Override fields come back merged into `fields`, with `override_value` and no real source. */
function isOverride(field: { override_value?: unknown }): boolean {
  return field.override_value !== undefined && field.override_value !== null;
}

export function liveSync(sync: Sync, names: NameIndex): Record<string, unknown> {
  const schedule = (sync.schedule ?? {}) as Record<string, unknown>;
  const runAfter = (schedule.run_after as { sync_ids?: string[] } | undefined)?.sync_ids;
  const fields = sync.fields ?? [];
  return {
    mode: sync.mode,
    model: names.model(sync.model_ids?.[0] ?? sync.identity?.source?.model_id),
    target: {
      connection: names.connection(sync.target?.connection_id),
      object: sync.target?.object,
    },
    identity: sync.identity && {
      source: sync.identity.source?.field,
      target: sync.identity.target,
      function: sync.identity.function,
      newField: sync.identity.new_field,
    },
    fields: fields
      .filter((field) => !isOverride(field))
      .map((field) => ({
        source: field.source?.field,
        target: field.target,
        syncMode: field.sync_mode === "updateOrCreate" ? undefined : field.sync_mode,
        new: field.new,
      })),
    overrideFields: fields
      .filter(isOverride)
      .map((field) => ({ target: field.target, value: text(field.override_value) })),
    filters: (sync.filters ?? []).map((filter) => ({
      source: filter.field?.field ?? filter.field_id,
      function: filter.function,
      value: filter.value,
    })),
    filterLogic: sync.filter_logic,
    schedule: {
      frequency: schedule.frequency,
      minute: text(schedule.minute),
      hour: text(schedule.hour),
      dayOfWeek: text(schedule.day_of_week),
      dayOfMonth: text(schedule.day_of_month),
      month: text(schedule.month),
      runAfter: runAfter?.map((id) => names.sync(id) ?? id),
    },
    active: sync.active,
    skipInitialBackfill: sync.skip_initial_backfill,
    syncAllRecords: sync.sync_all_records,
  };
}

export function declaredSync(declaration: Resolved<SyncDeclaration>): Record<string, unknown> {
  const schedule = declaration.schedule;
  return {
    mode: declaration.mode,
    model: declaration.model,
    target: declaration.target,
    identity: declaration.identity && {
      ...declaration.identity,
      function: declaration.identity.function,
    },
    fields: declaration.fields.map((field) => ({
      ...field,
      syncMode: field.syncMode === "updateOrCreate" ? undefined : field.syncMode,
    })),
    overrideFields: (declaration.overrideFields ?? []).map((override) => ({
      target: override.target,
      value: text(override.value),
    })),
    filters: declaration.filters ?? [],
    filterLogic: declaration.filterLogic,
    schedule: {
      frequency: schedule.frequency,
      minute: text(schedule.minute),
      hour: text(schedule.hour),
      dayOfWeek: text(schedule.dayOfWeek),
      dayOfMonth: text(schedule.dayOfMonth),
      month: text(schedule.month),
      runAfter: schedule.runAfter,
    },
    active: declaration.active,
    skipInitialBackfill: declaration.skipInitialBackfill,
    syncAllRecords: declaration.syncAllRecords,
  };
}

export function syncChanges(
  declaration: Resolved<SyncDeclaration>,
  live: Sync,
  names: NameIndex,
): FieldChange[] {
  return changes(declaredSync(declaration), liveSync(live, names));
}
