/**
 * The props each construct takes, as schemas (see props.ts). Content rules (formats, ranges,
 * cross-prop rules) live in the validators of each kind; these say which keys exist and what
 * type each holds.
 */
import type { PropsSchema } from "./props";
import { flag, listOf, object, reference, text } from "./props";

const number = { type: ["number", "string"] } as const;
/** Known at synth: it decides the claim the stack records. */
const adoptExisting = { type: "boolean" } as const;
const dependsOn = listOf(reference);
/**
 * A secret, a model field, a connection or a constant: the construct checks these itself, with
 * messages that say what is expected (and that never echo a secret given as a plain string).
 */
const checkedByConstruct = {};

export const SNOWFLAKE_PROPS: PropsSchema = object(
  {
    name: text,
    account: text,
    username: text,
    dbname: text,
    warehouse: text,
    params: text,
    password: checkedByConstruct,
    privateKey: checkedByConstruct,
    privateKeyPassphrase: checkedByConstruct,
    adoptExisting,
    dependsOn,
  },
  ["name", "account", "username", "dbname"],
);

export const SALESFORCE_PROPS: PropsSchema = object(
  {
    name: text,
    domain: text,
    redirectUrl: text,
    connectMode: text,
    clientId: checkedByConstruct,
    clientSecret: checkedByConstruct,
    refreshToken: checkedByConstruct,
    adoptExisting,
    dependsOn,
  },
  ["name", "domain"],
);

export const QUERY_MODEL_PROPS: PropsSchema = object(
  {
    name: text,
    connection: checkedByConstruct,
    query: text,
    columns: listOf(text),
    identifier: text,
    trackingColumns: listOf(text),
    adoptExisting,
    dependsOn,
  },
  ["name", "connection", "query"],
);

const source = checkedByConstruct;

export const MODEL_SYNC_PROPS: PropsSchema = object(
  {
    name: text,
    mode: text,
    target: object({ connection: checkedByConstruct, object: text }, ["connection", "object"]),
    identity: object({ source, target: text, function: text, newField: flag }, [
      "source",
      "target",
    ]),
    fields: listOf(
      object({ source, target: text, syncMode: text, new: flag }, ["source", "target"]),
    ),
    overrideFields: listOf(
      object({ target: text, value: checkedByConstruct }, ["target", "value"]),
    ),
    filters: listOf(object({ source, function: text, value: {} }, ["source", "function"])),
    filterLogic: text,
    schedule: object(
      {
        frequency: text,
        minute: number,
        hour: number,
        dayOfWeek: number,
        dayOfMonth: number,
        month: number,
        runAfter: listOf(checkedByConstruct),
      },
      ["frequency"],
    ),
    active: flag,
    skipInitialBackfill: flag,
    syncAllRecords: flag,
    testRun: { type: "boolean" },
    adoptExisting,
    dependsOn,
  },
  ["name", "mode", "target", "fields", "schedule"],
);

/** Only which keys exist: resolveSettings (constructs/settings.ts) checks each value itself. */
export const SETTINGS_PROPS: PropsSchema = object({
  apiUrl: checkedByConstruct,
  apiVersion: checkedByConstruct,
  apiKeyVariable: checkedByConstruct,
  engine: checkedByConstruct,
  adoptExisting: checkedByConstruct,
  reconcile: checkedByConstruct,
});
