/** Small checks shared by every kind of object. */
import type { IssueCollector } from "../errors";

/** A required, non-blank string. Returns the value when it is one. */
export function requireText(
  issues: IssueCollector,
  property: string,
  value: unknown,
  fix: string,
): value is string {
  if (typeof value === "string" && value.trim() !== "") return true;
  issues.add({
    property,
    received: value,
    problem: typeof value === "string" ? "is blank" : "must be a non-empty string",
    fix,
  });
  return false;
}

/** An optional string: absent is fine, present must be non-blank. */
export function optionalText(
  issues: IssueCollector,
  property: string,
  value: unknown,
  fix: string,
): boolean {
  return value === undefined || requireText(issues, property, value, fix);
}

export function optionalBoolean(issues: IssueCollector, property: string, value: unknown): boolean {
  if (value === undefined || typeof value === "boolean") return true;
  issues.add({
    property,
    received: value,
    problem: "must be true or false",
    fix: `Set ${property} to true or false, or leave it out.`,
  });
  return false;
}

/** Values that appear more than once, in first-seen order. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}

/** An object's name: required, since it is the object's identity in Polytomic. */
export function requireName(issues: IssueCollector, value: unknown, kind: string): value is string {
  return requireText(
    issues,
    "name",
    value,
    `Give the ${kind} a name; it is the ${kind}'s identity in Polytomic.`,
  );
}
