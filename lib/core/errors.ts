/**
 * Validation errors that tell a person what to change: which construct, which property, the value
 * received and the fix. Values are shown JSON-encoded (so newlines and quotes stay visible) and
 * shortened; secrets never reach here because secret props hold references, not values.
 */

/** A problem found in one property, before the construct path is known. */
export interface ValidationIssue {
  /** Property path as the user wrote it, e.g. `schedule.hour` or `fields[1].source`. */
  readonly property: string;
  /** The value given, as the message shows it; never a secret's value. */
  readonly received: unknown;
  /** What is wrong, phrased to follow "<property> ...". */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Marks a received value that must not be echoed (a secret given as a plain string). */
export const NOT_SHOWN = Symbol("not shown");

const MAX_SHOWN = 120;

export function describeValue(value: unknown): string {
  if (value === NOT_SHOWN) return "(a value not shown)";
  if (value === undefined) return "nothing";
  let text: string;
  if (typeof value === "function") text = "a function";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

export function formatIssue(subject: string, issue: ValidationIssue): string {
  return `${subject}: ${issue.property} ${issue.problem} (received ${describeValue(issue.received)}). ${issue.fix}`;
}

/** Thrown when props cannot produce a valid Polytomic object. */
export class PolytomicValidationError extends Error {
  /** The construct, e.g. `ModelSync "my-stack/ContactsSync"`. */
  declare readonly subject: string;
  /** Every problem found in the construct's props, one message line each. */
  declare readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[]) {
    super(issues.map((issue) => formatIssue(subject, issue)).join("\n"));
    this.name = "PolytomicValidationError";
    // Not enumerable: Node prints an uncaught error's enumerable properties after its message,
    // which would repeat every issue as a dump of objects.
    Object.defineProperties(this, { subject: { value: subject }, issues: { value: issues } });
    this.stack = callerStack(this);
  }
}

/** The package's own code (the bundle, or lib/ when run from source). */
const LIBRARY = new RegExp(`${escapeRegExp(__dirname.replace(/[\\/](core|lib)$/, ""))}[\\/]`);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The message and the app's own frames only: the library's and Node's frames say nothing a person
 * fixing their props needs, and the message already names the construct and the property.
 */
function callerStack(error: Error): string {
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .filter((line) => !LIBRARY.test(line) && !/\(node:|at node:/.test(line))
    .slice(0, 3);
  return [`${error.name}: ${error.message}`, ...frames].join("\n");
}

/** Collects issues so that one synth reports every problem of a construct at once. */
export class IssueCollector {
  private readonly found: ValidationIssue[] = [];

  add(issue: ValidationIssue): void {
    this.found.push(issue);
  }

  get issues(): readonly ValidationIssue[] {
    return this.found;
  }

  /** Throws every collected issue under `subject` (computed only then), if there are any. */
  throwIfAny(subject: string | (() => string)): void {
    if (this.found.length === 0) return;
    throw new PolytomicValidationError(
      typeof subject === "string" ? subject : subject(),
      this.found,
    );
  }
}

/** Damerau-free Levenshtein distance, case-insensitive, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost));
    }
    previous = current;
  }
  return previous[right.length];
}

/** The candidate closest to `value`, if it is close enough to be a plausible typo. */
export function nearest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(value, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const tolerance = Math.max(2, Math.floor(value.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

/** "One of a, b, c." plus a suggestion when `value` looks like a typo of one of them. */
export function oneOfFix(value: unknown, allowed: readonly string[], what = "Use one of"): string {
  const suggestion = typeof value === "string" ? nearest(value, allowed) : undefined;
  const list = `${what} ${allowed.map((item) => JSON.stringify(item)).join(", ")}.`;
  return suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ${list}` : list;
}
