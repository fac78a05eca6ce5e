/**
 * The Terraform values of a declaration, recovered from the state without running Terraform: the
 * stack file holds placeholders where the code used tokens, and the state holds the same
 * declaration as last applied, values resolved, at the same places. A value whose surroundings
 * changed in the code since (a `$concat` whose text parts no longer match) cannot be recovered.
 */
import { isPlaceholder } from "../../core/declarations";

/** The declaration with its placeholders filled from `recorded`; undefined when one cannot be. */
export function fillFromRecord(declared: unknown, recorded: unknown): unknown {
  const missing = Symbol("missing");
  const fill = (value: unknown, record: unknown): unknown => {
    if (isPlaceholder(value)) {
      if (record === undefined) throw missing;
      // A value Terraform resolved to null is null (an optional setting left out).
      if ("$value" in value) return record;
      if (typeof record !== "string") throw missing;
      const pattern = value.$concat
        .map((part) =>
          typeof part === "string" ? part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : "([\\s\\S]*)",
        )
        .join("");
      if (!new RegExp(`^${pattern}$`).test(record)) throw missing;
      return record;
    }
    if (Array.isArray(value)) {
      const records = Array.isArray(record) ? record : [];
      return value.map((item, index) => fill(item, records[index]));
    }
    if (typeof value === "object" && value !== null) {
      const records = (typeof record === "object" && record !== null ? record : {}) as Record<
        string,
        unknown
      >;
      return Object.fromEntries(
        Object.entries(value).map(([key, member]) => [key, fill(member, records[key])]),
      );
    }
    return value;
  };
  try {
    return fill(declared, recorded);
  } catch (error) {
    if (error === missing) return undefined;
    throw error;
  }
}
