/**
 * The connection types the emulator knows (Snowflake and Salesforce), with Polytomic's own JSON
 * Schemas for their `configuration`, served as is by `GET /api/connection_types/{type}` (copied
 * into the package from terraform-provider-polytomic `provider/gen/connections/connectiontypes/`
 * at d0ba3414, which generates them from the live API; salesforce.json re-serialised once, as the
 * source repeats `connect_mode.default` with the same value: nothing may be read from outside the
 * package at run time). The schemas drive validation, defaults, which keys are secrets
 * (`sensitive`) and which are server-managed (`readOnly`).
 *
 * One rule differs from the served schema: Salesforce's lists `client_id` and `client_secret` as
 * required, yet Polytomic's own OAuth flow creates a browser connection from a domain alone
 * (polytomic-api.md §3.6). Which credentials a Salesforce connection needs depends on its
 * `connect_mode`, so validation leaves them to validation/connection-rules.ts.
 */
import Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv";
import salesforceSchema from "./connection-types/salesforce.json";
import snowflakeSchema from "./connection-types/snowflake.json";

export type ConnectionTypeId = "snowflake" | "salesforce";

interface PropertySchema {
  readonly type?: string;
  readonly sensitive?: boolean;
  readonly readOnly?: boolean;
}

interface ConfigurationSchema {
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required?: readonly string[];
}

export interface ConnectionTypeInfo {
  readonly id: ConnectionTypeId;
  readonly name: string;
  readonly logo_url: string;
  readonly operations: readonly string[];
  readonly use_oauth: boolean;
  readonly capabilities: {
    readonly source: boolean;
    readonly destination: boolean;
    readonly enrichment: boolean;
    readonly orchestration: boolean;
  };
  /** The bare JSON Schema, as `GET /api/connection_types/{type}` returns it. */
  readonly schema: object;
  readonly propertyKeys: ReadonlySet<string>;
  readonly sensitiveKeys: ReadonlySet<string>;
  readonly readOnlyKeys: ReadonlySet<string>;
  /** Validates a configuration and fills in schema defaults (mutates its argument). */
  readonly validate: ValidateFunction;
}

const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: true });
// Polytomic's schema annotations: meaningful to its UI and to masking, not to validation.
for (const keyword of ["sensitive", "api_field", "hidden", "password", "widget"]) {
  ajv.addKeyword(keyword);
}

function keysWhere(
  schema: ConfigurationSchema,
  test: (property: PropertySchema) => boolean,
): Set<string> {
  return new Set(
    Object.entries(schema.properties)
      .filter(([, property]) => test(property))
      .map(([key]) => key),
  );
}

function defineType(
  base: Omit<
    ConnectionTypeInfo,
    "propertyKeys" | "sensitiveKeys" | "readOnlyKeys" | "validate" | "schema"
  >,
  schema: ConfigurationSchema,
  requiredByMode: readonly string[] = [],
): ConnectionTypeInfo {
  const required = (schema.required ?? []).filter((key) => !requiredByMode.includes(key));
  return {
    ...base,
    schema,
    propertyKeys: new Set(Object.keys(schema.properties)),
    sensitiveKeys: keysWhere(schema, (property) => property.sensitive === true),
    readOnlyKeys: keysWhere(schema, (property) => property.readOnly === true),
    validate: ajv.compile({ ...schema, $id: undefined, required }),
  };
}

const LOGO_BASE = "https://app.polytomic.com/static/logos";

export const CONNECTION_TYPES: ReadonlyMap<ConnectionTypeId, ConnectionTypeInfo> = new Map([
  [
    "snowflake",
    defineType(
      {
        id: "snowflake",
        name: "Snowflake",
        logo_url: `${LOGO_BASE}/snowflake.svg`,
        operations: [
          "FIELDSETQUERY",
          "SupportsSQL",
          "TARGET",
          "TargetCreator",
          "Filters",
          "IdentityFunctions",
          "BulkSyncSource",
          "IsTruncatable",
        ],
        use_oauth: false,
        capabilities: { source: true, destination: true, enrichment: false, orchestration: false },
      },
      snowflakeSchema,
    ),
  ],
  [
    "salesforce",
    defineType(
      {
        id: "salesforce",
        name: "Salesforce",
        logo_url: `${LOGO_BASE}/salesforce.svg`,
        operations: ["FIELDSETQUERY", "TARGET", "Filters", "IdentityFunctions", "BulkSyncSource"],
        use_oauth: true,
        capabilities: { source: true, destination: true, enrichment: false, orchestration: false },
      },
      salesforceSchema,
      ["client_id", "client_secret"],
    ),
  ],
]);

export function connectionType(id: string): ConnectionTypeInfo | undefined {
  return CONNECTION_TYPES.get(id as ConnectionTypeId);
}

/** One readable line per schema violation, naming the configuration key. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
  return errors.map((error) => {
    const key = error.instancePath.replace(/^\//, "").replaceAll("/", ".");
    const where = key === "" ? "configuration" : `configuration.${key}`;
    if (error.keyword === "required") {
      return `configuration.${String(error.params.missingProperty)} is required`;
    }
    if (error.keyword === "enum") {
      const allowed = (error.params.allowedValues as unknown[]).map(String).join(", ");
      return `${where} must be one of ${allowed}`;
    }
    return `${where} ${error.message ?? "is invalid"}`;
  });
}
