/**
 * Model syncs: the rules of polytomic-api.md §5 that can be checked before any API call. Columns are
 * checked against the model's when they are known (they may depend on Terraform values, then the
 * deploy step checks them once resolved).
 */
import type {
  SyncDeclaration,
  SyncFieldDeclaration,
  SyncFilterDeclaration,
  SyncIdentityDeclaration,
  SyncOverrideDeclaration,
} from "../declarations";
import { isPlaceholder } from "../declarations";
import type { IssueCollector } from "../errors";
import { nearest, oneOfFix } from "../errors";
import {
  FIELD_SYNC_MODES,
  FILTER_FUNCTIONS,
  filterLabel,
  filterLogicProblem,
  filterTakesValue,
  filterValueProblem,
  IDENTITY_FUNCTIONS,
  IDENTITY_MODES,
  PER_FIELD_MODES,
  SYNC_MODES,
} from "../sync-rules";
import { duplicates, optionalBoolean, requireName, requireText } from "./common";
import { checkSchedule } from "./schedule";

/** The modes this library declares: the API's, without `snapshot`. */
export const DECLARABLE_SYNC_MODES = SYNC_MODES.filter(
  (mode): mode is Exclude<(typeof SYNC_MODES)[number], "snapshot"> => mode !== "snapshot",
);

/** The sync's model as validation sees it: its name and, when known, its columns. */
export interface ModelColumns {
  readonly name: string;
  readonly columns?: readonly string[];
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === "string" && (allowed as readonly string[]).includes(value);
}

function checkColumn(
  issues: IssueCollector,
  property: string,
  column: string,
  model: ModelColumns,
): void {
  const columns = model.columns;
  if (columns === undefined || columns.includes(column)) return;
  const suggestion = nearest(column, columns);
  issues.add({
    property,
    received: column,
    problem: `is not a column of model ${JSON.stringify(model.name)}`,
    fix: `${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}The model's columns are ${columns.map((c) => JSON.stringify(c)).join(", ")}.`,
  });
}

function checkIdentity(
  issues: IssueCollector,
  identity: SyncIdentityDeclaration | undefined,
  mode: unknown,
  model: ModelColumns,
): void {
  if (!identity) {
    if (typeof mode === "string" && IDENTITY_MODES.includes(mode)) {
      issues.add({
        property: "identity",
        received: undefined,
        problem: `is required for mode "${mode}"`,
        fix: `Add identity: { source: model.field("..."), target: "<target field>" } so Polytomic can match existing records.`,
      });
    }
    return;
  }
  checkColumn(issues, "identity.source", identity.source, model);
  requireText(
    issues,
    "identity.target",
    identity.target,
    'Set identity.target to the target field that matches the source, e.g. "Email".',
  );
  if (!isOneOf(identity.function, IDENTITY_FUNCTIONS)) {
    issues.add({
      property: "identity.function",
      received: identity.function,
      problem: "is not an identity function",
      fix: oneOfFix(identity.function, IDENTITY_FUNCTIONS),
    });
  }
  optionalBoolean(issues, "identity.newField", identity.newField);
}

function checkFields(
  issues: IssueCollector,
  fields: readonly SyncFieldDeclaration[],
  mode: unknown,
  model: ModelColumns,
): void {
  if (fields.length === 0 && mode !== "remove") {
    issues.add({
      property: "fields",
      received: [],
      problem: "is empty",
      fix: 'Map at least one model column to a target field; only a "remove" sync may map none.',
    });
  }
  fields.forEach((field, index) => {
    const at = `fields[${index}]`;
    checkColumn(issues, `${at}.source`, field.source, model);
    requireText(
      issues,
      `${at}.target`,
      field.target,
      `Set ${at}.target to the target field to write, e.g. "FirstName".`,
    );
    if (field.syncMode !== undefined && !isOneOf(field.syncMode, FIELD_SYNC_MODES)) {
      issues.add({
        property: `${at}.syncMode`,
        received: field.syncMode,
        problem: "is not a field sync mode",
        fix: oneOfFix(field.syncMode, FIELD_SYNC_MODES),
      });
    } else if (
      field.syncMode !== undefined &&
      !(typeof mode === "string" && PER_FIELD_MODES.includes(mode))
    ) {
      issues.add({
        property: `${at}.syncMode`,
        received: field.syncMode,
        problem: `does not apply to mode ${JSON.stringify(mode)}`,
        fix: `Remove ${at}.syncMode; only ${PER_FIELD_MODES.map((m) => JSON.stringify(m)).join(" and ")} syncs choose per field whether to overwrite.`,
      });
    }
    optionalBoolean(issues, `${at}.new`, field.new);
  });
}

function checkOverrides(
  issues: IssueCollector,
  overrides: readonly SyncOverrideDeclaration[],
): void {
  overrides.forEach((override, index) => {
    const at = `overrideFields[${index}]`;
    requireText(
      issues,
      `${at}.target`,
      override.target,
      `Set ${at}.target to the target field that always receives the value.`,
    );
    const value = override.value;
    if (!isPlaceholder(value) && !["string", "number", "boolean"].includes(typeof value)) {
      issues.add({
        property: `${at}.value`,
        received: value,
        problem: "must be a string, number or boolean",
        fix: `Set ${at}.value to the constant to write.`,
      });
    }
  });
}

function checkFilters(
  issues: IssueCollector,
  filters: readonly SyncFilterDeclaration[],
  model: ModelColumns,
): void {
  filters.forEach((filter, index) => {
    const at = `filters[${index}]`;
    checkColumn(issues, `${at}.source`, filter.source, model);
    if (!isOneOf(filter.function, FILTER_FUNCTIONS)) {
      issues.add({
        property: `${at}.function`,
        received: filter.function,
        problem: "is not a filter function",
        fix: oneOfFix(filter.function, FILTER_FUNCTIONS),
      });
      return;
    }
    if (isPlaceholder(filter.value)) return;
    const problem = filterValueProblem(filter.function, filter.value);
    if (problem) {
      issues.add({
        property: `${at}.value`,
        received: filter.value,
        problem: `does not fit: ${problem}`,
        fix: filterTakesValue(filter.function)
          ? `Set ${at}.value to what the field is compared with.`
          : `Remove ${at}.value; ${filter.function} tests the field alone.`,
      });
    }
  });
}

function checkTargetsUnique(issues: IssueCollector, declaration: SyncDeclaration): void {
  const known = (target: unknown): target is string => typeof target === "string";
  const targets = [
    ...declaration.fields.map((field) => field.target),
    ...(declaration.overrideFields ?? []).map((override) => override.target),
  ].filter(known);
  for (const target of duplicates(targets)) {
    issues.add({
      property: "fields",
      received: target,
      problem: "map more than one value to the same target field",
      fix: `Keep one mapping (field or override) to ${JSON.stringify(target)}.`,
    });
  }
  const identityTarget = declaration.identity?.target;
  if (known(identityTarget) && targets.includes(identityTarget)) {
    issues.add({
      property: "fields",
      received: identityTarget,
      problem: "map a field to the identity's target field too",
      fix: `Remove the field mapping to ${JSON.stringify(identityTarget)}: the identity already matches and writes it, and Polytomic drops one of the two.`,
    });
  }
}

function checkFilterLogic(issues: IssueCollector, declaration: SyncDeclaration): void {
  const logic = declaration.filterLogic;
  if (logic === undefined || isPlaceholder(logic)) return;
  const filters = declaration.filters ?? [];
  const labels = filters.map((_, index) => filterLabel(index));
  const problem =
    typeof logic !== "string"
      ? "must be a string"
      : filters.length === 0
        ? "needs filters to combine"
        : filterLogicProblem(logic, labels);
  if (problem) {
    issues.add({
      property: "filterLogic",
      received: logic,
      problem,
      fix: `Combine the filter labels ${labels.join(", ") || "(none: add filters first)"} with AND, OR and parentheses, e.g. "A AND (B OR C)"; filters are labelled in order from A.`,
    });
  }
}

/** Validates a sync against its model's columns (when known). */
export function checkSync(
  issues: IssueCollector,
  declaration: SyncDeclaration,
  model: ModelColumns,
): void {
  requireName(issues, declaration.name, "sync");
  if (!isOneOf(declaration.mode, DECLARABLE_SYNC_MODES)) {
    issues.add({
      property: "mode",
      received: declaration.mode,
      problem: "is not a sync mode",
      fix: oneOfFix(declaration.mode, DECLARABLE_SYNC_MODES),
    });
  }
  requireText(
    issues,
    "target.object",
    declaration.target.object,
    'Set target.object to the target object, e.g. "Contact".',
  );
  checkIdentity(issues, declaration.identity, declaration.mode, model);
  checkFields(issues, declaration.fields, declaration.mode, model);
  checkOverrides(issues, declaration.overrideFields ?? []);
  checkFilters(issues, declaration.filters ?? [], model);
  checkTargetsUnique(issues, declaration);
  checkFilterLogic(issues, declaration);
  checkSchedule(issues, declaration.schedule);
  optionalBoolean(issues, "active", declaration.active);
  optionalBoolean(issues, "skipInitialBackfill", declaration.skipInitialBackfill);
  optionalBoolean(issues, "syncAllRecords", declaration.syncAllRecords);
  optionalBoolean(issues, "testRun", declaration.testRun);
}
