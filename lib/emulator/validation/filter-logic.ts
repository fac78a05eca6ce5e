/**
 * `filter_logic` combines filters by their server-assigned labels (polytomic-api.md §5.2, §5.5):
 * labels joined with AND / OR and grouped with parentheses, e.g. `A OR (B AND C)`. An expression
 * that does not parse or names a label no filter has is refused.
 */
import { unprocessable } from "../errors";

const TOKEN = /\s*(\(|\)|[A-Za-z]+)\s*/y;

function tokenize(logic: string, field: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < logic.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(logic);
    if (match === null) {
      throw unprocessable(
        `${field}: unexpected character at position ${at + 1} of ${JSON.stringify(logic)}`,
        {
          field,
        },
      );
    }
    tokens.push(match[1]);
  }
  return tokens;
}

/** Recursive descent over `expr := term (OR term)*`, `term := factor (AND factor)*`. */
class LogicParser {
  private position = 0;

  constructor(
    private readonly tokens: readonly string[],
    private readonly labels: ReadonlySet<string>,
    private readonly field: string,
  ) {}

  parse(): void {
    this.expression();
    if (this.position < this.tokens.length) this.fail(`unexpected ${this.tokens[this.position]}`);
  }

  private expression(): void {
    this.term();
    while (this.peekKeyword("OR")) this.term();
  }

  private term(): void {
    this.factor();
    while (this.peekKeyword("AND")) this.factor();
  }

  private factor(): void {
    const token = this.tokens[this.position++];
    if (token === undefined) this.fail("the expression ends too early");
    if (token === "(") {
      this.expression();
      if (this.tokens[this.position++] !== ")") this.fail("a parenthesis is not closed");
      return;
    }
    if (!this.labels.has(token)) {
      const known = [...this.labels].join(", ") || "none: the sync has no filters";
      this.fail(`${token} is not a filter label (labels: ${known})`);
    }
  }

  private peekKeyword(keyword: string): boolean {
    if (this.tokens[this.position]?.toUpperCase() !== keyword) return false;
    this.position += 1;
    return true;
  }

  private fail(reason: string): never {
    throw unprocessable(`${this.field}: ${reason}`, { field: this.field });
  }
}

export function checkFilterLogic(logic: string, labels: readonly string[], field: string): void {
  new LogicParser(tokenize(logic, field), new Set(labels), field).parse();
}

/** Labels the server assigns to filters in order: A…Z, then AA, AB… */
export function filterLabel(index: number): string {
  let label = "";
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    label = String.fromCharCode(65 + ((rest - 1) % 26)) + label;
  }
  return label;
}
