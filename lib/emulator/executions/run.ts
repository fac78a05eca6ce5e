/**
 * Running one execution of a sync (polytomic-api.md §5): the model's query runs against the
 * warehouse; model filters select records, overrides replace values, and records unchanged since
 * the sync last sent them are skipped unless the run is a resync. Each remaining record is mapped
 * onto the target's fields and handled by the mode — `create` only creates (records the identity
 * already matches are left alone), `update` only updates matched records, `updateOrCreate` does
 * both, `remove` deletes matched records — with Salesforce's rules deciding which records fail and
 * why. A test execution takes the first {@link TEST_SAMPLE_SIZE} records, checks them the same
 * way and writes nothing.
 */
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { streamModelRows } from "../model-columns";
import type {
  SyncSnapshot,
  ExecutionLogEntry,
  ExecutionRecord,
  ModelRecord,
  OrgState,
  SyncFieldRecord,
  SyncRecord,
} from "../records";
import type { FieldError } from "../salesforce/field-values";
import { isBlank } from "../salesforce/field-values";
import type { SalesforceObjectSchema } from "../salesforce/schema";
import { salesforceObject } from "../salesforce/schema";
import type { SalesforceRecord, SalesforceStore } from "../salesforce/store";
import { salesforceHost } from "../validation/connection-rules";
import { storedSource } from "../validation/model-body";
import type { Warehouse } from "../warehouse/warehouse";
import { combine, holds, UnsupportedCondition } from "./conditions";
import { IdentityMatcher, identityKey } from "./identity";

/** How many records a test execution checks: the first ones the model returns, after filters. */
export const TEST_SAMPLE_SIZE = 10;

/** Records handled between two looks at whether the execution was cancelled. */
const BATCH = 1024;

/** Stops the execution as a whole; the message goes to the execution's `errors`. */
export class ExecutionFailure extends Error {}

export interface RunInput {
  readonly org: OrgState;
  readonly sync: SyncRecord;
  readonly execution: ExecutionRecord;
  readonly warehouse: Warehouse;
  readonly salesforce: SalesforceStore;
  readonly now: () => string;
  readonly cancelled: () => boolean;
}

/** A row as the warehouse returns it: values in the query's column order. */
type ModelRow = readonly unknown[];

/** Where each model field is in a row (a field the user added has no column: always null). */
class RowShape {
  constructor(private readonly positions: ReadonlyMap<string, number>) {}

  /** The position of field `name`, or -1 for a field without a column. */
  index(name: string): number {
    return this.positions.get(name) ?? -1;
  }

  get(row: ModelRow, name: string): unknown {
    return valueAt(row, this.index(name));
  }
}

function valueAt(row: ModelRow, index: number): unknown {
  return index < 0 ? null : (row[index] ?? null);
}

interface Target {
  readonly host: string;
  readonly object: SalesforceObjectSchema;
}

function resolveTarget(org: OrgState, sync: SyncRecord): Target {
  const connection = org.connections.get(sync.target.connection_id);
  if (connection === undefined) {
    throw new ExecutionFailure(`target connection ${sync.target.connection_id} no longer exists`);
  }
  if (connection.status !== "healthy") {
    throw new ExecutionFailure(
      `target connection ${connection.name} is not usable: ${connection.status_error ?? connection.status}`,
    );
  }
  const object =
    connection.type === "salesforce" ? salesforceObject(sync.target.object ?? "") : undefined;
  if (object === undefined) {
    throw new ExecutionFailure(
      `the emulator runs syncs into Salesforce Contact, Lead and Account, not into ${connection.type} ${sync.target.object ?? sync.target.new_name ?? ""}`.trim(),
    );
  }
  return { host: salesforceHost(connection.configuration.domain), object };
}

function resolveModel(org: OrgState, sync: SyncRecord): ModelRecord {
  if (sync.model_ids.length !== 1) {
    throw new ExecutionFailure(
      `the sync reads ${sync.model_ids.length} models joined by relations; the emulator runs syncs that read one model`,
    );
  }
  const model = org.models.get(sync.model_ids[0]);
  if (model === undefined)
    throw new ExecutionFailure(`model ${sync.model_ids[0]} no longer exists`);
  return model;
}

/** The model's rows, chunk by chunk, and where each of its fields is in them. */
async function openRows(
  input: RunInput,
  model: ModelRecord,
): Promise<{ readonly shape: RowShape; readonly chunks: AsyncGenerator<ModelRow[]> }> {
  const connection = input.org.connections.get(model.connection_id);
  if (connection === undefined || connection.status !== "healthy") {
    throw new ExecutionFailure(`the source connection of model ${model.name} is not usable`);
  }
  const failure = (error: unknown) =>
    new ExecutionFailure(`model ${model.name}: ${(error as Error).message}`);
  let result: Awaited<ReturnType<typeof streamModelRows>>;
  try {
    result = await streamModelRows(
      storedSource(model.configuration),
      input.warehouse,
      String(connection.configuration.dbname),
    );
  } catch (error) {
    throw failure(error);
  }
  const { columns } = result;
  const positions = new Map<string, number>();
  for (const field of model.fields) {
    if (field.user_added) continue;
    const index = columns.indexOf(field.name);
    if (index < 0) {
      throw new ExecutionFailure(
        `model ${model.name}: its query no longer returns the field ${field.name} (it returns ${columns.join(", ")}); update the model`,
      );
    }
    positions.set(field.name, index);
  }
  async function* chunks(): AsyncGenerator<ModelRow[]> {
    try {
      yield* result.chunks;
    } catch (error) {
      throw failure(error);
    }
  }
  return { shape: new RowShape(positions), chunks: chunks() };
}

function conditionHolds(fn: string, value: unknown, operand: unknown, now: number): boolean {
  try {
    return holds(fn, value, operand, now);
  } catch (error) {
    if (error instanceof UnsupportedCondition) throw new ExecutionFailure(error.message);
    throw error;
  }
}

/** Applies the model filters and overrides to each row, then keeps the identities asked for. */
class RowSelection {
  private readonly now = Date.now();
  private readonly filters;
  private readonly identities: ReadonlySet<string | undefined> | undefined;

  constructor(
    private readonly sync: SyncRecord,
    private readonly shape: RowShape,
    wanted: readonly string[] | undefined,
  ) {
    this.filters = sync.filters.filter((filter) => filter.field_type === "Model");
    const fn = sync.identity?.function ?? "";
    this.identities =
      wanted === undefined || sync.identity === undefined
        ? undefined
        : new Set(wanted.map((value) => identityKey(fn, value)));
  }

  select(rows: readonly ModelRow[]): ModelRow[] {
    const { sync, now, shape } = this;
    if (this.filters.length === 0 && sync.overrides.length === 0 && this.identities === undefined) {
      return rows as ModelRow[];
    }
    const selected: ModelRow[] = [];
    for (const row of rows) {
      if (this.filters.length > 0) {
        const truth = new Map(
          this.filters.map((filter) => [
            filter.label,
            conditionHolds(
              filter.function,
              shape.get(row, filter.field?.field ?? ""),
              filter.value,
              now,
            ),
          ]),
        );
        if (!combine(sync.filter_logic, truth)) continue;
      }
      let record = row;
      for (const override of sync.overrides) {
        const index = shape.index(override.field.field);
        if (
          conditionHolds(override.function, valueAt(record, index), override.value, now) &&
          index >= 0
        ) {
          const copy = [...record];
          copy[index] = override.override ?? null;
          record = copy;
        }
      }
      if (this.identities !== undefined && sync.identity !== undefined) {
        const key = identityKey(
          sync.identity.function,
          shape.get(record, sync.identity.source.field),
        );
        if (!this.identities.has(key)) continue;
      }
      selected.push(record);
    }
    return selected;
  }
}

/** Where a target field's value comes from: a model field's position, or a constant. */
interface Source {
  readonly target: string;
  readonly index: number;
  readonly constant?: string;
}

/** Target field → value for a row. */
function mapRow(sources: readonly Source[], row: ModelRow): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const source of sources) {
    values[source.target] = source.constant ?? valueAt(row, source.index);
  }
  return values;
}

/** The key of a record tracked by its values alone (a sync with neither identifier nor identity). */
function fingerprint(values: unknown): string {
  return JSON.stringify(values);
}

/** Whether a record sends the same values as last time (values are flat JSON: compared by ===). */
function unchanged(
  previous: Readonly<Record<string, unknown>> | undefined,
  values: Readonly<Record<string, unknown>>,
): boolean {
  if (previous === undefined) return false;
  let count = 0;
  for (const key in values) {
    if (previous[key] !== values[key]) return false;
    count += 1;
  }
  return count === Object.keys(previous).length;
}

class Run {
  private readonly counts: ExecutionRecord["counts"];
  private readonly logs: ExecutionRecord["logs"];
  private readonly matcher: IdentityMatcher | undefined;
  private readonly seen = new Set<string>();
  private readonly snapshot: SyncSnapshot;
  private readonly test: boolean;
  private readonly mappings: readonly SyncFieldRecord[];
  /** Target fields written only when empty (per-field sync mode `create`). */
  private readonly createOnly: ReadonlySet<string>;
  /** Target fields the mappings ask Polytomic to create (`new: true`). */
  private readonly created: ReadonlySet<string>;
  /** When this batch of records is written. */
  private stamp: string;

  /** Where each target value comes from, the identity included. */
  private readonly sources: readonly Source[];
  private readonly identityIndex: number;
  private readonly identifierIndex: number | undefined;

  constructor(
    private readonly input: RunInput,
    private readonly target: Target,
    model: ModelRecord,
    shape: RowShape,
  ) {
    this.counts = input.execution.counts;
    this.logs = input.execution.logs;
    this.test = input.execution.type === "test";
    this.mappings = [...input.sync.fields, ...input.sync.override_fields];
    const sources: Source[] = this.mappings.map((mapping) => ({
      target: mapping.target,
      index: mapping.source === undefined ? -1 : shape.index(mapping.source.field),
      ...(mapping.override_value !== undefined && { constant: mapping.override_value }),
    }));
    const { identity } = input.sync;
    this.identityIndex = identity === undefined ? -1 : shape.index(identity.source.field);
    if (identity !== undefined && !sources.some((source) => source.target === identity.target)) {
      sources.push({ target: identity.target, index: this.identityIndex });
    }
    this.sources = sources;
    this.identifierIndex =
      model.identifier === undefined ? undefined : shape.index(model.identifier);
    this.createOnly = new Set(
      this.mappings
        .filter((mapping) => mapping.sync_mode === "create")
        .map((mapping) => mapping.target),
    );
    this.created = new Set(
      this.mappings.filter((mapping) => mapping.new === true).map((mapping) => mapping.target),
    );
    this.stamp = input.now();
    this.snapshot = input.org.snapshots.get(input.sync.id) ?? new Map();
    // Kept in place from the start, so that a cancelled run still remembers what it wrote.
    if (!this.test) input.org.snapshots.set(input.sync.id, this.snapshot);
    if (identity !== undefined) {
      const records = input.salesforce
        .records(target.host, target.object.id)
        .filter((record) => this.targetFiltersHold(record));
      this.matcher = new IdentityMatcher(identity.function, identity.target, records);
    }
  }

  /** Creates the custom fields mappings ask for (a test only assumes them). */
  prepareFields(): void {
    if (this.test) return;
    for (const field of this.created) {
      this.input.salesforce.addCustomField(this.target.host, this.target.object.id, field);
    }
  }

  /** Handles one chunk of rows; false when the execution was asked to stop. */
  async process(rows: readonly ModelRow[]): Promise<boolean> {
    for (let start = 0; start < rows.length; start += BATCH) {
      if (start > 0) {
        await yieldToEvents();
        if (this.input.cancelled()) return false;
      }
      this.stamp = this.input.now();
      const end = Math.min(rows.length, start + BATCH);
      for (let index = start; index < end; index += 1) this.one(rows[index]);
    }
    return true;
  }

  /** What the run comes to, once every chunk was processed. */
  finish(): void {
    this.counts.upserts =
      this.input.sync.mode === "updateOrCreate" ? this.counts.insert + this.counts.update : 0;
  }

  private targetFiltersHold(record: SalesforceRecord): boolean {
    const filters = this.input.sync.filters.filter((filter) => filter.field_type === "Target");
    if (filters.length === 0) return true;
    const now = Date.now();
    const truth = new Map(
      filters.map((filter) => [
        filter.label,
        conditionHolds(filter.function, record[filter.field_id], filter.value, now),
      ]),
    );
    return combine(this.input.sync.target.filter_logic, truth);
  }

  private one(row: ModelRow): void {
    const { sync } = this.input;
    const values = mapRow(this.sources, row);
    const identityValue =
      sync.identity === undefined ? undefined : valueAt(row, this.identityIndex);
    const normalised =
      sync.identity === undefined ? undefined : identityKey(sync.identity.function, identityValue);
    const key = this.trackingKey(row, normalised, values);
    const identity = identityValue ?? key;
    const logged = { identity, record: values };
    if (sync.identity !== undefined) {
      if (normalised === undefined) {
        this.counts.total += 1;
        this.fail(logged, [
          {
            field: sync.identity.target,
            code: "MISSING_IDENTITY",
            message: `the identity field ${sync.identity.source.field} is empty, so the record cannot be matched`,
          },
        ]);
        return;
      }
      // Decided before change tracking, so the same record wins on every run.
      if (this.seen.has(normalised)) {
        this.counts.total += 1;
        this.warn(
          identity,
          `another record of the model has the same ${sync.identity.source.field}; only the first one is synced`,
        );
        return;
      }
      this.seen.add(normalised);
    }
    if (!this.test && !this.input.execution.resync && unchanged(this.snapshot.get(key), values)) {
      return;
    }
    this.counts.total += 1;
    const matches =
      normalised === undefined ? [] : (this.matcher?.matches(identityValue, normalised) ?? []);
    const { mode } = sync;
    if (mode === "remove") {
      for (const record of matches) this.remove(logged, record);
      this.remember(key, values);
      return;
    }
    if (matches.length > 0 && mode !== "create") {
      let ok = true;
      for (const record of matches) ok = this.update(logged, record, values) && ok;
      if (ok) this.remember(key, values);
      return;
    }
    if (matches.length > 0) {
      this.logs.records.push({ ...logged, id: matches[0].Id, operation: "skip" });
      this.remember(key, values);
      return;
    }
    if (mode === "update") {
      this.warn(
        identity,
        `no ${this.target.object.id} matches ${sync.identity?.target} = ${String(identityValue)}; mode update never creates records`,
      );
      return;
    }
    if (this.insert(logged, values)) this.remember(key, values);
  }

  /**
   * The model's identifier when it has one, else the identity (normalised), else the record's own
   * values. A sync keys its records one way only, so the three kinds of key never meet.
   */
  private trackingKey(row: ModelRow, normalised: string | undefined, values: unknown): string {
    if (this.identifierIndex !== undefined)
      return JSON.stringify(valueAt(row, this.identifierIndex));
    if (this.input.sync.identity !== undefined) return normalised ?? "";
    return fingerprint(values);
  }

  private remember(key: string, values: Readonly<Record<string, unknown>>): void {
    if (!this.test) this.snapshot.set(key, values);
  }

  /** The values Salesforce would check: in a test, fields a mapping would create are assumed. */
  private checked(values: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
    if (!this.test || this.created.size === 0) return values;
    return Object.fromEntries(Object.entries(values).filter(([field]) => !this.created.has(field)));
  }

  private insert(logged: ExecutionLogEntry, values: Record<string, unknown>): boolean {
    const { host, object } = this.target;
    const prepared = this.input.salesforce.prepare(host, object, this.checked(values));
    if (!prepared.ok) {
      this.fail(logged, prepared.errors);
      return false;
    }
    this.counts.insert += 1;
    if (this.test) {
      this.logs.records.push({ ...logged, operation: "insert" });
      return true;
    }
    const record = this.input.salesforce.insert(host, object, prepared.values, this.stamp);
    this.matcher?.add(record);
    // One entry in both logs (an insert is also a record of the run), holding the record as
    // Salesforce stored it rather than a second copy of what was sent.
    const entry: ExecutionLogEntry = {
      identity: logged.identity,
      record,
      id: record.Id,
      operation: "insert",
    };
    this.logs.records.push(entry);
    this.logs.inserts.push(entry);
    return true;
  }

  private update(
    logged: ExecutionLogEntry,
    existing: SalesforceRecord,
    values: Record<string, unknown>,
  ): boolean {
    const { host, object } = this.target;
    const changes = Object.fromEntries(
      Object.entries(this.checked(values)).filter(
        ([field]) => !this.createOnly.has(field) || isBlank(existing[field]),
      ),
    );
    const prepared = this.input.salesforce.prepare(host, object, changes, existing);
    if (!prepared.ok) {
      this.fail({ ...logged, id: existing.Id }, prepared.errors);
      return false;
    }
    const changed = Object.entries(prepared.values).some(
      ([field, value]) => (existing[field] ?? null) !== value,
    );
    if (!changed) {
      this.logs.records.push({ ...logged, id: existing.Id, operation: "unchanged" });
      return true;
    }
    this.counts.update += 1;
    this.logs.records.push({ ...logged, id: existing.Id, operation: "update" });
    if (this.test) return true;
    const record = this.input.salesforce.update(
      host,
      object,
      existing,
      prepared.values,
      this.input.now(),
    );
    this.matcher?.remove(existing);
    this.matcher?.add(record);
    this.logs.updates.push({ ...logged, id: record.Id, record: prepared.values });
    return true;
  }

  private remove(logged: ExecutionLogEntry, existing: SalesforceRecord): void {
    this.counts.delete += 1;
    this.logs.records.push({ ...logged, id: existing.Id, operation: "delete" });
    if (this.test) return;
    this.input.salesforce.delete(this.target.host, this.target.object.id, existing.Id);
    this.matcher?.remove(existing);
    this.logs.deletes.push({ identity: logged.identity, id: existing.Id });
  }

  private fail(logged: ExecutionLogEntry, errors: readonly FieldError[]): void {
    this.counts.error += 1;
    this.logs.records.push({ ...logged, operation: "error" });
    for (const error of errors) {
      this.logs.errors.push({
        ...logged,
        field: error.field,
        code: error.code,
        message: `${error.code}: ${error.message}`,
      });
    }
  }

  private warn(identity: unknown, message: string): void {
    this.counts.warnings += 1;
    this.logs.warnings.push({ identity, message });
  }
}

/**
 * Runs the execution; resolves false if it was cancelled part-way (what was written stays
 * written, as in Polytomic). Throws {@link ExecutionFailure} when it cannot run at all.
 */
export async function runExecution(input: RunInput): Promise<boolean> {
  const target = resolveTarget(input.org, input.sync);
  const model = resolveModel(input.org, input.sync);
  const { shape, chunks } = await openRows(input, model);
  const selection = new RowSelection(input.sync, shape, input.execution.identities);
  const test = input.execution.type === "test";
  const run = new Run(input, target, model, shape);
  run.prepareFields();
  let left = test ? TEST_SAMPLE_SIZE : Number.POSITIVE_INFINITY;
  try {
    for await (const chunk of chunks) {
      if (input.cancelled()) return false;
      const rows = selection.select(chunk);
      const taken = rows.length > left ? rows.slice(0, left) : rows;
      if (!(await run.process(taken))) return false;
      left -= taken.length;
      if (left <= 0) break;
    }
  } finally {
    await chunks.return(undefined);
  }
  run.finish();
  return true;
}
