import type { SyncMode } from "../core/contract";
import type { ValidationIssue } from "../core/errors";
import { IssueCollector } from "../core/errors";
import type { Frequency } from "../core/validate/schedule";
import type { FIELD_SYNC_MODES, FILTER_FUNCTIONS, IDENTITY_FUNCTIONS } from "../core/sync-rules";
import type { ModelColumns } from "../core/validate/sync";
import { buildSyncSpec } from "../core/validate/sync";
import type { Construct, IConstruct } from "./cdktf";
import type { IConnection } from "./connection";
import { PolytomicObject } from "./object";
import type { IModel, ModelField } from "./query-model";

export type { Frequency, SyncMode };
export type IdentityFunction = (typeof IDENTITY_FUNCTIONS)[number];
export type FilterFunction = (typeof FILTER_FUNCTIONS)[number];
export type FieldSyncMode = (typeof FIELD_SYNC_MODES)[number];

export interface IModelSync extends IConstruct {
  /** The sync's name in Polytomic, which identifies it. */
  readonly syncName: string;
}

export interface SyncTarget {
  /** The connection records are written to. */
  readonly connection: IConnection;
  /** The target object, e.g. `Contact`. */
  readonly object: string;
}

export interface SyncIdentity {
  /** The model column that identifies a record. */
  readonly source: ModelField;
  /** The target field it is matched against, e.g. `Email`. */
  readonly target: string;
  /**
   * How source and target values are compared.
   * @default "Equality"
   */
  readonly function?: IdentityFunction;
  /**
   * Ask Polytomic to create the target field.
   * @default false
   */
  readonly newField?: boolean;
}

export interface SyncFieldMapping {
  readonly source: ModelField;
  /** The target field written, e.g. `FirstName`. */
  readonly target: string;
  /**
   * `create` writes the field only when the target record has no value yet.
   * @default "updateOrCreate"
   */
  readonly syncMode?: FieldSyncMode;
  /**
   * Ask Polytomic to create the target field.
   * @default false
   */
  readonly new?: boolean;
}

export interface SyncOverrideField {
  /** The target field that always receives `value`. */
  readonly target: string;
  readonly value: string | number | boolean;
}

export interface SyncFilter {
  /** The model column tested. */
  readonly source: ModelField;
  readonly function: FilterFunction;
  /**
   * The value compared with; required except for IsNull, IsNotNull, True and False.
   * @default - none
   */
  readonly value?: unknown;
}

/**
 * When the sync runs. Times are UTC. Each frequency takes exactly its own fields:
 * `manual` and `continuous` none; `hourly` minute; `daily` hour and minute; `weekly` dayOfWeek,
 * hour and minute; `custom` all five cron fields (numbers or cron text such as "*\/15");
 * `runafter` runAfter.
 */
export interface SyncSchedule {
  readonly frequency: Frequency;
  /** 0-59. */
  readonly minute?: number | string;
  /** 0-23, UTC. */
  readonly hour?: number | string;
  /** 0-6, 0 = Sunday. */
  readonly dayOfWeek?: number | string;
  /** 1-31 (`custom` only). */
  readonly dayOfMonth?: number | string;
  /** 1-12 (`custom` only). */
  readonly month?: number | string;
  /** The syncs this one runs after (`runafter` only). */
  readonly runAfter?: IModelSync[];
}

export interface ModelSyncProps {
  /** The sync's name in Polytomic; it identifies the sync, so it is unique in the stack. */
  readonly name: string;
  readonly mode: SyncMode;
  readonly target: SyncTarget;
  /**
   * How model rows are matched to target records; required for `update`, `updateOrCreate` and `remove`.
   * @default - none
   */
  readonly identity?: SyncIdentity;
  /** Model columns mapped to target fields. */
  readonly fields: SyncFieldMapping[];
  /**
   * Constant values written to target fields.
   * @default - none
   */
  readonly overrideFields?: SyncOverrideField[];
  /**
   * Rows to sync; labelled A, B, C… in order for `filterLogic`.
   * @default - every row
   */
  readonly filters?: SyncFilter[];
  /**
   * How filters combine, e.g. `"A AND (B OR C)"`.
   * @default - all filters must match
   */
  readonly filterLogic?: string;
  readonly schedule: SyncSchedule;
  /**
   * Whether the sync runs on its schedule.
   * @default true
   */
  readonly active?: boolean;
  /**
   * Skip syncing the rows that exist when the sync is created.
   * @default false
   */
  readonly skipInitialBackfill?: boolean;
  /**
   * Sync every row on each run, not only changed ones.
   * @default false
   */
  readonly syncAllRecords?: boolean;
}

interface SourceRef {
  readonly property: string;
  readonly value: unknown;
}

function isModelField(value: unknown): value is ModelField {
  const model = (value as ModelField | undefined)?.model;
  return (
    typeof (value as ModelField | undefined)?.name === "string" &&
    typeof model?.modelName === "string" &&
    Array.isArray(model?.columns)
  );
}

function isModelSync(value: unknown): value is IModelSync {
  return (
    typeof (value as IModelSync | undefined)?.syncName === "string" &&
    (value as IModelSync).node !== undefined
  );
}

/**
 * The one model a sync reads: every source must be a `model.field(...)` of the same model.
 * Returns it with an issue per source that breaks the rule.
 */
function resolveModel(sources: readonly SourceRef[]): {
  model?: IModel;
  issues: ValidationIssue[];
} {
  const issues: ValidationIssue[] = [];
  let model: IModel | undefined;
  for (const { property, value } of sources) {
    if (!isModelField(value)) {
      issues.push({
        property,
        received: value,
        problem: "is not a model field",
        fix: `Pass model.field("column") of the sync's model.`,
      });
      continue;
    }
    model ??= value.model;
    if (value.model !== model) {
      issues.push({
        property,
        received: value.model.modelName,
        problem: `comes from model ${JSON.stringify(value.model.modelName)}, but the sync reads ${JSON.stringify(model.modelName)}`,
        fix: "Take every source (identity, fields, filters) from the same model; a sync reads one model.",
      });
    }
  }
  if (sources.length === 0) {
    issues.push({
      property: "fields",
      received: [],
      problem: "give the sync no source column",
      fix: "Map at least one model field, or set an identity.",
    });
  }
  return { model, issues };
}

/** A model sync (reverse ETL): writes a model's rows into a target object on a schedule. */
export class ModelSync extends PolytomicObject implements IModelSync {
  readonly syncName: string;

  constructor(scope: Construct, id: string, props: ModelSyncProps) {
    super(scope, id, "sync", "ModelSync");
    const issues = new IssueCollector();
    this.checkProps(issues, props, [
      { property: "target", kind: "object", required: true },
      { property: "schedule", kind: "object", required: true },
      { property: "schedule.runAfter", kind: "list" },
      { property: "identity", kind: "object" },
      { property: "fields", kind: "list of objects", required: true },
      { property: "overrideFields", kind: "list of objects" },
      { property: "filters", kind: "list of objects" },
    ]);

    const fields = props.fields;
    const filters = props.filters ?? [];
    const sources: SourceRef[] = [
      ...(props.identity ? [{ property: "identity.source", value: props.identity.source }] : []),
      ...fields.map((field, index) => ({
        property: `fields[${index}].source`,
        value: field.source,
      })),
      ...filters.map((filter, index) => ({
        property: `filters[${index}].source`,
        value: filter.source,
      })),
    ];
    const resolved = resolveModel(sources);
    resolved.issues.forEach((issue) => issues.add(issue));
    // Without its model the sync's columns cannot be checked; report the sources first.
    issues.throwIfAny(() => this.subject);
    const model: ModelColumns = resolved.model
      ? { name: resolved.model.modelName, columns: resolved.model.columns }
      : { name: "", columns: [] };
    const columnOf = (value: unknown): string => (isModelField(value) ? value.name : "");

    const connection = props.target.connection;
    if (typeof connection?.connectionName !== "string") {
      issues.add({
        property: "target.connection",
        received: connection,
        problem: "is not a connection",
        fix: "Pass a connection construct, or an importer such as SalesforceConnection.fromConnectionName(...).",
      });
    }
    const runAfter = props.schedule.runAfter;
    const runAfterNames = runAfter?.map((sync, index) => {
      if (isModelSync(sync)) return sync.syncName;
      issues.add({
        property: `schedule.runAfter[${index}]`,
        received: sync,
        problem: "is not a ModelSync",
        fix: "List ModelSync constructs of this App.",
      });
      return "";
    });

    const spec = buildSyncSpec(
      issues,
      {
        name: props.name,
        mode: props.mode,
        model,
        targetConnection: connection?.connectionName ?? "",
        targetObject: props.target.object,
        identity: props.identity && { ...props.identity, source: columnOf(props.identity.source) },
        fields: fields.map((field) => ({ ...field, source: columnOf(field.source) })),
        overrideFields: props.overrideFields,
        filters: filters.map((filter) => ({ ...filter, source: columnOf(filter.source) })),
        filterLogic: props.filterLogic,
        schedule: { ...props.schedule, runAfter: runAfterNames },
        active: props.active,
        skipInitialBackfill: props.skipInitialBackfill,
        syncAllRecords: props.syncAllRecords,
      },
      this.stackResources.api,
    );
    this.syncName = props.name;

    const dependencies: { construct: IConstruct; property: string }[] = [];
    if (resolved.model) dependencies.push({ construct: resolved.model, property: "fields" });
    if (connection) dependencies.push({ construct: connection, property: "target.connection" });
    runAfter?.forEach((sync, index) => {
      if (isModelSync(sync))
        dependencies.push({ construct: sync, property: `schedule.runAfter[${index}]` });
    });
    this.provision(issues, spec, dependencies);
  }
}
