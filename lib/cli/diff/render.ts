/**
 * `polytomic-cdktf diff` as text, for a terminal and for a CI log: one block per stack, one line
 * per object that a deploy would touch, its changed fields below it (a query or a list as a line
 * diff), drift marked. Colours only when asked for (a TTY without NO_COLOR).
 */
import { lineDiff } from "./line-diff";
import type { DiffAction, DiffReport, FieldDiff, ObjectDiff, StackDiff } from "./report";

export interface Style {
  readonly added: (text: string) => string;
  readonly removed: (text: string) => string;
  readonly changed: (text: string) => string;
  readonly drift: (text: string) => string;
  readonly dim: (text: string) => string;
}

const ansi =
  (code: number) =>
  (text: string): string =>
    `\u001b[${code}m${text}\u001b[0m`;

export const PLAIN: Style = {
  added: (text) => text,
  removed: (text) => text,
  changed: (text) => text,
  drift: (text) => text,
  dim: (text) => text,
};

export const COLOURED: Style = {
  added: ansi(32),
  removed: ansi(31),
  changed: ansi(33),
  drift: ansi(35),
  dim: ansi(2),
};

const SYMBOLS: Record<DiffAction, string> = {
  create: "+",
  update: "~",
  adopt: "~",
  restore: "~",
  recover: "~",
  delete: "-",
  "refuse-takeover": "!",
  unknown: "?",
  unchanged: "=",
};

const VERBS: Record<DiffAction, string> = {
  create: "to create",
  update: "to update",
  adopt: "to adopt",
  restore: "to restore",
  recover: "to take back",
  delete: "to delete",
  "refuse-takeover": "refused (takeover)",
  unknown: "known only at apply",
  unchanged: "unchanged",
};

function colourOf(action: DiffAction, style: Style): (text: string) => string {
  if (action === "create") return style.added;
  if (action === "delete" || action === "refuse-takeover") return style.removed;
  if (action === "unknown") return style.dim;
  return style.changed;
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return "(not set)";
  return JSON.stringify(value);
}

/** The lines a value is compared by: a text's lines, a list's items. */
function linesOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return value.split("\n");
  if (Array.isArray(value)) return value.map((item) => JSON.stringify(item));
  return [JSON.stringify(value)];
}

/** A text of several lines or a list is shown as a line diff, anything else as `old -> new`. */
function isMultiline(value: unknown): boolean {
  return Array.isArray(value) || (typeof value === "string" && value.includes("\n"));
}

function fieldLines(change: FieldDiff, style: Style): string[] {
  const marker = change.drift ? ` ${style.drift("(drift)")}` : "";
  if (!isMultiline(change.from) && !isMultiline(change.to)) {
    return [`      ${change.field}: ${shown(change.from)} -> ${shown(change.to)}${marker}`];
  }
  return [
    `      ${change.field}:${marker}`,
    ...lineDiff(linesOf(change.from), linesOf(change.to)).map((line) =>
      line.op === "+"
        ? style.added(`        + ${line.text}`)
        : line.op === "-"
          ? style.removed(`        - ${line.text}`)
          : `          ${line.text}`,
    ),
  ];
}

function objectLines(object: ObjectDiff, style: Style): string[] {
  const where = [
    object.construct && object.path ? `${object.construct} ${object.path}` : undefined,
    object.id ? `id ${object.id}` : undefined,
  ].filter((part) => part !== undefined);
  const colour = colourOf(object.action, style);
  const drift = object.drift ? ` ${style.drift("[drift]")}` : "";
  const note = object.note ? ` ${style.dim(`(${object.note})`)}` : "";
  const head = `  ${colour(`${SYMBOLS[object.action]} ${object.kind} ${JSON.stringify(object.name)}`)}${where.length > 0 ? ` (${where.join(", ")})` : ""}: ${object.action}${drift}${note}`;
  return [head, ...object.changes.flatMap((change) => fieldLines(change, style))];
}

function summary(stack: StackDiff): string {
  const counts = new Map<DiffAction, number>();
  for (const object of stack.objects)
    counts.set(object.action, (counts.get(object.action) ?? 0) + 1);
  const parts = [...counts].map(([action, count]) => `${count} ${VERBS[action]}`);
  const drifted = stack.objects.filter((object) => object.drift).length;
  if (drifted > 0) parts.push(`drift in ${drifted}`);
  if (stack.problems.length > 0) parts.push(`${stack.problems.length} problem(s)`);
  return parts.length > 0 ? parts.join(", ") : "no objects";
}

function stackLines(stack: StackDiff, style: Style): string[] {
  const lines = [`Stack ${JSON.stringify(stack.stack)} (${stack.directory}): ${summary(stack)}`];
  if (!stack.deployed) lines.push("  not deployed yet: every object is compared as new");
  for (const object of stack.objects) {
    if (object.action !== "unchanged") lines.push(...objectLines(object, style));
  }
  for (const problem of stack.problems) {
    const [first, ...rest] = problem.split("\n");
    lines.push(style.removed(`  ! ${first}`), ...rest.map((line) => `    ${line}`));
  }
  for (const note of stack.notes ?? []) lines.push(`  note: ${note}`);
  if (stack.reconcile === "on-change" && stack.objects.some((object) => object.drift)) {
    lines.push(
      `  note: this stack deploys only when its code changes (reconcile: "on-change"), so drift waits for the next change; PolytomicSettings reconcile "always" repairs it on every deploy`,
    );
  }
  return lines;
}

export function renderReport(report: DiffReport, style: Style): string {
  const lines = report.stacks.flatMap((stack) => [...stackLines(stack, style), ""]);
  if (report.unmanaged) {
    lines.push(
      report.unmanaged.length === 0
        ? "Every object of the organization is declared by a stack."
        : `Not declared by any stack (${report.unmanaged.length}):`,
      ...report.unmanaged.map(
        (object) =>
          `  ${object.kind} ${JSON.stringify(object.name)} (id ${object.id})${object.referenced ? " (used by name by a stack)" : ""}`,
      ),
      "",
    );
  }
  for (const error of report.errors) lines.push(style.removed(`error: ${error}`));
  lines.push(
    report.errors.length > 0
      ? "Some stacks could not be compared."
      : report.differs
        ? "A deploy would change Polytomic (or fail): see above."
        : "No differences: Polytomic matches the code.",
  );
  return `${lines.join("\n")}\n`;
}
