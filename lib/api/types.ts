/**
 * Request and response shapes of the Polytomic API, version 2025-09-18, for the objects the CLI
 * provisions. Requests are exact. Responses type every field as optional except the ones the client
 * validates (`id`, `name`, …), because the server may omit any of them, and keep unknown fields.
 */

/** Any JSON object; responses keep the fields this library does not model. */
export type JsonObject = { [key: string]: unknown };

/** The response view of a request shape: every field optional, at every depth. */
export type Loose<T> = T extends readonly (infer U)[]
  ? Loose<U>[]
  : T extends object
    ? { -readonly [K in keyof T]?: Loose<T[K]> }
    : T;

/** Who created or last changed an object; `type` is `user`, `system`, `organization` or `partner`. */
export interface Actor {
  id?: string;
  name?: string;
  type?: string;
}

interface Audited {
  created_at?: string;
  created_by?: Actor;
  updated_at?: string;
  updated_by?: Actor;
}

/** `GET /api/me`; `id` and `email` are absent for non-user credentials. */
export interface CallerIdentity extends JsonObject {
  organization_id: string;
  organization_name?: string;
  id?: string;
  email?: string;
  role?: string;
  is_user?: boolean;
  is_organization?: boolean;
  is_partner?: boolean;
  is_system?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Connections

export interface CreateConnectionRequest {
  readonly name: string;
  /** Connection type id, e.g. `snowflake`. */
  readonly type: string;
  readonly configuration: Readonly<Record<string, unknown>>;
  /** Defaults to true on the server: validate the credentials against the service now. */
  readonly validate?: boolean;
  /** Where the OAuth flow returns the browser to. */
  readonly redirect_url?: string;
  readonly healthcheck_interval?: string;
  readonly organization_id?: string;
  readonly policies?: readonly string[];
}

/** PUT replaces the whole connection; a sensitive key omitted or sent masked keeps its stored value. */
export interface UpdateConnectionRequest {
  readonly name: string;
  readonly type?: string;
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly validate?: boolean;
  readonly reconnect?: boolean;
  readonly healthcheck_interval?: string;
  readonly organization_id?: string;
  readonly policies?: readonly string[];
}

/** On a connection, `type` is an object (on a model it is a string). */
export interface ConnectionTypeInfo {
  id?: string;
  name?: string;
  logo_url?: string;
  operations?: string[];
}

/** A connection as returned by get, list, create and update; secrets come back masked. */
export interface Connection extends Audited, JsonObject {
  id: string;
  name: string;
  organization_id?: string;
  type?: ConnectionTypeInfo;
  configuration?: JsonObject;
  status?: string;
  status_error?: string;
  saved?: boolean;
  policies?: string[];
  parent_connection_id?: string;
  api_calls_last_24_hours?: number;
  /** Create/update only: where a person completes OAuth. */
  auth_url?: string;
  /** Create/update only, OAuth `code` mode: the code the person types. */
  auth_code?: string;
  healthcheck_interval?: string;
}

// ---------------------------------------------------------------------------------------------
// Models

export interface ModelAdditionalField {
  readonly name: string;
  readonly type: string;
  readonly label: string;
  readonly example?: unknown;
}

export interface ModelRelation {
  readonly from: string;
  readonly to: { readonly model_id: string; readonly field: string };
}

export interface CreateModelRequest {
  readonly name: string;
  readonly connection_id: string;
  /** Type-specific source, e.g. `{ query }` or `{ table }` for Snowflake. */
  readonly configuration: Readonly<Record<string, unknown>>;
  readonly identifier?: string;
  /** Names of discovered source fields to enable. */
  readonly fields?: readonly string[];
  readonly additional_fields?: readonly ModelAdditionalField[];
  readonly tracking_columns?: readonly string[];
  readonly relations?: readonly ModelRelation[];
  readonly labels?: readonly string[];
  readonly enricher?: Readonly<Record<string, unknown>>;
  readonly policies?: readonly string[];
  readonly organization_id?: string;
}

/** PUT replaces the whole model. */
export interface UpdateModelRequest extends CreateModelRequest {
  /** Re-introspect the source. */
  readonly refresh?: boolean;
}

/** A field Polytomic derived from the source (`user_added: false`) or an additional field. */
export interface ModelField extends Audited, JsonObject {
  id?: string;
  name?: string;
  label?: string;
  type?: string;
  remote_type?: string;
  description?: string;
  example?: unknown;
  unique?: boolean;
  user_added?: boolean;
}

export interface Model extends Audited, JsonObject {
  id: string;
  name: string;
  connection_id?: string;
  organization_id?: string;
  /** The connection type id, a string here. */
  type?: string;
  configuration?: JsonObject;
  identifier?: string;
  tracking_columns?: string[];
  /** Objects in responses, although requests send strings. */
  labels?: unknown[];
  relations?: Loose<ModelRelation>[];
  fields?: ModelField[];
  enricher?: JsonObject;
  policies?: string[];
  version?: number;
}

// ---------------------------------------------------------------------------------------------
// Syncs

export type SyncMode =
  "create" | "update" | "updateOrCreate" | "replace" | "append" | "remove" | "snapshot";

/** A field of a model. */
export interface SyncSource {
  readonly model_id: string;
  readonly field: string;
}

export interface SyncField {
  /** Target field id. */
  readonly target: string;
  readonly source?: SyncSource;
  /** A constant sent instead of a source value. */
  readonly override_value?: string;
  /** Ask Polytomic to create the target field. */
  readonly new?: boolean;
  /** `updateOrCreate` (default) or `create` (never overwrite a non-empty value). */
  readonly sync_mode?: string;
  readonly encryption_enabled?: boolean;
}

export interface SyncIdentity {
  readonly source: SyncSource;
  readonly target: string;
  /** `Equality`, `ISubstring`, `OneOf`, `DomainMatch` or `HostnameMatch`. */
  readonly function: string;
  readonly new_field?: boolean;
  readonly remote_field_type_id?: string;
}

/** `field` wins over `field_id`; target filters use `field_id` with `field_type: "Target"`. */
export interface SyncFilter {
  readonly field?: SyncSource;
  readonly field_id?: string;
  readonly field_type?: "Model" | "Target";
  readonly function: string;
  readonly value?: unknown;
  /** Assigned by the server (`A`, `B`, …); what `filter_logic` refers to. */
  readonly label?: string;
}

/** `field_id` wins over `field` (the opposite of {@link SyncFilter}). */
export interface SyncOverride {
  readonly field?: SyncSource;
  readonly field_id?: string;
  readonly function: string;
  readonly value?: unknown;
  readonly override?: unknown;
}

export interface SyncTarget {
  readonly connection_id: string;
  /** An existing target object, e.g. `Contact`. */
  readonly object?: string;
  /** Create a new target object (write-only: never returned). */
  readonly create?: Readonly<Record<string, string>>;
  readonly new_name?: string;
  readonly configuration?: Readonly<Record<string, unknown>>;
  readonly search_values?: Readonly<Record<string, unknown>>;
  readonly filter_logic?: string;
}

/** All times are strings, in UTC. */
export interface Schedule {
  /** `manual`, `continuous`, `hourly`, `daily`, `weekly`, `custom`, `builder`, `runafter`, `dbtcloud`… */
  readonly frequency: string;
  readonly minute?: string;
  readonly hour?: string;
  readonly day_of_week?: string;
  readonly day_of_month?: string;
  readonly month?: string;
  readonly run_after?: {
    readonly sync_ids?: readonly string[];
    readonly bulk_sync_ids?: readonly string[];
  };
  readonly run_after_success_only?: boolean;
  /** dbt Cloud connection, for `dbtcloud`. */
  readonly connection_id?: string;
  readonly job_id?: number;
}

export interface CreateSyncRequest {
  readonly name: string;
  readonly mode: SyncMode;
  readonly fields: readonly SyncField[];
  readonly schedule: Schedule;
  readonly target: SyncTarget;
  /** Needed by modes that match records: `update`, `updateOrCreate`, `remove`. */
  readonly identity?: SyncIdentity;
  readonly active?: boolean;
  readonly override_fields?: readonly SyncField[];
  readonly filters?: readonly SyncFilter[];
  readonly filter_logic?: string;
  readonly overrides?: readonly SyncOverride[];
  readonly only_enrich_updates?: boolean;
  readonly skip_initial_backfill?: boolean;
  readonly sync_all_records?: boolean;
  /** Write-only: never returned. */
  readonly encryption_passphrase?: string;
  readonly policies?: readonly string[];
  readonly organization_id?: string;
}

/** PUT replaces the whole sync. */
export type UpdateSyncRequest = CreateSyncRequest;

/** A sync as returned by get, create and update; `override_fields` come back merged into `fields`. */
export interface Sync extends Audited, JsonObject {
  id: string;
  name: string;
  mode?: string;
  active?: boolean;
  fields?: Loose<SyncField>[];
  override_fields?: Loose<SyncField>[];
  identity?: Loose<SyncIdentity>;
  filters?: Loose<SyncFilter>[];
  filter_logic?: string;
  overrides?: Loose<SyncOverride>[];
  schedule?: Loose<Schedule>;
  target?: Loose<Omit<SyncTarget, "create">>;
  only_enrich_updates?: boolean;
  skip_initial_backfill?: boolean;
  sync_all_records?: boolean;
  policies?: string[];
  organization_id?: string;
  model_ids?: string[];
}

/** The lighter item of the 2025-09-18 sync list: no mappings or filters, target not expanded. */
export interface ListSyncItem extends Audited, JsonObject {
  id: string;
  name: string;
  active?: boolean;
  mode?: string;
  model_ids?: string[];
  organization_id?: string;
  schedule?: Loose<Schedule>;
  only_enrich_updates?: boolean;
  skip_initial_backfill?: boolean;
  sync_all_records?: boolean;
  target_connection_id?: string;
  target_object?: string;
}

export interface ListSyncsFilters {
  readonly active?: boolean;
  readonly mode?: string;
  readonly target_connection_id?: string;
}

export interface Pagination extends JsonObject {
  /** Opaque; absent or empty on the last page. */
  next_page_token?: string;
}

/** One page of `GET /api/syncs`. */
export interface SyncPage {
  readonly items: ListSyncItem[];
  readonly pagination: Pagination;
}

// ---------------------------------------------------------------------------------------------
// Sync executions and target discovery

/** `POST /api/syncs/{id}/executions`: all optional; `{}` starts an ordinary run. */
export interface StartSyncExecutionRequest {
  /** Send every record again, not only those changed since the last run. */
  readonly resync?: boolean;
  /** Check a small sample of records without writing to the target. */
  readonly test?: boolean;
  /** Only the records with these identity values. */
  readonly identities?: readonly string[];
}

/** `created`, `scheduled`, `queued`, `waiting`, `running`, `processing`, `canceling`, `canceled`, `completed`, `failed`, `interrupted`. */
export type ExecutionStatus = string;

/** What `POST /api/syncs/{id}/executions` answers. */
export interface StartedExecution extends JsonObject {
  /** The execution's id. */
  id: string;
  status?: ExecutionStatus;
  created_at?: string;
}

export interface ExecutionCounts extends JsonObject {
  total?: number;
  insert?: number;
  update?: number;
  upserts?: number;
  delete?: number;
  error?: number;
  warnings?: number;
}

/** One execution of a sync (`GetExecutionResponseSchema`). */
export interface SyncExecution extends JsonObject {
  id: string;
  /** e.g. `manual`, `scheduled`, `test`. */
  type?: string;
  status?: ExecutionStatus;
  created_at?: string;
  started_at?: string;
  completed_at?: string;
  /** What stopped the execution as a whole; record errors are in the `errors` log. */
  errors?: string[];
  counts?: ExecutionCounts;
}

/** `GET /api/syncs/{id}/status`. */
export interface SyncStatus extends JsonObject {
  current_execution?: SyncExecution;
  last_execution?: SyncExecution;
  next_execution_time?: string;
}

export interface ListExecutionsOptions {
  /** Only executions that have ended. */
  readonly onlyCompleted?: boolean;
  /** Oldest first (default: newest first). */
  readonly ascending?: boolean;
}

/** One page of `GET /api/syncs/{id}/executions`. */
export interface ExecutionPage {
  readonly items: SyncExecution[];
  readonly pagination: Pagination;
}

export type ExecutionLogType =
  "records" | "errors" | "warnings" | "inserts" | "updates" | "deletes";

/** `GET /api/syncs/{sync_id}/executions/{id}/{type}`: signed, short-lived links to the log files. */
export interface ExecutionLogUrls extends JsonObject {
  urls: string[];
  expires?: string;
}

/** A target field (`GET …/modelsync/target/fields`). */
export interface TargetField extends JsonObject {
  id?: string;
  name?: string;
  type?: string;
  source_type?: string;
  description?: string;
  required?: boolean;
  createable?: boolean;
  updateable?: boolean;
  filterable?: boolean;
  association?: boolean;
  encryptable?: boolean;
  supports_identity?: boolean;
  identity_functions?: { id?: string; label?: string }[];
}

/** A sync mode a target object supports. */
export interface TargetMode extends JsonObject {
  mode?: string;
  label?: string;
  description?: string;
  requires_identity?: boolean;
  supports_field_sync_mode?: boolean;
  supports_target_filters?: boolean;
}

/** `GET /api/connections/{id}/modelsync/target/fields?target=…`. */
export interface TargetFields extends JsonObject {
  id: string;
  name?: string;
  fields?: TargetField[];
  modes?: TargetMode[];
  properties?: JsonObject;
  refreshed_at?: string;
}
