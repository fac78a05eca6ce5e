/**
 * Small checks shared by every kind of object. A value Terraform resolves at apply (a placeholder)
 * is skipped here, as AWS CDK skips unresolved tokens; the deploy step checks it once resolved.
 */
import { isPlaceholder } from "../declarations";
import type { IssueCollector } from "../errors";

/** Whether `value` is known now (not a Terraform value resolved at apply). */
export function isKnown(value: unknown): boolean {
  return !isPlaceholder(value);
}

/** A required, non-blank string (or a value known only at apply). */
export function requireText(
  issues: IssueCollector,
  property: string,
  value: unknown,
  fix: string,
): boolean {
  if (isPlaceholder(value) || (typeof value === "string" && value.trim() !== "")) return true;
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
  if (value === undefined || typeof value === "boolean" || isPlaceholder(value)) return true;
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

/** An object's name: required and concrete, since it is the object's identity in Polytomic. */
export function requireName(issues: IssueCollector, value: unknown, kind: string): boolean {
  if (isPlaceholder(value)) {
    issues.add({
      property: "name",
      received: "a Terraform value",
      problem: `is known only at apply, but a ${kind}'s name is its identity: the stack must know it at synth to find, update and delete the ${kind}`,
      fix: `Write the name as a string in the code (other props may take Terraform values).`,
    });
    return false;
  }
  return requireText(
    issues,
    "name",
    value,
    `Give the ${kind} a name; it is the ${kind}'s identity in Polytomic.`,
  );
}
