/**
 * Derives the output columns of a Snowflake SELECT statement from its text, so that a sync's field
 * references can be checked at synth time and the emulator can report a model's fields the way
 * Polytomic would after introspecting the query.
 *
 * Naming follows Snowflake's identifier rules as Polytomic presents them: an alias wins over the
 * expression; unquoted identifiers are case-insensitive and reported lower-case; double-quoted
 * identifiers keep their exact spelling.
 */
import { Parser } from "node-sql-parser/build/snowflake";

/** A `*` or `qualifier.*` item in the SELECT list: its columns cannot be known from the text. */
export interface StarItem {
  /** Position of the item in the SELECT list, 1-based. */
  readonly position: number;
  /** The table or alias before `.*`, or undefined for a bare `*`. */
  readonly qualifier?: string;
}

/** A SELECT-list item whose output name Snowflake would invent (an expression without alias). */
export interface UnnamedItem {
  readonly position: number;
  /** The item's source text, for error messages. */
  readonly text: string;
}

/** A table named in the outermost FROM clause. */
export interface FromTable {
  readonly name: string;
  readonly alias?: string;
}

export interface SelectColumns {
  /** Named output columns, in SELECT-list order. */
  readonly columns: readonly string[];
  /**
   * Every output column but the stars', in SELECT-list order: the named ones and the unnamed ones
   * under the name Snowflake gives them ({@link snowflakeName}).
   */
  readonly output: readonly string[];
  readonly stars: readonly StarItem[];
  readonly unnamed: readonly UnnamedItem[];
  readonly from: readonly FromTable[];
}

/** The query is not a single SELECT statement this parser understands. */
export class QueryParseError extends Error {
  constructor(
    message: string,
    /** 1-based line and column of the problem, when the parser reports one. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = "QueryParseError";
  }
}

interface Location {
  start: { offset: number; line: number; column: number };
  end: { offset: number };
}

interface AstColumnItem {
  expr: { type: string; column?: unknown; table?: unknown };
  as?: unknown;
  loc?: Location;
}

interface AstFromItem {
  table?: unknown;
  as?: unknown;
}

interface AstStatement {
  type?: string;
  columns?: AstColumnItem[] | string;
  from?: AstFromItem[] | null;
}

interface PegSyntaxError extends Error {
  location?: { start: { line: number; column: number } };
}

let parser: Parser | undefined;

/**
 * The name Snowflake gives an expression without alias: its own text upper-cased (`count(*)` →
 * `COUNT(*)`), which Polytomic reports as is.
 */
export function snowflakeName(text: string): string {
  return text.trim().toUpperCase();
}

const UNQUOTED_TAIL = /[\p{L}_][\p{L}\p{N}_$]*$/u;

/** The identifier that ends `text`: a quoted one verbatim, an unquoted one lower-cased. */
function trailingIdentifier(text: string): string | undefined {
  const trimmed = text.trimEnd();
  if (trimmed.endsWith('"')) {
    let i = trimmed.length - 2;
    let name = "";
    while (i >= 0) {
      if (trimmed[i] === '"') {
        if (i > 0 && trimmed[i - 1] === '"') {
          name = '"' + name;
          i -= 2;
          continue;
        }
        return name;
      }
      name = trimmed[i] + name;
      i -= 1;
    }
    return undefined;
  }
  const match = UNQUOTED_TAIL.exec(trimmed);
  return match ? match[0].toLowerCase() : undefined;
}

function columnName(item: AstColumnItem): string | undefined {
  const column = item.expr.column;
  if (typeof column === "string") return column;
  if (column && typeof column === "object") {
    const inner = (column as { expr?: { value?: unknown } }).expr?.value;
    if (typeof inner === "string") return inner;
  }
  return undefined;
}

function parseStatement(query: string): AstStatement {
  parser ??= new Parser();
  let ast: unknown;
  try {
    ast = parser.astify(query, {
      database: "snowflake",
      parseOptions: { includeLocations: true },
    } as Parameters<Parser["astify"]>[1]);
  } catch (error) {
    const syntax = error as PegSyntaxError;
    const where = syntax.location?.start;
    throw new QueryParseError(
      `cannot parse the query${where ? ` at line ${where.line}, column ${where.column}` : ""}`,
      where?.line,
      where?.column,
    );
  }
  const statements = (Array.isArray(ast) ? ast : [ast]).filter(
    (statement): statement is AstStatement => statement !== null && statement !== undefined,
  );
  if (statements.length !== 1) {
    throw new QueryParseError(
      `the query holds ${statements.length} statements; a model's query must be one SELECT`,
    );
  }
  const [statement] = statements;
  if (statement.type !== "select") {
    throw new QueryParseError(
      `the query is a ${String(statement.type).toUpperCase()} statement; a model's query must be a SELECT`,
    );
  }
  return statement;
}

/**
 * Parses `query` (Snowflake dialect) and returns its output columns.
 * @throws QueryParseError when the text is not a single SELECT statement.
 */
export function deriveSelectColumns(query: string): SelectColumns {
  const statement = parseStatement(query);
  const items = Array.isArray(statement.columns) ? statement.columns : [];
  const columns: string[] = [];
  const output: string[] = [];
  const stars: StarItem[] = [];
  const unnamed: UnnamedItem[] = [];
  items.forEach((item, index) => {
    const position = index + 1;
    const text = item.loc ? query.slice(item.loc.start.offset, item.loc.end.offset) : "";
    const isColumnRef = item.expr.type === "column_ref";
    if (isColumnRef && columnName(item) === "*") {
      const qualifier = typeof item.expr.table === "string" ? item.expr.table : undefined;
      stars.push(qualifier === undefined ? { position } : { position, qualifier });
      return;
    }
    const named =
      (item.as !== null && item.as !== undefined) ||
      isColumnRef ||
      item.expr.type === "double_quote_string";
    const name = named ? trailingIdentifier(text) : undefined;
    if (name === undefined || name === "") {
      unnamed.push({ position, text: text.trim() });
      output.push(snowflakeName(text));
    } else {
      columns.push(name);
      output.push(name);
    }
  });
  const from: FromTable[] = [];
  for (const entry of statement.from ?? []) {
    if (typeof entry.table !== "string") continue;
    from.push(
      typeof entry.as === "string" ? { name: entry.table, alias: entry.as } : { name: entry.table },
    );
  }
  return { columns, output, stars, unnamed, from };
}
