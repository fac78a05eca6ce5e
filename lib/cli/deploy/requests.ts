/**
 * Declarations as Polytomic API requests: the API's key names, schedule times as strings, and
 * names turned into ids. PUT replaces the whole object, so every request carries the full
 * declaration.
 */
import type {
  CreateConnectionRequest,
  CreateModelRequest,
  CreateSyncRequest,
  Schedule,
  SyncSource,
} from "../../api";
import type {
  ConnectionDeclaration,
  ModelDeclaration,
  Resolved,
  SyncDeclaration,
} from "../../core/declarations";
import { INTERACTIVE_CONNECT_MODES } from "../../core/validate/connection";
import { TIME_FIELDS } from "../../core/validate/schedule";

/** Secret props and the API's configuration keys they fill. */
export const SECRET_KEYS: Readonly<Record<string, string>> = {
  password: "password",
  privateKey: "private_key",
  privateKeyPassphrase: "private_key_passphrase",
  clientId: "client_id",
  clientSecret: "client_secret",
  refreshToken: "oauth_refresh_token",
};

const CONFIGURATION_KEYS: Readonly<Record<string, string>> = {
  account: "account",
  username: "username",
  dbname: "dbname",
  warehouse: "warehouse",
  params: "params",
  domain: "domain",
  connectMode: "connect_mode",
};

/** Whether a person completes the connection's OAuth in a browser (it cannot be validated before). */
export function isInteractive(declaration: Resolved<ConnectionDeclaration>): boolean {
  return (
    declaration.type === "salesforce" && INTERACTIVE_CONNECT_MODES.includes(declaration.connectMode)
  );
}

/** The API `configuration` of a connection; `secrets` maps secret props to their values. */
export function connectionConfiguration(
  declaration: Resolved<ConnectionDeclaration>,
  secrets: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const configuration: Record<string, unknown> = {};
  for (const [prop, key] of Object.entries(CONFIGURATION_KEYS)) {
    const value = (declaration as Record<string, unknown>)[prop];
    if (value !== undefined) configuration[key] = value;
  }
  if (declaration.type === "snowflake")
    configuration.key_pair_auth = declaration.privateKey !== undefined;
  for (const [prop, value] of Object.entries(secrets)) configuration[SECRET_KEYS[prop]] = value;
  return configuration;
}

/** The body of a create (`create`) or a full replacement; Polytomic takes redirect_url on create only. */
export function connectionRequest(
  declaration: Resolved<ConnectionDeclaration>,
  secrets: Readonly<Record<string, string>>,
  create: boolean,
): CreateConnectionRequest {
  const redirectUrl =
    create && declaration.type === "salesforce" ? declaration.redirectUrl : undefined;
  return {
    name: declaration.name,
    type: declaration.type,
    configuration: connectionConfiguration(declaration, secrets),
    // Credentials can be checked now, except for OAuth that a person has yet to complete.
    validate: !isInteractive(declaration),
    ...(redirectUrl === undefined ? {} : { redirect_url: redirectUrl }),
  };
}

export function modelRequest(
  declaration: Resolved<ModelDeclaration>,
  connectionId: string,
): CreateModelRequest {
  return {
    name: declaration.name,
    connection_id: connectionId,
    configuration: { query: declaration.query },
    ...(declaration.identifier === undefined ? {} : { identifier: declaration.identifier }),
    ...(declaration.trackingColumns === undefined
      ? {}
      : { tracking_columns: [...declaration.trackingColumns] }),
  };
}

export interface SyncIds {
  readonly model: string;
  readonly target: string;
  /** Ids of the syncs of `schedule.runAfter`, by name. */
  readonly syncs: ReadonlyMap<string, string>;
}

function schedule(declaration: Resolved<SyncDeclaration>, ids: SyncIds): Schedule {
  const { frequency, runAfter } = declaration.schedule;
  const times: Record<string, string> = {};
  for (const [prop, { api }] of Object.entries(TIME_FIELDS)) {
    const value = (declaration.schedule as Record<string, unknown>)[prop];
    if (value !== undefined) times[api] = String(value);
  }
  return {
    frequency,
    ...times,
    ...(runAfter ? { run_after: { sync_ids: runAfter.map((name) => ids.syncs.get(name)!) } } : {}),
  };
}

export function syncRequest(
  declaration: Resolved<SyncDeclaration>,
  ids: SyncIds,
): CreateSyncRequest {
  const source = (field: string): SyncSource => ({ model_id: ids.model, field });
  const identity = declaration.identity;
  return {
    name: declaration.name,
    mode: declaration.mode,
    active: declaration.active,
    target: { connection_id: ids.target, object: declaration.target.object },
    ...(identity
      ? {
          identity: {
            source: source(identity.source),
            target: identity.target,
            function: identity.function,
            ...(identity.newField === undefined ? {} : { new_field: identity.newField }),
          },
        }
      : {}),
    fields: declaration.fields.map((field) => ({
      target: field.target,
      source: source(field.source),
      ...(field.syncMode === undefined ? {} : { sync_mode: field.syncMode }),
      ...(field.new === undefined ? {} : { new: field.new }),
    })),
    override_fields: (declaration.overrideFields ?? []).map((override) => ({
      target: override.target,
      override_value: String(override.value),
    })),
    filters: (declaration.filters ?? []).map((filter) => ({
      field: source(filter.source),
      field_type: "Model" as const,
      function: filter.function,
      ...(filter.value === undefined ? {} : { value: filter.value }),
    })),
    ...(declaration.filterLogic === undefined ? {} : { filter_logic: declaration.filterLogic }),
    schedule: schedule(declaration, ids),
    ...(declaration.skipInitialBackfill === undefined
      ? {}
      : { skip_initial_backfill: declaration.skipInitialBackfill }),
    ...(declaration.syncAllRecords === undefined
      ? {}
      : { sync_all_records: declaration.syncAllRecords }),
  };
}
