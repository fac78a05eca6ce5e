/**
 * Query models: the query must be one SELECT whose output columns can be named, either derived from
 * its text or declared by the user where the text hides them (`SELECT *`).
 */
import type { ApiSettings, ModelSpec } from "../contract";
import { SCHEMA_VERSION } from "../contract";
import type { IssueCollector } from "../errors";
import { nearest } from "../errors";
import { deriveSelectColumns, QueryParseError } from "../sql/select-columns";
import { duplicates, requireName, requireText } from "./common";

export interface ModelInput {
  readonly name: unknown;
  readonly connectionName: string;
  readonly query: unknown;
  readonly columns?: unknown;
  readonly identifier?: unknown;
  readonly trackingColumns?: unknown;
}

function declaredColumns(issues: IssueCollector, columns: unknown): string[] | undefined {
  if (
    !Array.isArray(columns) ||
    columns.length === 0 ||
    !columns.every((c) => typeof c === "string" && c.trim() !== "")
  ) {
    issues.add({
      property: "columns",
      received: columns,
      problem: "must be a non-empty list of column names",
      fix: 'List the query\'s output columns as Polytomic will report them, e.g. columns: ["id", "email"].',
    });
    return undefined;
  }
  return columns as string[];
}

function derivedColumns(issues: IssueCollector, query: string): string[] | undefined {
  let derived;
  try {
    derived = deriveSelectColumns(query);
  } catch (error) {
    if (!(error instanceof QueryParseError)) throw error;
    issues.add({
      property: "query",
      received: query,
      problem: error.message,
      fix: "Write the query as one Snowflake SELECT statement; if it is valid Snowflake SQL this parser does not understand, declare its output with columns: [...].",
    });
    return undefined;
  }
  const before = issues.issues.length;
  for (const star of derived.stars) {
    issues.add({
      property: "query",
      received: query,
      problem: `selects ${star.qualifier ? `${star.qualifier}.*` : "*"} (item ${star.position}), whose columns cannot be known before Snowflake runs it`,
      fix: 'List the columns in the SELECT, or declare them with columns: ["id", "email", ...].',
    });
  }
  for (const item of derived.unnamed) {
    issues.add({
      property: "query",
      received: query,
      problem: `has an expression without a name at item ${item.position} (${JSON.stringify(item.text)})`,
      fix: `Give it an alias, e.g. ${item.text} AS my_column.`,
    });
  }
  return issues.issues.length === before ? [...derived.columns] : undefined;
}

function checkColumnRef(
  issues: IssueCollector,
  property: string,
  value: unknown,
  columns: readonly string[],
): void {
  if (typeof value === "string" && columns.includes(value)) return;
  const suggestion = typeof value === "string" ? nearest(value, columns) : undefined;
  issues.add({
    property,
    received: value,
    problem: "is not a column of the query",
    fix: `${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}Use one of ${columns.map((c) => JSON.stringify(c)).join(", ")}.`,
  });
}

/** Validates a query model; returns its spec and output columns (empty when there are issues). */
export function buildModelSpec(
  issues: IssueCollector,
  input: ModelInput,
  api: ApiSettings,
): { spec: ModelSpec; columns: readonly string[] } {
  requireName(issues, input.name, "model");
  let columns: string[] | undefined;
  if (
    requireText(
      issues,
      "query",
      input.query,
      "Set query to the SELECT statement whose rows the model holds.",
    )
  ) {
    columns =
      input.columns === undefined
        ? derivedColumns(issues, input.query)
        : declaredColumns(issues, input.columns);
  }
  for (const repeated of duplicates(columns ?? [])) {
    issues.add({
      property: input.columns === undefined ? "query" : "columns",
      received: repeated,
      problem: "names the same output column twice",
      fix: "Give each output column its own name (use AS to rename one).",
    });
  }
  const known = columns ?? [];
  if (columns && input.identifier !== undefined)
    checkColumnRef(issues, "identifier", input.identifier, known);
  if (columns && input.trackingColumns !== undefined) {
    if (!Array.isArray(input.trackingColumns)) {
      issues.add({
        property: "trackingColumns",
        received: input.trackingColumns,
        problem: "must be a list of column names",
        fix: 'Set trackingColumns: ["updated_at"], or leave it out.',
      });
    } else {
      input.trackingColumns.forEach((column, index) =>
        checkColumnRef(issues, `trackingColumns[${index}]`, column, known),
      );
    }
  }
  const spec: ModelSpec = {
    schema_version: SCHEMA_VERSION,
    kind: "model",
    name: input.name as string,
    api,
    connection: input.connectionName,
    query: input.query as string,
    columns: known,
    ...(input.identifier === undefined ? {} : { identifier: input.identifier as string }),
    ...(input.trackingColumns === undefined
      ? {}
      : { tracking_columns: input.trackingColumns as string[] }),
  };
  return { spec, columns: known };
}
