/**
 * Schedules: the props take numbers (and, for `runafter`, the syncs themselves); the API takes
 * numeric strings and sync ids. Each frequency accepts exactly its own fields (polytomic-api.md §5.3).
 */
import type { ScheduleSpec } from "../contract";
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
export type Frequency = (typeof FREQUENCIES)[number];

type TimeField = "minute" | "hour" | "dayOfWeek" | "dayOfMonth" | "month";

export interface ScheduleInput {
  readonly frequency: unknown;
  readonly minute?: unknown;
  readonly hour?: unknown;
  readonly dayOfWeek?: unknown;
  readonly dayOfMonth?: unknown;
  readonly month?: unknown;
  /** Names of the syncs to run after, already resolved by the caller. */
  readonly runAfter?: readonly string[];
}

/** Each prop's API field and meaning; ranges come from the API's rules. */
const FIELDS: Record<TimeField, { api: ScheduleTimeField; meaning: string }> = {
  minute: { api: "minute", meaning: "minute of the hour" },
  hour: { api: "hour", meaning: "hour of the day, UTC" },
  dayOfWeek: { api: "day_of_week", meaning: "day of the week, 0 = Sunday" },
  dayOfMonth: { api: "day_of_month", meaning: "day of the month" },
  month: { api: "month", meaning: "month, 1 = January" },
};

const TIME_FIELDS = Object.keys(FIELDS) as TimeField[];

const FIELDS_BY_FREQUENCY: Record<Frequency, readonly (TimeField | "runAfter")[]> = {
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

function timeValue(
  issues: IssueCollector,
  property: string,
  field: TimeField,
  value: unknown,
  cron: boolean,
): string | undefined {
  const { api, meaning } = FIELDS[field];
  const range = SCHEDULE_TIME_RANGES[api];
  const [min, max] = range;
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max)
    return String(value);
  if (cron && typeof value === "string" && isCronField(value, range)) return value;
  issues.add({
    property,
    received: value,
    problem:
      value === undefined
        ? "is required for this frequency"
        : `must be a whole number from ${min} to ${max}${cron ? " or a cron field" : ""}`,
    fix: `Set ${property} to the ${meaning} (${min}-${max})${cron ? `, or a cron field such as "*", "*/15" or "1-5"` : ""}.`,
  });
  return undefined;
}

/** Validates a schedule and converts it to the API's shape; undefined when it has issues. */
export function buildSchedule(
  issues: IssueCollector,
  input: ScheduleInput,
  property = "schedule",
): ScheduleSpec | undefined {
  const before = issues.issues.length;
  if (!isFrequency(input.frequency)) {
    issues.add({
      property: `${property}.frequency`,
      received: input.frequency,
      problem: "is not a schedule frequency",
      fix: oneOfFix(input.frequency, FREQUENCIES),
    });
    return undefined;
  }
  const frequency = input.frequency;
  const wanted = FIELDS_BY_FREQUENCY[frequency];
  const spec: Record<string, unknown> = { frequency };

  for (const field of TIME_FIELDS) {
    const value = input[field];
    const fieldProperty = `${property}.${field}`;
    if (!wanted.includes(field)) {
      if (value !== undefined) {
        issues.add({
          property: fieldProperty,
          received: value,
          problem: `does not apply to a "${frequency}" schedule`,
          fix: `Remove ${fieldProperty}${wanted.length ? `; a "${frequency}" schedule takes ${wanted.join(", ")}` : ""}.`,
        });
      }
      continue;
    }
    const text = timeValue(issues, fieldProperty, field, value, frequency === "custom");
    if (text !== undefined) spec[FIELDS[field].api] = text;
  }

  const runAfter = input.runAfter;
  if (frequency === "runafter") {
    if (!runAfter || runAfter.length === 0) {
      issues.add({
        property: `${property}.runAfter`,
        received: runAfter,
        problem: "must list at least one sync",
        fix: `Set ${property}.runAfter to the syncs this one runs after, e.g. runAfter: [otherSync].`,
      });
    } else {
      spec.run_after = { syncs: [...runAfter] };
    }
  } else if (runAfter !== undefined) {
    issues.add({
      property: `${property}.runAfter`,
      received: runAfter,
      problem: `does not apply to a "${frequency}" schedule`,
      fix: `Remove ${property}.runAfter, or use frequency "runafter".`,
    });
  }
  return issues.issues.length === before ? (spec as unknown as ScheduleSpec) : undefined;
}
