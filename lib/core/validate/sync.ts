/**
 * Model syncs: the rules of polytomic-api.md §5 that can be checked before any API call, and the
 * conversion of validated input into the spec the CLI applies.
 */
import type {
  ApiSettings,
  SyncFieldSpec,
  SyncFilterSpec,
  SyncIdentitySpec,
  SyncMode,
  SyncOverrideFieldSpec,
  SyncSpec,
} from "../contract";
import { SCHEMA_VERSION } from "../contract";
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
import type { ScheduleInput } from "./schedule";
import { buildSchedule } from "./schedule";

/** The modes this library declares: the API's, without `snapshot`. */
export const DECLARABLE_SYNC_MODES = SYNC_MODES.filter(
  (mode): mode is Exclude<(typeof SYNC_MODES)[number], "snapshot"> => mode !== "snapshot",
);

/** The sync's model as validation sees it: its name and columns. */
export interface ModelColumns {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface SyncInput {
  readonly name: unknown;
  readonly mode: unknown;
  readonly model: ModelColumns;
  readonly targetConnection: string;
  readonly targetObject: unknown;
  readonly identity?: {
    readonly source: string;
    readonly target: unknown;
    readonly function?: unknown;
    readonly newField?: unknown;
  };
  readonly fields: readonly {
    readonly source: string;
    readonly target: unknown;
    readonly syncMode?: unknown;
    readonly new?: unknown;
  }[];
  readonly overrideFields?: readonly { readonly target: unknown; readonly value: unknown }[];
  readonly filters?: readonly {
    readonly source: string;
    readonly function: unknown;
    readonly value?: unknown;
  }[];
  readonly filterLogic?: unknown;
  readonly schedule: ScheduleInput;
  readonly active?: unknown;
  readonly skipInitialBackfill?: unknown;
  readonly syncAllRecords?: unknown;
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
  if (model.columns.includes(column)) return;
  const suggestion = nearest(column, model.columns);
  issues.add({
    property,
    received: column,
    problem: `is not a column of model ${JSON.stringify(model.name)}`,
    fix: `${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}The model's columns are ${model.columns.map((c) => JSON.stringify(c)).join(", ")}.`,
  });
}

function buildIdentity(
  issues: IssueCollector,
  input: SyncInput,
  mode: unknown,
): SyncIdentitySpec | undefined {
  const identity = input.identity;
  if (!identity) {
    if (typeof mode === "string" && IDENTITY_MODES.includes(mode)) {
      issues.add({
        property: "identity",
        received: undefined,
        problem: `is required for mode "${mode}"`,
        fix: `Add identity: { source: model.field("..."), target: "<target field>" } so Polytomic can match existing records.`,
      });
    }
    return undefined;
  }
  checkColumn(issues, "identity.source", identity.source, input.model);
  requireText(
    issues,
    "identity.target",
    identity.target,
    'Set identity.target to the target field that matches the source, e.g. "Email".',
  );
  const fn = identity.function ?? "Equality";
  if (!isOneOf(fn, IDENTITY_FUNCTIONS)) {
    issues.add({
      property: "identity.function",
      received: fn,
      problem: "is not an identity function",
      fix: oneOfFix(fn, IDENTITY_FUNCTIONS),
    });
  }
  optionalBoolean(issues, "identity.newField", identity.newField);
  return {
    source: identity.source,
    target: identity.target as string,
    function: fn as string,
    ...(identity.newField === undefined ? {} : { new_field: identity.newField as boolean }),
  };
}

function buildFields(issues: IssueCollector, input: SyncInput, mode: unknown): SyncFieldSpec[] {
  if (!Array.isArray(input.fields)) {
    issues.add({
      property: "fields",
      received: input.fields,
      problem: "must be a list of field mappings",
      fix: 'Set fields: [{ source: model.field("..."), target: "..." }].',
    });
    return [];
  }
  if (input.fields.length === 0 && mode !== "remove") {
    issues.add({
      property: "fields",
      received: [],
      problem: "is empty",
      fix: 'Map at least one model column to a target field; only a "remove" sync may map none.',
    });
  }
  return input.fields.map((field, index) => {
    const at = `fields[${index}]`;
    checkColumn(issues, `${at}.source`, field.source, input.model);
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
    return {
      source: field.source,
      target: field.target as string,
      ...(field.syncMode === undefined ? {} : { sync_mode: field.syncMode as string }),
      ...(field.new === undefined ? {} : { new: field.new as boolean }),
    };
  });
}

function buildOverrides(issues: IssueCollector, input: SyncInput): SyncOverrideFieldSpec[] {
  return (input.overrideFields ?? []).map((override, index) => {
    const at = `overrideFields[${index}]`;
    requireText(
      issues,
      `${at}.target`,
      override.target,
      `Set ${at}.target to the target field that always receives the value.`,
    );
    const value = override.value;
    if (!["string", "number", "boolean"].includes(typeof value)) {
      issues.add({
        property: `${at}.value`,
        received: value,
        problem: "must be a string, number or boolean",
        fix: `Set ${at}.value to the constant to write.`,
      });
    }
    return { target: override.target as string, value: value as SyncOverrideFieldSpec["value"] };
  });
}

function buildFilters(issues: IssueCollector, input: SyncInput): SyncFilterSpec[] {
  return (input.filters ?? []).map((filter, index) => {
    const at = `filters[${index}]`;
    checkColumn(issues, `${at}.source`, filter.source, input.model);
    if (!isOneOf(filter.function, FILTER_FUNCTIONS)) {
      issues.add({
        property: `${at}.function`,
        received: filter.function,
        problem: "is not a filter function",
        fix: oneOfFix(filter.function, FILTER_FUNCTIONS),
      });
    } else {
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
    }
    return {
      source: filter.source,
      function: filter.function as string,
      ...(filter.value === undefined ? {} : { value: filter.value }),
    };
  });
}

function checkTargetsUnique(
  issues: IssueCollector,
  identity: SyncIdentitySpec | undefined,
  fields: SyncFieldSpec[],
  overrides: SyncOverrideFieldSpec[],
): void {
  const targets = [
    ...fields.map((field) => field.target),
    ...overrides.map((override) => override.target),
  ];
  for (const target of duplicates(targets)) {
    issues.add({
      property: "fields",
      received: target,
      problem: "map more than one value to the same target field",
      fix: `Keep one mapping (field or override) to ${JSON.stringify(target)}.`,
    });
  }
  if (identity && fields.some((field) => field.target === identity.target)) {
    issues.add({
      property: "fields",
      received: identity.target,
      problem: "map a field to the identity's target field too",
      fix: `Remove the field mapping to ${JSON.stringify(identity.target)}: the identity already matches and writes it, and Polytomic drops one of the two.`,
    });
  }
}

/** Validates a sync and builds its spec; issues go to `issues` (the spec is only usable when there are none). */
export function buildSyncSpec(
  issues: IssueCollector,
  input: SyncInput,
  api: ApiSettings,
): SyncSpec {
  requireName(issues, input.name, "sync");
  if (!isOneOf(input.mode, DECLARABLE_SYNC_MODES)) {
    issues.add({
      property: "mode",
      received: input.mode,
      problem: "is not a sync mode",
      fix: oneOfFix(input.mode, DECLARABLE_SYNC_MODES),
    });
  }
  requireText(
    issues,
    "target.object",
    input.targetObject,
    'Set target.object to the target object, e.g. "Contact".',
  );
  const identity = buildIdentity(issues, input, input.mode);
  const fields = buildFields(issues, input, input.mode);
  const overrideFields = buildOverrides(issues, input);
  const filters = buildFilters(issues, input);
  checkTargetsUnique(issues, identity, fields, overrideFields);

  if (input.filterLogic !== undefined) {
    const labels = filters.map((_, index) => filterLabel(index));
    const problem =
      typeof input.filterLogic !== "string"
        ? "must be a string"
        : filters.length === 0
          ? "needs filters to combine"
          : filterLogicProblem(input.filterLogic, labels);
    if (problem) {
      issues.add({
        property: "filterLogic",
        received: input.filterLogic,
        problem,
        fix: `Combine the filter labels ${labels.join(", ") || "(none: add filters first)"} with AND, OR and parentheses, e.g. "A AND (B OR C)"; filters are labelled in order from A.`,
      });
    }
  }
  const schedule = buildSchedule(issues, input.schedule);
  optionalBoolean(issues, "active", input.active);
  optionalBoolean(issues, "skipInitialBackfill", input.skipInitialBackfill);
  optionalBoolean(issues, "syncAllRecords", input.syncAllRecords);

  return {
    schema_version: SCHEMA_VERSION,
    kind: "sync",
    name: input.name as string,
    api,
    model: input.model.name,
    mode: input.mode as SyncMode,
    target: { connection: input.targetConnection, object: input.targetObject as string },
    ...(identity ? { identity } : {}),
    fields,
    override_fields: overrideFields,
    filters,
    ...(input.filterLogic === undefined ? {} : { filter_logic: input.filterLogic as string }),
    schedule: schedule ?? { frequency: "manual" },
    active: (input.active as boolean | undefined) ?? true,
    ...(input.skipInitialBackfill === undefined
      ? {}
      : { skip_initial_backfill: input.skipInitialBackfill as boolean }),
    ...(input.syncAllRecords === undefined
      ? {}
      : { sync_all_records: input.syncAllRecords as boolean }),
  };
}
