/**
 * Sync schedules (polytomic-api.md §5.3). Each frequency takes exactly its own fields, as numeric
 * strings in range: hourly `minute`; daily `hour`+`minute`; weekly `day_of_week`+`hour`+`minute`;
 * custom the five cron parts (`minute hour day_of_month month day_of_week`, each `*` or numbers,
 * ranges, lists and steps); runafter `run_after.sync_ids` of existing syncs of the organization,
 * without cycles. manual and continuous take nothing. `day_of_week` is 0–6 (0 = Sunday) or a day
 * name, since the sources disagree on the format. builder, multi (bulk syncs only) and dbtcloud
 * (needs a dbt Cloud connection) cannot be emulated and are refused.
 */
import type { ScheduleTimeField } from "../../core/sync-rules";
import { isCronField, isScheduleNumber, SCHEDULE_TIME_RANGES } from "../../core/sync-rules";
import { badRequest, unprocessable } from "../errors";
import type { OrgState, ScheduleRecord } from "../records";
import type { ScheduleBody } from "./sync-body";

type TimeField = ScheduleTimeField;
type ScheduleField =
  TimeField | "run_after" | "run_after_success_only" | "connection_id" | "job_id";

const FIELDS_BY_FREQUENCY: Readonly<Record<string, readonly ScheduleField[]>> = {
  manual: [],
  continuous: [],
  hourly: ["minute"],
  daily: ["hour", "minute"],
  weekly: ["day_of_week", "hour", "minute"],
  custom: ["minute", "hour", "day_of_month", "month", "day_of_week"],
  runafter: ["run_after", "run_after_success_only"],
};

const UNSUPPORTED: Readonly<Record<string, string>> = {
  builder: "the schedule builder's encoding is undocumented; use custom with the five cron parts",
  multi: "multi schedules apply to bulk syncs only",
  dbtcloud: "it needs a dbt Cloud connection, which the emulator cannot create",
};

const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

function invalid(field: TimeField, value: string, expected: string): Error {
  return badRequest(`schedule.${field} must be ${expected}, received ${JSON.stringify(value)}`, {
    field: `schedule.${field}`,
  });
}

function checkPlain(field: TimeField, value: string): void {
  if (field === "day_of_week" && DAY_NAMES.includes(value.toLowerCase())) return;
  const [low, high] = SCHEDULE_TIME_RANGES[field];
  if (isScheduleNumber(value, [low, high])) return;
  const names = field === "day_of_week" ? " or a day name such as monday" : "";
  throw invalid(field, value, `a whole number from ${low} to ${high} as a string${names}`);
}

function checkCron(field: TimeField, value: string): void {
  const [low, high] = SCHEDULE_TIME_RANGES[field];
  if (!isCronField(value, [low, high])) {
    throw invalid(
      field,
      value,
      `a cron field (*, numbers ${low}-${high}, ranges, lists and /steps)`,
    );
  }
}

/** Whether following run_after links from `start` leads back to the sync `self` (a cycle). */
function leadsBackTo(org: OrgState, start: readonly string[], self: string): boolean {
  const seen = new Set<string>();
  const queue = [...start];
  for (let index = 0; index < queue.length; index += 1) {
    const id = queue[index];
    if (id === self) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(org.syncs.get(id)?.schedule.run_after?.sync_ids ?? []));
  }
  return false;
}

function checkRunAfter(org: OrgState, body: ScheduleBody, syncId: string): ScheduleRecord {
  const syncIds = [...new Set(body.run_after?.sync_ids ?? [])];
  const [bulkId] = body.run_after?.bulk_sync_ids ?? [];
  if (bulkId !== undefined) {
    throw unprocessable(`schedule.run_after.bulk_sync_ids: bulk sync ${bulkId} not found`, {
      field: "schedule.run_after.bulk_sync_ids",
    });
  }
  if (syncIds.length === 0) {
    throw badRequest(
      "schedule.run_after.sync_ids must name at least one sync for frequency runafter",
      {
        field: "schedule.run_after.sync_ids",
      },
    );
  }
  for (const id of syncIds) {
    if (!org.syncs.has(id)) {
      throw unprocessable(`schedule.run_after.sync_ids: sync ${id} not found`, {
        field: "schedule.run_after.sync_ids",
      });
    }
  }
  if (leadsBackTo(org, syncIds, syncId)) {
    throw unprocessable("schedule.run_after would make this sync wait for itself (a cycle)", {
      field: "schedule.run_after.sync_ids",
    });
  }
  return {
    frequency: body.frequency,
    run_after: { sync_ids: syncIds, bulk_sync_ids: [] },
    ...(body.run_after_success_only !== undefined && {
      run_after_success_only: body.run_after_success_only,
    }),
  };
}

/** Validates `body` for the sync `syncId` (a new id on create) and returns the stored schedule. */
export function checkSchedule(org: OrgState, body: ScheduleBody, syncId: string): ScheduleRecord {
  const reason = UNSUPPORTED[body.frequency];
  if (reason !== undefined) {
    throw unprocessable(`schedule.frequency ${body.frequency} is not supported: ${reason}`, {
      field: "schedule.frequency",
    });
  }
  const allowed = FIELDS_BY_FREQUENCY[body.frequency];
  for (const [key, value] of Object.entries(body)) {
    if (key === "frequency" || value === undefined) continue;
    if (!allowed.includes(key as ScheduleField)) {
      throw badRequest(`schedule.${key} is not used with frequency ${body.frequency}`, {
        field: `schedule.${key}`,
      });
    }
  }
  if (body.frequency === "runafter") return checkRunAfter(org, body, syncId);
  const schedule: Partial<Record<TimeField, string>> = {};
  for (const field of allowed as readonly TimeField[]) {
    const value = body[field];
    if (value === undefined) {
      throw badRequest(`schedule.${field} is required for frequency ${body.frequency}`, {
        field: `schedule.${field}`,
      });
    }
    if (body.frequency === "custom") checkCron(field, value);
    else checkPlain(field, value);
    schedule[field] = value;
  }
  return { frequency: body.frequency, ...schedule };
}
