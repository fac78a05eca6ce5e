/**
 * Shapes of the model create and update bodies (polytomic-api.md §4.2) and of a Snowflake model's
 * `configuration` (§3.5: query, table, view, schema).
 */
import { badRequest } from "../errors";
import type { SnowflakeSource } from "../model-columns";
import type { Infer } from "./shape";
import { anyValue, array, boolean, object, opt, record, req, string, unsupported } from "./shape";

/** Polytomic's field types (`UtilFieldType`), for user-declared `additional_fields`. */
const FIELD_TYPES = [
  "unknown",
  "string",
  "number",
  "boolean",
  "datetime",
  "array",
  "object",
  "binary",
] as const;

const additionalField = object({
  name: req(string({ nonEmpty: true })),
  type: req(string({ enum: FIELD_TYPES })),
  label: req(string()),
  example: opt(anyValue),
});

const relation = object({
  from: req(string({ nonEmpty: true })),
  to: req(object({ model_id: req(string()), field: req(string({ nonEmpty: true })) })),
});

const common = {
  name: req(string({ nonEmpty: true })),
  connection_id: req(string()),
  configuration: req(record(anyValue)),
  identifier: opt(string()),
  tracking_columns: opt(array(string())),
  fields: opt(array(string())),
  additional_fields: opt(array(additionalField)),
  relations: opt(array(relation)),
  labels: opt(array(string({ nonEmpty: true }))),
  enricher: opt(
    unsupported("enrichment needs an enrichment provider connection, which the emulator lacks"),
  ),
  policies: opt(array(string())),
  organization_id: opt(string()),
};

export const createModelBody = object(common);
export const updateModelBody = object({ ...common, refresh: opt(boolean) });

export type ModelBody = Infer<typeof createModelBody>;

const snowflakeConfiguration = object({
  query: opt(string({ nonEmpty: true })),
  table: opt(string({ nonEmpty: true })),
  view: opt(string({ nonEmpty: true })),
  schema: opt(string()),
});

/** The source a Snowflake model reads: exactly one of `query`, `table` or `view`. */
export function parseSnowflakeSource(configuration: Readonly<Record<string, unknown>>): {
  source: SnowflakeSource;
  stored: Record<string, string>;
} {
  const parsed = snowflakeConfiguration.parse(configuration, "configuration");
  const given = (["query", "table", "view"] as const).filter((key) => parsed[key] !== undefined);
  if (given.length !== 1) {
    throw badRequest(
      `configuration must set exactly one of query, table or view${given.length > 1 ? `, received ${given.join(" and ")}` : ""}`,
      { field: "configuration" },
    );
  }
  const stored: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) stored[key] = value;
  return { source: storedSource(stored), stored };
}

/** The source a stored (already validated) Snowflake configuration reads. */
export function storedSource(stored: Readonly<Record<string, string>>): SnowflakeSource {
  if (stored.query !== undefined) return { query: stored.query };
  const key = stored.table !== undefined ? "table" : "view";
  return {
    table: stored[key] ?? "",
    key,
    ...(stored.schema !== undefined && stored.schema !== "" && { schema: stored.schema }),
  };
}
