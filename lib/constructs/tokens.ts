/**
 * Props become a spec that is encoded at synth time, so they must be concrete values: a Terraform
 * token (a variable, another resource's attribute) has no value until apply and would be encoded as
 * its placeholder text. Secrets are the one thing resolved at apply time, by reference.
 */
import type { IssueCollector } from "../core/errors";
import { Secret } from "../core/secret";
import { Token } from "./cdktf";

function isConstruct(value: object): boolean {
  return "node" in value;
}

function tokenIssue(issues: IssueCollector, property: string, received: unknown): void {
  issues.add({
    property,
    received,
    problem: "is a Terraform token, which has no value until apply",
    fix: "Pass a concrete value known when the app runs (read it in TypeScript, e.g. from process.env); for secrets use Secret.fromEnv(...).",
  });
}

/** Adds an issue for every unresolved token found in `value`, naming its property path. */
export function rejectTokens(issues: IssueCollector, value: unknown, property: string): void {
  if (value === null || value === undefined || typeof value === "boolean") return;
  if (typeof value === "string" || typeof value === "number") {
    if (Token.isUnresolved(value))
      tokenIssue(issues, property, typeof value === "number" ? "a number token" : value);
    return;
  }
  if (typeof value !== "object" || Secret.isSecret(value) || isConstruct(value)) return;
  if (Array.isArray(value)) {
    if (Token.isUnresolved(value)) tokenIssue(issues, property, "a list token");
    else value.forEach((item, index) => rejectTokens(issues, item, `${property}[${index}]`));
    return;
  }
  for (const [key, member] of Object.entries(value)) {
    rejectTokens(issues, member, property ? `${property}.${key}` : key);
  }
}
