/**
 * Schedules: times as numbers (cron text for `custom`), `runAfter` as sync names. Each frequency
 * accepts exactly its own fields (polytomic-api.md §5.3). The API takes numeric strings and sync
 * ids: the deploy step converts (see lib/cli/deploy/requests.ts).
 */
import type { ScheduleDeclaration } from "../declarations";
import { isPlaceholder } from "../declarations";
import type { IssueCollector } from "../errors";
import { oneOfFix } from "../errors";
import type { ScheduleTimeField } from "../sync-rules";
import { isCronField, SCHEDULE_FREQUENCIES, SCHEDULE_TIME_RANGES } from "../sync-rules";

/** The frequencies a sync can declare: the API's, without those for bulk syncs and dbt Cloud. */
export const FREQUENCIES = SCHEDULE_FREQUENCIES.filter(
  (
    frequency,
  ): frequency is Exclude<
    (typeof SCHEDULE_FREQUENCIES)[number],
    "builder" | "multi" | "dbtcloud"
  > => frequency !== "builder" && frequency !== "multi" && frequency !== "dbtcloud",
);
/** How often a sync runs: `SyncSchedule.frequency`. */
export type Frequency = (typeof FREQUENCIES)[number];

export type TimeField = "minute" | "hour" | "dayOfWeek" | "dayOfMonth" | "month";

/** Each prop's API field and meaning; ranges come from the API's rules. */
export const TIME_FIELDS: Readonly<Record<TimeField, { api: ScheduleTimeField; meaning: string }>> =
  {
    minute: { api: "minute", meaning: "minute of the hour" },
    hour: { api: "hour", meaning: "hour of the day, UTC" },
    dayOfWeek: { api: "day_of_week", meaning: "day of the week, 0 = Sunday" },
    dayOfMonth: { api: "day_of_month", meaning: "day of the month" },
    month: { api: "month", meaning: "month, 1 = January" },
  };

const TIME_FIELD_NAMES = Object.keys(TIME_FIELDS) as TimeField[];

export const FIELDS_BY_FREQUENCY: Readonly<Record<Frequency, readonly (TimeField | "runAfter")[]>> =
  {
    manual: [],
    continuous: [],
    hourly: ["minute"],
    daily: ["hour", "minute"],
    weekly: ["dayOfWeek", "hour", "minute"],
    custom: ["minute", "hour", "dayOfMonth", "month", "dayOfWeek"],
    runafter: ["runAfter"],
  };

function isFrequency(value: unknown): value is Frequency {
  return typeof value === "string" && (FREQUENCIES as readonly string[]).includes(value);
}

function checkTime(
  issues: IssueCollector,
  property: string,
  field: TimeField,
  value: unknown,
  cron: boolean,
): void {
  if (isPlaceholder(value)) return;
  const { api, meaning } = TIME_FIELDS[field];
  const range = SCHEDULE_TIME_RANGES[api];
  const [min, max] = range;
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return;
  if (cron && typeof value === "string" && isCronField(value, range)) return;
  issues.add({
    property,
    received: value,
    problem:
      value === undefined
        ? "is required for this frequency"
        : `must be a whole number from ${min} to ${max}${cron ? " or a cron field" : ""}`,
    fix: `Set ${property} to the ${meaning} (${min}-${max})${cron ? `, or a cron field such as "*", "*/15" or "1-5"` : ""}.`,
  });
}

/** Validates a schedule declaration. */
export function checkSchedule(
  issues: IssueCollector,
  schedule: ScheduleDeclaration,
  property = "schedule",
): void {
  if (!isFrequency(schedule.frequency)) {
    issues.add({
      property: `${property}.frequency`,
      received: schedule.frequency,
      problem: "is not a schedule frequency",
      fix: oneOfFix(schedule.frequency, FREQUENCIES),
    });
    return;
  }
  const frequency = schedule.frequency;
  const wanted = FIELDS_BY_FREQUENCY[frequency];
  for (const field of TIME_FIELD_NAMES) {
    const value = schedule[field];
    const fieldProperty = `${property}.${field}`;
    if (wanted.includes(field)) {
      checkTime(issues, fieldProperty, field, value, frequency === "custom");
    } else if (value !== undefined) {
      issues.add({
        property: fieldProperty,
        received: value,
        problem: `does not apply to a "${frequency}" schedule`,
        fix: `Remove ${fieldProperty}${wanted.length ? `; a "${frequency}" schedule takes ${wanted.join(", ")}` : ""}.`,
      });
    }
  }
  const runAfter = schedule.runAfter;
  if (frequency === "runafter") {
    if (!runAfter || runAfter.length === 0) {
      issues.add({
        property: `${property}.runAfter`,
        received: runAfter,
        problem: "must list at least one sync",
        fix: `Set ${property}.runAfter to the syncs this one runs after, e.g. runAfter: [otherSync].`,
      });
    }
  } else if (runAfter !== undefined) {
    issues.add({
      property: `${property}.runAfter`,
      received: runAfter,
      problem: `does not apply to a "${frequency}" schedule`,
      fix: `Remove ${property}.runAfter, or use frequency "runafter".`,
    });
  }
}
