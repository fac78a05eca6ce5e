/**
 * The shape of props before their content is checked: JavaScript callers (and casts) can pass
 * anything, and a list that is not a list must become a validation error, not a TypeError.
 */
import type { IssueCollector } from "../errors";

export interface ShapeRule {
  /** Dotted path, e.g. `schedule.runAfter`. */
  readonly property: string;
  readonly kind: "object" | "list" | "list of objects";
  readonly required?: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function at(props: Record<string, unknown>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), props);
}

/** Adds an issue per rule broken; returns whether the props are an object at all. */
export function checkShape(
  issues: IssueCollector,
  props: unknown,
  rules: readonly ShapeRule[],
): props is Record<string, unknown> {
  if (!isObject(props)) {
    issues.add({
      property: "props",
      received: props,
      problem: "must be an object",
      fix: "Pass the construct's props as an object literal.",
    });
    return false;
  }
  for (const { property, kind, required } of rules) {
    const value = at(props, property);
    if (value === undefined) {
      if (required)
        issues.add({
          property,
          received: undefined,
          problem: "is required",
          fix: `Set ${property}.`,
        });
      continue;
    }
    if (kind === "object" && !isObject(value)) {
      issues.add({
        property,
        received: value,
        problem: "must be an object",
        fix: `Set ${property} to an object, or leave it out.`,
      });
    } else if (kind !== "object" && !Array.isArray(value)) {
      issues.add({
        property,
        received: value,
        problem: "must be a list",
        fix: `Set ${property} to a list, e.g. [...], or leave it out.`,
      });
    } else if (kind === "list of objects") {
      (value as unknown[]).forEach((item, index) => {
        if (!isObject(item))
          issues.add({
            property: `${property}[${index}]`,
            received: item,
            problem: "must be an object",
            fix: `Make each entry of ${property} an object.`,
          });
      });
    }
  }
  return true;
}
