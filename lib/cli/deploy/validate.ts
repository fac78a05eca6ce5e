/**
 * The checks synth made, made again on the declarations with their Terraform values resolved, so a
 * value that breaks a rule fails the deploy with the message synth would give, naming the
 * construct, before anything is written.
 */
import type {
  ModelDeclaration,
  SalesforceDeclaration,
  SnowflakeDeclaration,
  SyncDeclaration,
} from "../../core/declarations";
import { formatIssue, IssueCollector } from "../../core/errors";
import { checkSalesforce, checkSnowflake } from "../../core/validate/connection";
import { checkModel } from "../../core/validate/model";
import { checkSync } from "../../core/validate/sync";
import { ProvisionError } from "../errors";
import type { Stack } from "./stack";

/** Validates every declaration; returns the output columns of each model, by name. */
export function validateStack(stack: Stack): Map<string, readonly string[]> {
  const problems: string[] = [];
  const collect = (subject: string, check: (issues: IssueCollector) => void): void => {
    const issues = new IssueCollector();
    check(issues);
    problems.push(...issues.issues.map((issue) => formatIssue(subject, issue)));
  };
  for (const { declaration, subject } of stack.connections) {
    collect(subject, (issues) =>
      declaration.type === "snowflake"
        ? checkSnowflake(issues, declaration as SnowflakeDeclaration)
        : checkSalesforce(issues, declaration as SalesforceDeclaration),
    );
  }
  const columns = new Map<string, readonly string[]>();
  for (const { declaration, subject } of stack.models) {
    collect(subject, (issues) => {
      const found = checkModel(issues, declaration as ModelDeclaration);
      if (found) columns.set(declaration.name, found);
    });
  }
  for (const { declaration, subject } of stack.syncs) {
    collect(subject, (issues) =>
      checkSync(issues, declaration as SyncDeclaration, {
        name: declaration.model,
        columns: columns.get(declaration.model),
      }),
    );
  }
  if (problems.length > 0) {
    throw new ProvisionError(
      `the stack's declarations break ${problems.length === 1 ? "a rule" : `${problems.length} rules`} once Terraform resolved their values; nothing was changed:\n${problems.join("\n")}`,
    );
  }
  return columns;
}
