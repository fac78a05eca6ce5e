/**
 * Query models: the query must be one SELECT whose output columns can be named, either derived from
 * its text or declared where the text hides them (`SELECT *`). Terraform values in the query stand
 * in as placeholders of the right kind while it is parsed: a quoted literal inside quotes, an
 * identifier elsewhere (a table, a schema, a column, a condition), so a query whose table name is a
 * variable still has its SELECT list checked.
 */
import type { ModelDeclaration } from "../declarations";
import { isPlaceholder } from "../declarations";
import type { IssueCollector } from "../errors";
import { nearest } from "../errors";
import { deriveSelectColumns, QueryParseError } from "../sql/select-columns";
import { selectOnlyProblem } from "../sql/statement-check";
import { duplicates, requireName, requireText } from "./common";

/** Prefix of the identifiers standing in for Terraform values while a query is parsed. */
const STAND_IN = "polytomic_terraform_value_";

/**
 * The query text with stand-ins for its Terraform values, and whether it had any. Outside quotes a
 * value stands in as an identifier, or as the number 1 where an identifier cannot go (`LIMIT`).
 */
function standInText(query: unknown, asNumber = false): { text: string; deferred: boolean } {
  if (typeof query === "string") return { text: query, deferred: false };
  if (!isPlaceholder(query)) return { text: "", deferred: false };
  if ("$value" in query) return { text: `SELECT ${STAND_IN}0`, deferred: true };
  let text = "";
  let quote: string | undefined;
  for (const part of query.$concat) {
    if (typeof part !== "string") {
      text +=
        quote === "'" ? "x" : quote === undefined && asNumber ? "1" : `${STAND_IN}${part.$value}`;
      continue;
    }
    for (const char of part) {
      if (quote === undefined && (char === "'" || char === '"')) quote = char;
      else if (char === quote) quote = undefined;
    }
    text += part;
  }
  return { text, deferred: true };
}

function declaredColumns(issues: IssueCollector, columns: unknown): string[] | undefined {
  if (isPlaceholder(columns)) return undefined;
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

function parseWithStandIns(query: unknown, text: string, deferred: boolean) {
  try {
    return deriveSelectColumns(text);
  } catch (error) {
    if (!deferred || !(error instanceof QueryParseError)) throw error;
    return deriveSelectColumns(standInText(query, true).text);
  }
}

const DECLARE_COLUMNS = 'declare its output with columns: ["id", "email", ...]';

/**
 * The columns derived from the SELECT list; undefined (with issues) when they cannot be named.
 * `declared` says whether `columns` is declared, which makes hidden columns (`*`) fine.
 */
function derivedColumns(
  issues: IssueCollector,
  query: unknown,
  declared: boolean,
): string[] | undefined {
  const { text, deferred } = standInText(query);
  const shown = deferred ? `${text} (Terraform values shown as ${STAND_IN}N)` : text;
  const nul = text.indexOf("\u0000");
  if (nul !== -1) {
    issues.add({
      property: "query",
      received: shown,
      problem: `holds a NUL character (U+0000) at offset ${nul}, which SQL text cannot carry`,
      fix: "Remove it; where the query means that character, write CHR(0).",
    });
    return undefined;
  }
  const selectOnly = selectOnlyProblem(text);
  if (selectOnly) {
    issues.add({
      property: "query",
      received: shown,
      problem: selectOnly,
      fix: "Write the query as one Snowflake SELECT statement: a model only reads.",
    });
    return undefined;
  }
  let derived;
  try {
    derived = parseWithStandIns(query, text, deferred);
  } catch (error) {
    if (!(error instanceof QueryParseError)) throw error;
    if (declared) return undefined;
    issues.add({
      property: "query",
      received: shown,
      problem: error.message,
      fix: `Write the query as one Snowflake SELECT statement; if it is valid Snowflake SQL this parser does not understand, ${DECLARE_COLUMNS}.`,
    });
    return undefined;
  }
  if (declared) return undefined;
  const before = issues.issues.length;
  // An expression without alias is named by its upper-cased text, stand-ins included.
  const standIn = (column: string) => column.toLowerCase().includes(STAND_IN);
  if (deferred && derived.output.some(standIn)) {
    issues.add({
      property: "query",
      received: shown,
      problem:
        "has a SELECT list that depends on a Terraform value, so its columns are not known before apply",
      fix: `Keep Terraform values out of the SELECT list, or ${DECLARE_COLUMNS}.`,
    });
  }
  for (const star of derived.stars) {
    issues.add({
      property: "query",
      received: shown,
      problem: `selects ${star.qualifier ? `${star.qualifier}.*` : "*"} (item ${star.position}), whose columns cannot be known before Snowflake runs it`,
      fix: `List the columns in the SELECT, or ${DECLARE_COLUMNS}.`,
    });
  }
  // Snowflake names an expression without alias itself (`COUNT(*)`), and Polytomic reports it so.
  return issues.issues.length === before ? [...derived.output] : undefined;
}

function checkColumnRef(
  issues: IssueCollector,
  property: string,
  value: unknown,
  columns: readonly string[],
): void {
  if (isPlaceholder(value) || (typeof value === "string" && columns.includes(value))) return;
  const suggestion = typeof value === "string" ? nearest(value, columns) : undefined;
  issues.add({
    property,
    received: value,
    problem: "is not a column of the query",
    fix: `${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}Use one of ${columns.map((c) => JSON.stringify(c)).join(", ")}.`,
  });
}

/**
 * Validates a query model; returns its output columns, or undefined when they are not known (an
 * issue was found, or they depend on Terraform values and are checked at apply).
 */
export function checkModel(
  issues: IssueCollector,
  declaration: ModelDeclaration,
): string[] | undefined {
  requireName(issues, declaration.name, "model");
  const query = declaration.query;
  if (
    !requireText(
      issues,
      "query",
      query,
      "Set query to the SELECT statement whose rows the model holds.",
    )
  ) {
    return undefined;
  }
  const declared = declaration.columns !== undefined;
  const before = issues.issues.length;
  const derived = derivedColumns(issues, query, declared);
  const columns = declared ? declaredColumns(issues, declaration.columns) : derived;
  for (const repeated of duplicates(columns ?? [])) {
    issues.add({
      property: declared ? "columns" : "query",
      received: repeated,
      problem: "names the same output column twice",
      fix: "Give each output column its own name (use AS to rename one).",
    });
  }
  if (!columns || issues.issues.length > before) return undefined;
  if (declaration.identifier !== undefined)
    checkColumnRef(issues, "identifier", declaration.identifier, columns);
  const tracking = declaration.trackingColumns;
  if (tracking !== undefined && !isPlaceholder(tracking)) {
    if (!Array.isArray(tracking)) {
      issues.add({
        property: "trackingColumns",
        received: tracking,
        problem: "must be a list of column names",
        fix: 'Set trackingColumns: ["updated_at"], or leave it out.',
      });
    } else {
      tracking.forEach((column, index) =>
        checkColumnRef(issues, `trackingColumns[${index}]`, column, columns),
      );
    }
  }
  return issues.issues.length > before ? undefined : columns;
}
