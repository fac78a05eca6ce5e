/**
 * `GET /api/syncs/schedules` (the schedule options a sync can take, each with a JSON-Schema form
 * of its settings, polytomic-api.md §5.1, §5.3) and `POST /api/syncs/{id}/activate` (turn a
 * sync's schedule on or off; a running execution is not cancelled).
 */
import { dataOutcome } from "../outcome";
import type { ApiRoute } from "../router";
import { boolean, object, parseBody, req } from "../validation/shape";
import { findOrNotFound } from "./crud";

const text = (title: string, pattern: string) => ({ type: "string", title, pattern });
const MINUTE = text("Minute (UTC)", "^[0-5]?[0-9]$");
const HOUR = text("Hour (UTC)", "^(1?[0-9]|2[0-3])$");
const DAY_OF_WEEK = {
  type: "string",
  title: "Day of the week",
  description: "0 (Sunday) to 6, or a day name such as monday",
};

function form(properties: Record<string, unknown>, required: string[]) {
  return { type: "object", properties, required, additionalProperties: false };
}

/** The schedules the emulator accepts (builder, dbtcloud and multi are refused on syncs). */
const SCHEDULE_OPTIONS = [
  {
    frequency: "manual",
    label: "Manual",
    description: "Runs only when started",
    configuration: form({}, []),
  },
  {
    frequency: "continuous",
    label: "Continuous",
    description: "Runs again as soon as possible after each run",
    configuration: form({}, []),
  },
  {
    frequency: "hourly",
    label: "Hourly",
    description: "Runs every hour at the given minute",
    configuration: form({ minute: MINUTE }, ["minute"]),
  },
  {
    frequency: "daily",
    label: "Daily",
    description: "Runs every day at the given time (UTC)",
    configuration: form({ hour: HOUR, minute: MINUTE }, ["hour", "minute"]),
  },
  {
    frequency: "weekly",
    label: "Weekly",
    description: "Runs every week on the given day and time (UTC)",
    configuration: form({ day_of_week: DAY_OF_WEEK, hour: HOUR, minute: MINUTE }, [
      "day_of_week",
      "hour",
      "minute",
    ]),
  },
  {
    frequency: "custom",
    label: "Custom",
    description: "Runs on a cron schedule given as its five parts (UTC)",
    configuration: form(
      {
        minute: { type: "string", title: "Minute" },
        hour: { type: "string", title: "Hour" },
        day_of_month: { type: "string", title: "Day of the month" },
        month: { type: "string", title: "Month" },
        day_of_week: { type: "string", title: "Day of the week" },
      },
      ["minute", "hour", "day_of_month", "month", "day_of_week"],
    ),
  },
  {
    frequency: "runafter",
    label: "After other syncs",
    description: "Runs when the given syncs finish",
    configuration: form(
      {
        run_after: form({ sync_ids: { type: "array", items: { type: "string" } } }, ["sync_ids"]),
        run_after_success_only: { type: "boolean", title: "Only after a successful run" },
      },
      ["run_after"],
    ),
  },
];

const activateBody = object({ active: req(boolean) });

export const syncOptionRoutes: ApiRoute[] = [
  {
    method: "GET",
    pattern: "/api/syncs/schedules",
    handler: () => dataOutcome({ schedule_options: SCHEDULE_OPTIONS }),
  },
  {
    method: "POST",
    pattern: "/api/syncs/:id/activate",
    handler: (context) => {
      const sync = findOrNotFound(context.org.syncs, context.params.id, "sync");
      const { active } = parseBody(activateBody, context.body);
      if (sync.active !== active) {
        sync.active = active;
        sync.updated_at = context.env.now();
      }
      return dataOutcome({ id: sync.id, active: sync.active });
    },
  },
];
