/** fast-check generators for user text: names, SQL queries, target objects and fields. */
import fc from "fast-check";

/** A file that exists only if some shell ran a fragment below. */
export const SHELL_CANARY = "/tmp/cdktf-polytomic-property-canary";

/** Fragments that break naive quoting in shells, HCL templates, JSON and SQL. */
const HOSTILE = [
  `$(touch ${SHELL_CANARY})`,
  `\`touch ${SHELL_CANARY}\``,
  "'",
  '"',
  "`",
  "$(id)",
  "${var.x}",
  "%{ if x }",
  "\\",
  "\n",
  "\r\n",
  "\t",
  "${",
  "%{",
  "$${",
  "☃",
  "名前",
  "\u0000",
  "\u202e",
  // Prepend characters, which join the quote after them in Terraform's JSON parser.
  "\u0605",
  "\u{110BD}",
  "--",
  "/*",
  ";",
];

/** Any text: arbitrary code points, and hostile fragments much more often than chance. */
export const anyText = (maxLength = 30): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
      ),
      { maxLength: Math.ceil(maxLength / 3) },
    )
    .map((parts) => parts.join(""));

/** A name the library accepts: not blank. */
export const objectName = anyText().filter((text) => text.trim() !== "");

const unquotedIdentifier = fc
  .stringMatching(/^[a-z_][a-z0-9_]{0,12}$/)
  .filter((id) => !SQL_KEYWORDS.has(id));
const quotedIdentifier = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
  .filter((id) => !id.includes('"') && !id.includes("\u0000"));

const SQL_KEYWORDS = new Set([
  "select",
  "from",
  "where",
  "as",
  "and",
  "or",
  "not",
  "null",
  "is",
  "in",
  "by",
  "on",
  "join",
  "group",
  "order",
  "limit",
  "union",
  "all",
  "with",
  "case",
  "when",
  "then",
  "else",
  "end",
  "true",
  "false",
  "like",
  "between",
  "having",
  "distinct",
  "qualify",
  "over",
  "partition",
  "left",
  "right",
  "inner",
  "outer",
  "full",
  "cross",
  "natural",
  "using",
  "into",
  "values",
  "set",
  "table",
  "asc",
  "desc",
  "interval",
  "current_date",
  "current_time",
  "current_timestamp",
  "exists",
  "if",
  "cast",
  "offset",
  "fetch",
  "window",
  "lateral",
  "sample",
  "pivot",
  "unpivot",
  "connect",
  "start",
  "minus",
  "except",
  "intersect",
  "top",
  "to",
  "of",
  "do",
  "go",
]);

export interface GeneratedColumn {
  /** SQL text of the SELECT item. */
  readonly sql: string;
  /** The output name Polytomic reports. */
  readonly name: string;
  /** The table column the item reads, as the table must name it. */
  readonly reads: string;
}

/** A SELECT item: an unquoted column (reported lower-case), a quoted one, or an aliased column. */
export const selectItem: fc.Arbitrary<GeneratedColumn> = fc.oneof(
  unquotedIdentifier.map((id) => ({ sql: id.toUpperCase(), name: id, reads: id })),
  quotedIdentifier.map((id) => ({ sql: `"${id}"`, name: id, reads: id })),
  fc
    .tuple(unquotedIdentifier, quotedIdentifier)
    .map(([column, alias]) => ({ sql: `${column} AS "${alias}"`, name: alias, reads: column })),
);

export interface GeneratedQuery {
  readonly sql: string;
  readonly columns: readonly string[];
  /** The columns of {@link GENERATED_TABLE} the query reads: create them before running it. */
  readonly reads: readonly string[];
}

/** The table generated queries select from. */
export const GENERATED_TABLE = "generated";

/** One SELECT with distinct output columns and a hostile string literal in its WHERE clause. */
export const query: fc.Arbitrary<GeneratedQuery> = fc
  .tuple(
    fc.uniqueArray(selectItem, {
      minLength: 1,
      maxLength: 5,
      selector: (item) => item.name.toLowerCase(),
    }),
    anyText(20),
  )
  .map(([items, literal]) => ({
    sql: `SELECT ${items.map((item) => item.sql).join(", ")} FROM ${GENERATED_TABLE} WHERE note <> '${literal.replace(/'/g, "''")}'`,
    columns: items.map((item) => item.name),
    reads: distinctIgnoringCase(["note", ...items.map((item) => item.reads)]),
  }));

/** SQL creating {@link GENERATED_TABLE} with the columns `query` reads. */
export function generatedTable(query: GeneratedQuery): string {
  const columns = query.reads.map((column) => `"${column}" VARCHAR`).join(", ");
  return `CREATE OR REPLACE TABLE ${GENERATED_TABLE} (${columns})`;
}

function distinctIgnoringCase(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

export const targetObject = fc.constantFrom("Contact", "Lead", "Account");
