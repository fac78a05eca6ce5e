/**
 * When a sync's schedule next runs (polytomic-api.md §5.3), in UTC: hourly at `minute`, daily at
 * `hour:minute`, weekly on `day_of_week` (0–6 from Sunday, or a day name), custom from the five
 * cron parts. Manual, continuous and runafter schedules have no clock time.
 */
import type { ScheduleRecord } from "../records";

const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Search a little over four years ahead (a leap day); a cron matching nothing by then never runs. */
const HORIZON_MS = (4 * 366 + 1) * DAY_MS;

/** The set of values a cron part allows, within `low..high`; undefined means every value. */
function cronSet(part: string | undefined, low: number, high: number): Set<number> | undefined {
  if (part === undefined || part === "*") return undefined;
  const values = new Set<number>();
  for (const item of part.split(",")) {
    const [span, stepText] = item.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = low;
    let to = high;
    if (span !== "*") {
      const [a, b] = span.split("-");
      from = Number(
        DAY_NAMES.indexOf(a.toLowerCase()) >= 0 ? DAY_NAMES.indexOf(a.toLowerCase()) : a,
      );
      to = b === undefined ? (stepText === undefined ? from : high) : Number(b);
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function cronParts(schedule: ScheduleRecord): (string | undefined)[] | undefined {
  switch (schedule.frequency) {
    case "hourly":
      return [schedule.minute, "*", "*", "*", "*"];
    case "daily":
      return [schedule.minute, schedule.hour, "*", "*", "*"];
    case "weekly":
      return [schedule.minute, schedule.hour, "*", "*", schedule.day_of_week];
    case "custom":
      return [
        schedule.minute,
        schedule.hour,
        schedule.day_of_month,
        schedule.month,
        schedule.day_of_week,
      ];
    default:
      return undefined;
  }
}

/** The first time strictly after `after` the schedule fires, or undefined if it has no clock time. */
export function nextRunTime(schedule: ScheduleRecord, after: Date): Date | undefined {
  const parts = cronParts(schedule);
  if (parts === undefined) return undefined;
  const [minutes, hours, days, months, weekdays] = [
    cronSet(parts[0], 0, 59),
    cronSet(parts[1], 0, 23),
    cronSet(parts[2], 1, 31),
    cronSet(parts[3], 1, 12),
    cronSet(parts[4], 0, 6),
  ];
  const start = Math.floor(after.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  // Minute by minute, skipping to the next day or hour when the current one cannot match.
  for (let time = start; time < start + HORIZON_MS;) {
    const date = new Date(time);
    const dayMatches = !days || days.has(date.getUTCDate());
    const weekdayMatches = !weekdays || weekdays.has(date.getUTCDay());
    // As in cron: with both restricted, either one matching is enough.
    const dayOk = days && weekdays ? dayMatches || weekdayMatches : dayMatches && weekdayMatches;
    if ((months && !months.has(date.getUTCMonth() + 1)) || !dayOk) {
      time = Math.floor(time / DAY_MS) * DAY_MS + DAY_MS;
    } else if (hours && !hours.has(date.getUTCHours())) {
      time = Math.floor(time / HOUR_MS) * HOUR_MS + HOUR_MS;
    } else if (minutes && !minutes.has(date.getUTCMinutes())) {
      time += MINUTE_MS;
    } else {
      return date;
    }
  }
  return undefined;
}
