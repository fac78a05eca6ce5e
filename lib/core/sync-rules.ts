/**
 * Rules of Polytomic's sync API (polytomic-api.md §5) that both the synth-time validation and the
 * emulator apply: the enumerations, the filter labels and logic, and what value each filter
 * function compares with.
 */

/** Every mode the API knows; the library declares all but `snapshot` (validate/sync.ts). */
export const SYNC_MODES = [
  "create",
  "update",
  "updateOrCreate",
  "replace",
  "append",
  "remove",
  "snapshot",
] as const;
/** Modes whose target records are matched, so a sync needs an identity (§5.2). */
export const IDENTITY_MODES: readonly string[] = ["update", "updateOrCreate", "remove"];
/** Modes whose mappings may each say whether they overwrite (`sync_mode`). */
export const PER_FIELD_MODES: readonly string[] = ["update", "updateOrCreate"];
export const FIELD_SYNC_MODES = ["updateOrCreate", "create"] as const;
export const IDENTITY_FUNCTIONS = [
  "Equality",
  "ISubstring",
  "OneOf",
  "DomainMatch",
  "HostnameMatch",
] as const;
export const FILTER_FUNCTIONS = [
  "Equality",
  "Inequality",
  "IsNull",
  "IsNotNull",
  "True",
  "False",
  "OnOrAfter",
  "OnOrBefore",
  "GreaterThan",
  "GreaterThanEqual",
  "LessThan",
  "LessThanEqual",
  "StringContains",
  "StringStartsWith",
  "StringEndsWith",
  "StringDoesNotContain",
  "StringDoesNotStartWith",
  "StringDoesNotEndWith",
  "StringOneOf",
  "StringNotOneOf",
  "Between",
  "ArrayContains",
  "ArrayDoesNotContain",
  "InTheLast",
  "RelativeOnOrBefore",
  "RelativeOnOrAfter",
  "StringLike",
  "StringNotLike",
  "StringMatchesTrimmed",
] as const;
export const SCHEDULE_FREQUENCIES = [
  "manual",
  "continuous",
  "hourly",
  "daily",
  "weekly",
  "custom",
  "builder",
  "runafter",
  "multi",
  "dbtcloud",
] as const;

const NO_VALUE: readonly string[] = ["IsNull", "IsNotNull", "True", "False"];
const LIST_VALUE: readonly string[] = ["StringOneOf", "StringNotOneOf"];

/** Whether a filter function compares the field with a value at all. */
export function filterTakesValue(fn: string): boolean {
  return !NO_VALUE.includes(fn);
}

/** What is wrong with `value` as the operand of filter function `fn`, if anything. */
export function filterValueProblem(fn: string, value: unknown): string | undefined {
  if (!filterTakesValue(fn)) return value === undefined ? undefined : `${fn} takes no value`;
  if (fn === "Between")
    return Array.isArray(value) && value.length === 2
      ? undefined
      : `${fn} needs an array of two bounds`;
  if (LIST_VALUE.includes(fn)) {
    const ok =
      Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === "string");
    return ok ? undefined : `${fn} needs a non-empty array of strings`;
  }
  if (value === undefined) return `${fn} needs a value`;
  if (fn.startsWith("Relative") || fn === "InTheLast") return undefined;
  return ["string", "number", "boolean"].includes(typeof value)
    ? undefined
    : `${fn} needs a string, number or boolean`;
}

/** Labels the server assigns to filters in order: A…Z, then AA, AB… */
export function filterLabel(index: number): string {
  let label = "";
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    label = String.fromCharCode(65 + ((rest - 1) % 26)) + label;
  }
  return label;
}

const TOKEN = /\s*(\(|\)|[A-Za-z]+)\s*/y;

/**
 * What is wrong with a `filter_logic` expression, if anything: labels joined by AND / OR and grouped
 * with parentheses (`A OR (B AND C)`), naming only labels in `labels`.
 */
export function filterLogicProblem(logic: string, labels: readonly string[]): string | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < logic.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(logic);
    if (!match) return `has an unexpected character at position ${at + 1}`;
    tokens.push(match[1]);
  }
  let position = 0;
  const keyword = (word: string): boolean => {
    if (tokens[position]?.toUpperCase() !== word) return false;
    position += 1;
    return true;
  };
  // Recursive descent over expr := term (OR term)*, term := factor (AND factor)*.
  const expression = (): string | undefined => {
    let problem = term();
    while (!problem && keyword("OR")) problem = term();
    return problem;
  };
  const term = (): string | undefined => {
    let problem = factor();
    while (!problem && keyword("AND")) problem = factor();
    return problem;
  };
  const factor = (): string | undefined => {
    const token = tokens[position++];
    if (token === undefined) return "ends too early";
    if (token === "(") {
      const problem = expression();
      if (problem) return problem;
      return tokens[position++] === ")" ? undefined : "has a parenthesis that is not closed";
    }
    if (labels.includes(token)) return undefined;
    return `refers to ${token}, which is not a filter label (labels: ${labels.join(", ") || "none: there are no filters"})`;
  };
  const problem = expression();
  if (problem) return problem;
  return position < tokens.length ? `has an unexpected ${tokens[position]}` : undefined;
}

export type ScheduleTimeField = "minute" | "hour" | "day_of_week" | "day_of_month" | "month";

/** Ranges of a schedule's time fields (§5.3); `day_of_week` 0 = Sunday. */
export const SCHEDULE_TIME_RANGES: Readonly<Record<ScheduleTimeField, readonly [number, number]>> =
  {
    minute: [0, 59],
    hour: [0, 23],
    day_of_month: [1, 31],
    month: [1, 12],
    day_of_week: [0, 6],
  };

/** A whole number of one or two digits within `range`, as the API writes schedule times. */
export function isScheduleNumber(text: string, [low, high]: readonly [number, number]): boolean {
  return /^\d{1,2}$/.test(text) && Number(text) >= low && Number(text) <= high;
}

/** One cron part of a `custom` schedule: `*`, or a comma list of `n` or `n-m`, each optionally with a `/step` of 1-99. */
export function isCronField(text: string, range: readonly [number, number]): boolean {
  return text.split(",").every((item) => {
    const [span, step, ...extra] = item.split("/");
    if (extra.length > 0 || (step !== undefined && !/^[1-9]\d?$/.test(step))) return false;
    if (span === "*") return true;
    const [from, to, ...more] = span.split("-");
    if (more.length > 0 || !isScheduleNumber(from, range)) return false;
    return to === undefined || (isScheduleNumber(to, range) && Number(to) >= Number(from));
  });
}
