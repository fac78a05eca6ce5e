/**
 * The emulator's stored state, one {@link OrgState} per API key. Maps, not plain objects, hold
 * records so that no client-supplied id or key can reach an object's prototype. Records hold what
 * the server knows (secrets in clear, write-only fields); responses are rendered from them by the routes, so
 * masking and the other response normalisations live in one place per resource.
 */
import type { ConnectionTypeId } from "./connection-types";

export interface ConnectionRecord extends Audit {
  readonly id: string;
  name: string;
  readonly type: ConnectionTypeId;
  /** Full configuration, secrets in clear and server-managed keys (Salesforce `username`) included. */
  configuration: Record<string, unknown>;
  status: "healthy" | "unhealthy";
  status_error?: string;
  policies: string[];
  healthcheck_interval?: string;
  redirect_url?: string;
  /** Present while a Salesforce browser/code OAuth hand-off awaits the user. */
  oauth_pending?: { readonly auth_code?: string };
  readonly created_at: string;
  updated_at: string;
}

export interface ModelFieldRecord {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly remote_type: string;
  readonly user_added: boolean;
  readonly example?: unknown;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface RelationRecord {
  readonly from: string;
  readonly to: { readonly model_id: string; readonly field: string };
}

export interface ModelRecord extends Audit {
  readonly id: string;
  name: string;
  connection_id: string;
  /** The source connection's type id: model responses carry it as a string. */
  type: ConnectionTypeId;
  configuration: Record<string, string>;
  identifier?: string;
  tracking_columns: string[];
  fields: ModelFieldRecord[];
  relations: RelationRecord[];
  labels: string[];
  policies: string[];
  version: number;
  readonly created_at: string;
  updated_at: string;
}

export interface SourceRef {
  readonly model_id: string;
  readonly field: string;
}

export interface SyncFieldRecord {
  readonly target: string;
  readonly source?: SourceRef;
  readonly override_value?: string;
  readonly new?: boolean;
  readonly sync_mode?: string;
  readonly encryption_enabled?: boolean;
}

export interface IdentityRecord {
  readonly source: SourceRef;
  readonly target: string;
  readonly function: string;
  readonly new_field?: boolean;
  readonly remote_field_type_id?: string;
}

export interface FilterRecord {
  /** Model filters: the source field; target filters have none. */
  readonly field?: SourceRef;
  /** Model filters: the model field's uuid; target filters: the target field id. */
  readonly field_id: string;
  readonly field_type: "Model" | "Target";
  readonly function: string;
  readonly value?: unknown;
  readonly label: string;
}

export interface OverrideRecord {
  readonly field: SourceRef;
  readonly field_id: string;
  readonly function: string;
  readonly value?: unknown;
  readonly override?: string;
}

export interface ScheduleRecord {
  readonly frequency: string;
  readonly minute?: string;
  readonly hour?: string;
  readonly day_of_week?: string;
  readonly day_of_month?: string;
  readonly month?: string;
  readonly run_after?: { readonly sync_ids: string[]; readonly bulk_sync_ids: string[] };
  readonly run_after_success_only?: boolean;
}

export interface TargetRecord {
  readonly connection_id: string;
  readonly object?: string;
  readonly new_name?: string;
  /** Write-only: stored, never returned (§5.5). */
  readonly create?: Record<string, string>;
  readonly configuration?: Record<string, unknown>;
  readonly search_values?: Record<string, unknown>;
  readonly filter_logic?: string;
}

export interface SyncRecord extends Audit {
  readonly id: string;
  name: string;
  mode: string;
  active: boolean;
  fields: SyncFieldRecord[];
  override_fields: SyncFieldRecord[];
  identity?: IdentityRecord;
  filters: FilterRecord[];
  filter_logic?: string;
  overrides: OverrideRecord[];
  schedule: ScheduleRecord;
  target: TargetRecord;
  only_enrich_updates: boolean;
  skip_initial_backfill: boolean;
  sync_all_records: boolean;
  /** Write-only: stored, never returned (§5.5). */
  encryption_passphrase?: string;
  policies: string[];
  model_ids: string[];
  readonly created_at: string;
  updated_at: string;
}

/** A stored request outcome, replayed for later requests carrying the same Idempotency-Key. */
export interface IdempotencyRecord {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Epoch milliseconds. */
  readonly stored_at: number;
}

export const EXECUTION_STATUSES = [
  "created",
  "scheduled",
  "queued",
  "waiting",
  "running",
  "processing",
  "canceling",
  "canceled",
  "completed",
  "failed",
  "interrupted",
] as const;

export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Statuses after which an execution never changes again. */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = [
  "canceled",
  "completed",
  "failed",
  "interrupted",
];

export interface ExecutionCounts {
  total: number;
  insert: number;
  update: number;
  upserts: number;
  delete: number;
  error: number;
  warnings: number;
}

export const EXECUTION_LOG_TYPES = [
  "records",
  "errors",
  "warnings",
  "inserts",
  "updates",
  "deletes",
] as const;

export type ExecutionLogType = (typeof EXECUTION_LOG_TYPES)[number];

/** One line of an execution's log: the record (its identity and values) and what happened. */
export interface ExecutionLogEntry {
  /** The record's identity value, or its tracking key when the sync has no identity. */
  readonly identity?: unknown;
  /** The target record's id, when one was written or matched. */
  readonly id?: string;
  /** Target field → value, as sent to the target. */
  readonly record?: Readonly<Record<string, unknown>>;
  readonly operation?: "insert" | "update" | "delete" | "unchanged" | "skip" | "error";
  /** Errors: the target field at fault and the target's status code. */
  readonly field?: string;
  readonly code?: string;
  readonly message?: string;
}

export interface ExecutionRecord {
  readonly id: string;
  readonly sync_id: string;
  /** `manual` (started through the API), `scheduled` (by the schedule) or `test`. */
  readonly type: "manual" | "scheduled" | "test";
  status: ExecutionStatus;
  readonly created_at: string;
  started_at?: string;
  completed_at?: string;
  /** What stopped the execution as a whole; per-record errors are in `logs.errors`. */
  errors: string[];
  counts: ExecutionCounts;
  readonly resync: boolean;
  readonly identities?: readonly string[];
  logs: Record<ExecutionLogType, ExecutionLogEntry[]>;
}

/** What a sync last sent per record (tracking key → target values), so later runs send only changes. */
export type SyncSnapshot = Map<string, Readonly<Record<string, unknown>>>;

export type JobStatus = "created" | "running" | "done" | "failed";

/** A background job (polytomic-api.md §7): `?async=true` model writes. */
export interface JobRecord {
  readonly job_id: string;
  readonly type: "createmodel" | "updatemodel";
  status: JobStatus;
  result?: unknown;
  error?: string;
}

export interface OrgState {
  readonly id: string;
  readonly name: string;
  /** The user the organization's API key acts as. */
  readonly user: Actor;
  readonly connections: Map<string, ConnectionRecord>;
  readonly models: Map<string, ModelRecord>;
  readonly syncs: Map<string, SyncRecord>;
  /** Keyed by the Idempotency-Key as sent (keys are scoped to the organization). */
  readonly idempotency: Map<string, IdempotencyRecord>;
  readonly executions: Map<string, ExecutionRecord>;
  /** Per sync id. */
  readonly snapshots: Map<string, SyncSnapshot>;
  /** Jobs live as long as the process: they are polled for seconds, not kept. */
  readonly jobs: Map<string, JobRecord>;
  /** Bumped whenever executions or snapshots change, so they are re-serialised only then. */
  runRevision: number;
}

/**
 * Who created or last changed an object. API keys are user keys (polytomic-api.md §12, M11): a
 * key acts as its organization's user; a person in the UI is another user of it.
 */
export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly type: "user";
}

/** Who wrote a record; records saved before the emulator kept it were written by the key's user. */
export interface Audit {
  readonly created_by?: Actor;
  readonly updated_by?: Actor;
}

/** The audit fields of a response: who created and who last changed the record. */
export function auditOf(record: Audit, org: OrgState): { created_by: Actor; updated_by: Actor } {
  return {
    created_by: record.created_by ?? org.user,
    updated_by: record.updated_by ?? record.created_by ?? org.user,
  };
}
