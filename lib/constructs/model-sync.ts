import type { Deferred, SyncDeclaration, SyncMode } from "../core/declarations";
import type { ValidationIssue } from "../core/errors";
import { IssueCollector } from "../core/errors";
import type { FIELD_SYNC_MODES, FILTER_FUNCTIONS, IDENTITY_FUNCTIONS } from "../core/sync-rules";
import { MODEL_SYNC_PROPS } from "../core/validate/props-schemas";
import type { Frequency } from "../core/validate/schedule";
import { checkSync } from "../core/validate/sync";
import type { Construct, IConstruct } from "constructs";
import type { ITerraformDependable } from "./framework";
import type { IConnection } from "./connection";
import type { Dependency } from "./object";
import { PolytomicObject } from "./object";
import type { IModel, ModelField } from "./query-model";
import type { IResolvableBoolean } from "./tokens";

export type { Frequency, SyncMode };
/** How the identity source matches the target field, e.g. `Equality`. */
export type IdentityFunction = (typeof IDENTITY_FUNCTIONS)[number];
/** The comparison of a {@link SyncFilter}, e.g. `Equality` or `StringContains`. */
export type FilterFunction = (typeof FILTER_FUNCTIONS)[number];
/** When one mapped field is written (update and updateOrCreate syncs): `SyncFieldMapping.syncMode`. */
export type FieldSyncMode = (typeof FIELD_SYNC_MODES)[number];

/** A sync another sync can run after: a ModelSync of this App. */
export interface IModelSync extends IConstruct {
  /** The sync's name in Polytomic, which identifies it. */
  readonly syncName: string;
}

/** Where a sync writes: `ModelSyncProps.target`. */
export interface SyncTarget {
  /** The connection records are written to. */
  readonly connection: IConnection;
  /** The target object, e.g. `Contact`. May be a Terraform value. */
  readonly object: string;
}

/** How source rows are matched to target records: `ModelSyncProps.identity`. */
export interface SyncIdentity {
  /** The model column that identifies a record: `model.field("email")`. */
  readonly source: ModelField;
  /** The target field it is matched against, e.g. `Email`. */
  readonly target: string;
  /**
   * How source and target values are compared: `Equality`, `ISubstring` (case-insensitive
   * substring), `OneOf`, `DomainMatch` or `HostnameMatch`.
   * @default "Equality"
   */
  readonly function?: IdentityFunction;
  /**
   * Ask Polytomic to create the target field.
   * @default false
   */
  readonly newField?: boolean | IResolvableBoolean;
}

/** One model column written to one target field: an item of `ModelSyncProps.fields`. */
export interface SyncFieldMapping {
  /** The model column whose value is written: `model.field("first_name")`. */
  readonly source: ModelField;
  /** The target field written, e.g. `FirstName`. */
  readonly target: string;
  /**
   * `create` writes the field only when the target record has no value yet; `updateOrCreate`
   * always writes it. Only `update` and `updateOrCreate` syncs choose per field.
   * @default "updateOrCreate"
   */
  readonly syncMode?: FieldSyncMode;
  /**
   * Ask Polytomic to create the target field.
   * @default false
   */
  readonly new?: boolean | IResolvableBoolean;
}

/** A constant written to a target field: an item of `ModelSyncProps.overrideFields`. */
export interface SyncOverrideField {
  /** The target field that always receives `value`. */
  readonly target: string;
  /** The constant written to every record. */
  readonly value: string | number | boolean;
}

/** A condition on a model column that rows must meet to be synced: `ModelSyncProps.filters`. */
export interface SyncFilter {
  /** The model column tested: `model.field("plan")`. */
  readonly source: ModelField;
  /**
   * The comparison, e.g. `Equality`, `IsNotNull`, `StringContains`, `GreaterThan`, `Between`
   * (two bounds) or `StringOneOf` (a list of strings).
   */
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
  /**
   * `manual`, `continuous` (at most every 5 minutes), `hourly`, `daily`, `weekly`, `custom`
   * (cron fields) or `runafter` (after other syncs).
   */
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
  /** The syncs this one runs after (`runafter` only); ModelSync constructs of this App. */
  readonly runAfter?: IModelSync[];
}

/** Props of {@link ModelSync}. */
export interface ModelSyncProps {
  /** The sync's name in Polytomic; it identifies the sync, so it is unique in the stack. */
  readonly name: string;
  /**
   * What the sync does to target records: `create` (new records only), `update` (existing ones,
   * matched on the identity), `updateOrCreate`, `replace`, `append` or `remove`.
   */
  readonly mode: SyncMode;
  /** The connection and object records are written to. */
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
  /** When the sync runs. */
  readonly schedule: SyncSchedule;
  /**
   * Whether the sync runs on its schedule.
   * @default true
   */
  readonly active?: boolean | IResolvableBoolean;
  /**
   * Skip syncing the rows that exist when the sync is created.
   * @default false
   */
  readonly skipInitialBackfill?: boolean | IResolvableBoolean;
  /**
   * Sync every row on each run, not only changed ones.
   * @default false
   */
  readonly syncAllRecords?: boolean | IResolvableBoolean;
  /**
   * Test the sync in the deploy: a deploy that creates or changes it (or its model) starts a test
   * execution, which checks a sample of records against the target without writing them, and
   * waits for it (up to POLYTOMIC_TEST_RUN_TIMEOUT seconds, default 600). Refused records fail the
   * deploy with a summary and leave the sync inactive; every later deploy tests it again until a
   * test of its configuration passes.
   * @default false
   */
  readonly testRun?: boolean;
  /**
   * Let a deploy take over a sync of this name that exists in Polytomic but was not created by
   * this stack. Without it, such a deploy fails naming the sync.
   * @default - the stack's `PolytomicSettings` adoptExisting (false)
   */
  readonly adoptExisting?: boolean;
  /**
   * Terraform resources the sync waits for.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
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
    typeof model?.field === "function"
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

/** A boolean prop as the declaration holds it: a Terraform value becomes a placeholder in defer(). */
const flag = (value: boolean | IResolvableBoolean): Deferred<boolean> => value as Deferred<boolean>;

/**
 * A model sync (reverse ETL): writes a model's rows into a target object on a schedule.
 *
 * @example
 * new ModelSync(stack, "ContactsSync", {
 *   name: "Snowflake to Salesforce Sync",
 *   mode: "create",
 *   identity: { source: users.field("email"), target: "Email", function: "Equality" },
 *   fields: [{ source: users.field("first_name"), target: "FirstName" }],
 *   schedule: { frequency: "daily", hour: 4, minute: 30 },
 *   target: { connection: salesforce, object: "Contact" },
 * });
 */
export class ModelSync extends PolytomicObject implements IModelSync {
  /** The sync's name in Polytomic, which identifies it. */
  readonly syncName: string;

  constructor(scope: Construct, id: string, props: ModelSyncProps) {
    super(scope, id, "ModelSync");
    const issues = new IssueCollector();
    this.checkShape(issues, MODEL_SYNC_PROPS, props);

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
    if (runAfter !== undefined && this.isToken(runAfter)) {
      issues.add({
        property: "schedule.runAfter",
        received: "a Terraform value",
        problem: "must list the syncs themselves, known at synth: they are found by name",
        fix: "Pass ModelSync constructs of this App, e.g. runAfter: [otherSync].",
      });
    }
    const runAfterNames = (this.isToken(runAfter) ? [] : (runAfter ?? [])).map((sync, index) => {
      if (isModelSync(sync)) return sync.syncName;
      issues.add({
        property: `schedule.runAfter[${index}]`,
        received: sync,
        problem: "is not a ModelSync",
        fix: "List ModelSync constructs of this App.",
      });
      return "";
    });
    // Without its model and target the sync's columns cannot be checked: report these first.
    issues.throwIfAny(() => this.subject);
    const model = resolved.model!;
    const column = (value: ModelField): string => value.name;
    const times = Object.fromEntries(
      Object.entries(props.schedule).filter(([key]) => key !== "runAfter"),
    ) as Omit<SyncSchedule, "runAfter">;
    const declaration: SyncDeclaration = this.defer({
      kind: "sync",
      name: props.name,
      mode: props.mode,
      model: model.modelName,
      target: { connection: connection.connectionName, object: props.target.object },
      ...(props.identity
        ? {
            identity: {
              source: column(props.identity.source),
              target: props.identity.target,
              function: props.identity.function ?? "Equality",
              ...(props.identity.newField === undefined
                ? {}
                : { newField: flag(props.identity.newField) }),
            },
          }
        : {}),
      fields: fields.map(({ new: created, ...field }) => ({
        ...field,
        source: column(field.source),
        ...(created === undefined ? {} : { new: flag(created) }),
      })),
      ...(props.overrideFields ? { overrideFields: props.overrideFields } : {}),
      ...(props.filters
        ? { filters: filters.map((filter) => ({ ...filter, source: column(filter.source) })) }
        : {}),
      ...(props.filterLogic === undefined ? {} : { filterLogic: props.filterLogic }),
      schedule: { ...times, ...(runAfter === undefined ? {} : { runAfter: runAfterNames }) },
      active: flag(props.active ?? true),
      ...(props.skipInitialBackfill === undefined
        ? {}
        : { skipInitialBackfill: flag(props.skipInitialBackfill) }),
      ...(props.syncAllRecords === undefined ? {} : { syncAllRecords: flag(props.syncAllRecords) }),
      ...(props.testRun === undefined ? {} : { testRun: props.testRun }),
      ...(props.adoptExisting === undefined ? {} : { adoptExisting: props.adoptExisting }),
    });
    checkSync(issues, declaration, { name: model.modelName, columns: model.columns });
    this.syncName = props.name;

    const dependencies: Dependency[] = [
      {
        construct: model,
        property: "fields",
        kind: "model",
        name: model.modelName,
        typeName: "QueryModel",
      },
      {
        construct: connection,
        property: "target.connection",
        kind: "connection",
        name: connection.connectionName,
        type: connection.connectionType,
        typeName:
          connection.connectionType === "snowflake"
            ? "SnowflakeConnection"
            : "SalesforceConnection",
      },
      ...(this.isToken(runAfter) ? [] : (runAfter ?? []))
        .filter(isModelSync)
        .map((sync, index) => ({
          construct: sync,
          property: `schedule.runAfter[${index}]`,
          kind: "sync" as const,
          name: sync.syncName,
          typeName: "ModelSync",
        })),
    ];
    this.declare(issues, declaration, dependencies, props.dependsOn);
  }
}
