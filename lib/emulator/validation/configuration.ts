/**
 * Builds a connection's stored `configuration` from what the client sent (polytomic-api.md §3.2,
 * §3.4): server-managed `readOnly` keys sent by a client are ignored; keys the type's schema does
 * not define are refused; a secret (`sensitive`) omitted or sent back as the mask keeps its stored
 * value, while omitted non-secret keys are cleared (PUT is a full replacement); then schema
 * defaults are applied and the result is validated against the type's JSON Schema.
 */
import type { ConnectionTypeInfo } from "../connection-types";
import { describeSchemaErrors } from "../connection-types";
import { badRequest } from "../errors";

/** How every secret is rendered in responses. */
export const MASK = "********";

export interface BuiltConfiguration {
  readonly configuration: Record<string, unknown>;
  /** Secret keys the client sent a real value for (not omitted, not the mask). */
  readonly sentSecrets: ReadonlySet<string>;
}

export function buildConfiguration(
  type: ConnectionTypeInfo,
  sent: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>> = {},
): BuiltConfiguration {
  const configuration: Record<string, unknown> = {};
  const sentSecrets = new Set<string>();
  for (const [key, value] of Object.entries(sent)) {
    if (type.readOnlyKeys.has(key)) continue;
    if (!type.propertyKeys.has(key)) {
      throw badRequest(
        `configuration.${key} is not a ${type.name} setting; known settings: ${[...type.propertyKeys].filter((known) => !type.readOnlyKeys.has(known)).join(", ")}`,
        { field: `configuration.${key}` },
      );
    }
    if (type.sensitiveKeys.has(key) && value === MASK) continue;
    configuration[key] = value;
    if (type.sensitiveKeys.has(key)) sentSecrets.add(key);
  }
  for (const key of type.sensitiveKeys) {
    if (!(key in configuration) && stored[key] !== undefined) configuration[key] = stored[key];
  }
  if (!type.validate(configuration)) {
    const problems = describeSchemaErrors(type.validate.errors ?? []);
    throw badRequest(`invalid ${type.name} configuration: ${problems.join("; ")}`, {
      errors: problems,
    });
  }
  return { configuration, sentSecrets };
}

/** A copy of `configuration` with every secret replaced by {@link MASK}. */
export function maskConfiguration(
  type: ConnectionTypeInfo,
  configuration: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configuration)) {
    masked[key] = type.sensitiveKeys.has(key) ? MASK : value;
  }
  return masked;
}
