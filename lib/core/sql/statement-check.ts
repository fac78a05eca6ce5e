/**
 * A lexical check that a query is one SELECT statement, which holds even where the SQL parser
 * cannot read the query (valid Snowflake it does not know, or Terraform values in odd places):
 * declaring a model's columns must never let `DELETE FROM users`, `SELECT 1; DROP TABLE users` or
 * `CALL purge_all_customers()` through. Comments, quoted strings and identifiers, and
 * `$$`-quoted strings are skipped, so a `;` or a keyword inside them does not count.
 */

/** The statements of `query` (split at top-level `;`), without comments, each trimmed. */
function statements(query: string): string[] {
  const found: string[] = [];
  let current = "";
  let i = 0;
  const skipTo = (end: string, from: number): number => {
    const at = query.indexOf(end, from);
    return at === -1 ? query.length : at + end.length;
  };
  while (i < query.length) {
    const char = query[i];
    const pair = query.slice(i, i + 2);
    if (pair === "--" || pair === "//") {
      i = skipTo("\n", i);
      current += " ";
    } else if (pair === "/*") {
      i = skipTo("*/", i + 2);
      current += " ";
    } else if (pair === "$$") {
      const end = skipTo("$$", i + 2);
      current += query.slice(i, end);
      i = end;
    } else if (char === "'" || char === '"') {
      let j = i + 1;
      while (j < query.length) {
        if (query[j] === "\\" && char === "'") j += 2;
        else if (query[j] === char && query[j + 1] === char) j += 2;
        else if (query[j] === char) break;
        else j += 1;
      }
      current += query.slice(i, j + 1);
      i = j + 1;
    } else if (char === ";") {
      found.push(current.trim());
      current = "";
      i += 1;
    } else {
      current += char;
      i += 1;
    }
  }
  found.push(current.trim());
  return found.filter((statement) => statement !== "");
}

/** Why `query` is not a single SELECT (or WITH … SELECT) statement, or undefined when it is one. */
export function selectOnlyProblem(query: string): string | undefined {
  const found = statements(query);
  if (found.length !== 1) {
    return `holds ${found.length} statements; a model's query must be one SELECT`;
  }
  const keyword = /^[(\s]*([A-Za-z]+)/.exec(found[0])?.[1]?.toUpperCase();
  if (keyword !== "SELECT" && keyword !== "WITH") {
    return `is a ${keyword ?? "non-SQL"} statement; a model's query must be a SELECT`;
  }
  return undefined;
}
