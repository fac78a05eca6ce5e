/**
 * Shape of the sync create/update body (polytomic-api.md §5.2, §5.3; TS25 `CreateSyncRequest`).
 * Only shapes and enums here; references to models, fields, connections and target objects are
 * checked in sync.ts.
 */
import {
  FIELD_SYNC_MODES,
  FILTER_FUNCTIONS,
  IDENTITY_FUNCTIONS,
  SCHEDULE_FREQUENCIES,
  SYNC_MODES,
} from "../../core/sync-rules";
import type { Infer } from "./shape";
import { anyValue, array, boolean, integer, object, opt, record, req, string } from "./shape";

/** A model field: `{model_id, field}` (field by name). */
const sourceShape = object({
  model_id: req(string()),
  field: req(string()),
});

const syncField = object({
  target: req(string({ nonEmpty: true })),
  source: opt(sourceShape),
  override_value: opt(string()),
  new: opt(boolean),
  sync_mode: opt(string({ enum: FIELD_SYNC_MODES })),
  encryption_enabled: opt(boolean),
});

const identity = object({
  source: req(sourceShape),
  target: req(string({ nonEmpty: true })),
  function: req(string({ enum: IDENTITY_FUNCTIONS })),
  new_field: opt(boolean),
  remote_field_type_id: opt(string()),
});

const filter = object({
  field: opt(sourceShape),
  field_id: opt(string({ nonEmpty: true })),
  field_type: opt(string({ enum: ["Model", "Target"] })),
  function: req(string({ enum: FILTER_FUNCTIONS })),
  value: opt(anyValue),
  label: opt(string()),
});

const override = object({
  field: opt(sourceShape),
  field_id: opt(string({ nonEmpty: true })),
  function: req(string({ enum: FILTER_FUNCTIONS })),
  value: opt(anyValue),
  override: opt(anyValue),
});

const scheduleShape = object({
  frequency: req(string({ enum: SCHEDULE_FREQUENCIES })),
  minute: opt(string()),
  hour: opt(string()),
  day_of_week: opt(string()),
  day_of_month: opt(string()),
  month: opt(string()),
  run_after: opt(object({ sync_ids: opt(array(string())), bulk_sync_ids: opt(array(string())) })),
  run_after_success_only: opt(boolean),
  connection_id: opt(string()),
  job_id: opt(integer),
});

const target = object({
  connection_id: req(string()),
  object: opt(string({ nonEmpty: true })),
  create: opt(record(string())),
  new_name: opt(string({ nonEmpty: true })),
  configuration: opt(record(anyValue)),
  search_values: opt(record(anyValue)),
  filter_logic: opt(string({ nonEmpty: true })),
});

export const syncBody = object({
  name: req(string({ nonEmpty: true })),
  mode: req(string({ enum: SYNC_MODES })),
  fields: req(array(syncField)),
  schedule: req(scheduleShape),
  target: req(target),
  identity: opt(identity),
  active: opt(boolean),
  override_fields: opt(array(syncField)),
  filters: opt(array(filter)),
  filter_logic: opt(string({ nonEmpty: true })),
  overrides: opt(array(override)),
  only_enrich_updates: opt(boolean),
  skip_initial_backfill: opt(boolean),
  sync_all_records: opt(boolean),
  encryption_passphrase: opt(string()),
  policies: opt(array(string())),
  organization_id: opt(string()),
});

export type SyncBody = Infer<typeof syncBody>;
export type ScheduleBody = Infer<typeof scheduleShape>;
export type SyncFieldBody = Infer<typeof syncField>;
export type FilterBody = Infer<typeof filter>;
export type OverrideBody = Infer<typeof override>;
export type TargetBody = Infer<typeof target>;

/** The settings a Snowflake table accepts as `target.configuration` (§3.5). */
export const snowflakeTargetConfiguration = object({
  preserve_table_on_resync: opt(boolean),
  write_null_values: opt(boolean),
});
