/**
 * Evaluating a sync's conditions on a record (polytomic-api.md §5.2): filter functions compare a
 * field's value with the filter's value, and `filter_logic` combines filters by label (`A AND (B
 * OR C)`; without it every filter must hold). Overrides use the same functions as their condition.
 * Comparisons follow the value: numbers numerically, dates and timestamps in time, text as text;
 * a missing value satisfies no comparison except the negative ones and IsNull.
 */

/** A relative period (`InTheLast`, `Relative…`): a number of days, or `"N unit"` with a unit of minutes to years. */
const UNIT_MS: Readonly<Record<string, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

export class UnsupportedCondition extends Error {}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

function asTime(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(time) ? undefined : time;
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** -1, 0 or 1, or undefined when the two cannot be ordered. */
function compare(left: unknown, right: unknown): number | undefined {
  const [a, b] = [asNumber(left), asNumber(right)];
  if (a !== undefined && b !== undefined) return Math.sign(a - b);
  const [x, y] = [asTime(left), asTime(right)];
  if (x !== undefined && y !== undefined) return Math.sign(x - y);
  if (typeof left === "boolean" || typeof right === "boolean") {
    return String(left) === String(right) ? 0 : undefined;
  }
  const [s, t] = [asText(left), asText(right)];
  return s === t ? 0 : s < t ? -1 : 1;
}

function period(value: unknown): number {
  if (typeof value === "number") return value * UNIT_MS.day;
  const match = typeof value === "string" ? /^\s*(\d+)\s*([a-z]+?)s?\s*$/i.exec(value) : null;
  const unit = match ? UNIT_MS[match[2].toLowerCase()] : undefined;
  if (match === null || unit === undefined) {
    throw new UnsupportedCondition(
      `the relative period ${JSON.stringify(value)} is not one the emulator understands (a number of days, or "N days", "N hours", …)`,
    );
  }
  return Number(match[1]) * unit;
}

function like(text: string, pattern: string): boolean {
  const source = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    .replaceAll("%", ".*")
    .replaceAll("_", ".");
  return new RegExp(`^${source}$`, "s").test(text);
}

function asList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === "string" && value.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(value);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether filter function `fn` holds for `field` compared with `operand`, at time `now`. */
export function holds(fn: string, field: unknown, operand: unknown, now: number): boolean {
  switch (fn) {
    case "IsNull":
      return isMissing(field);
    case "IsNotNull":
      return !isMissing(field);
    case "True":
      return field === true || field === "true";
    case "False":
      return field === false || field === "false";
    case "Inequality":
      return isMissing(field) || compare(field, operand) !== 0;
    case "StringDoesNotContain":
      return isMissing(field) || !asText(field).includes(asText(operand));
    case "StringDoesNotStartWith":
      return isMissing(field) || !asText(field).startsWith(asText(operand));
    case "StringDoesNotEndWith":
      return isMissing(field) || !asText(field).endsWith(asText(operand));
    case "StringNotOneOf":
      return isMissing(field) || !(operand as unknown[]).map(String).includes(asText(field));
    case "StringNotLike":
      return isMissing(field) || !like(asText(field), asText(operand));
    case "ArrayDoesNotContain":
      return !(asList(field) ?? []).some((item) => compare(item, operand) === 0);
  }
  if (isMissing(field)) return false;
  switch (fn) {
    case "Equality":
      return compare(field, operand) === 0;
    case "GreaterThan":
      return compare(field, operand) === 1;
    case "GreaterThanEqual":
    case "OnOrAfter":
      return (compare(field, operand) ?? -1) >= 0;
    case "LessThan":
      return compare(field, operand) === -1;
    case "LessThanEqual":
    case "OnOrBefore":
      return (compare(field, operand) ?? 1) <= 0;
    case "Between": {
      const [low, high] = operand as unknown[];
      return (compare(field, low) ?? -1) >= 0 && (compare(field, high) ?? 1) <= 0;
    }
    case "StringContains":
      return asText(field).includes(asText(operand));
    case "StringStartsWith":
      return asText(field).startsWith(asText(operand));
    case "StringEndsWith":
      return asText(field).endsWith(asText(operand));
    case "StringOneOf":
      return (operand as unknown[]).map(String).includes(asText(field));
    case "StringLike":
      return like(asText(field), asText(operand));
    case "StringMatchesTrimmed":
      return asText(field).trim().toLowerCase() === asText(operand).trim().toLowerCase();
    case "ArrayContains":
      return (asList(field) ?? []).some((item) => compare(item, operand) === 0);
    case "InTheLast":
    case "RelativeOnOrAfter": {
      const time = asTime(field);
      return (
        time !== undefined && time >= now - period(operand) && (fn !== "InTheLast" || time <= now)
      );
    }
    case "RelativeOnOrBefore": {
      const time = asTime(field);
      return time !== undefined && time <= now - period(operand);
    }
  }
  throw new UnsupportedCondition(`the filter function ${fn} is not one the emulator evaluates`);
}

const TOKEN = /\s*(\(|\)|[A-Za-z]+)\s*/y;

/**
 * Evaluates a `filter_logic` expression (already validated when the sync was saved) given each
 * label's truth; without one, every label must be true.
 */
export function combine(logic: string | undefined, truth: ReadonlyMap<string, boolean>): boolean {
  if (logic === undefined) return [...truth.values()].every(Boolean);
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < logic.length) {
    const match = TOKEN.exec(logic);
    if (!match) break;
    tokens.push(match[1]);
  }
  let position = 0;
  const keyword = (word: string): boolean => {
    if (tokens[position]?.toUpperCase() !== word) return false;
    position += 1;
    return true;
  };
  const expression = (): boolean => {
    let value = term();
    while (keyword("OR")) value = term() || value;
    return value;
  };
  const term = (): boolean => {
    let value = factor();
    while (keyword("AND")) value = factor() && value;
    return value;
  };
  const factor = (): boolean => {
    const token = tokens[position++];
    if (token === "(") {
      const value = expression();
      position += 1;
      return value;
    }
    return truth.get(token ?? "") ?? false;
  };
  return expression();
}
