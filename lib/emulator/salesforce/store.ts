/**
 * The records of every emulated Salesforce organization, keyed by its login host (two
 * connections to the same domain reach the same organization, as with the real service). Writes
 * go through {@link SalesforceStore.prepare} first, which applies Salesforce's rules — field
 * types and lengths, required fields, references to existing records — and returns either the
 * values to store or every error, so a caller can check without writing (a test execution).
 */
import { FieldError, fieldValue, isBlank, requiredMissing } from "./field-values";
import { recordId } from "./ids";
import type { SalesforceField, SalesforceObjectSchema } from "./schema";
import { salesforceObject, USER_ID_PREFIX } from "./schema";

export type SalesforceRecord = Readonly<Record<string, unknown>> & { readonly Id: string };

export type Prepared =
  | { readonly ok: true; readonly values: Record<string, unknown> }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

interface OrgRecords {
  sequence: number;
  readonly objects: Map<string, Map<string, SalesforceRecord>>;
  /** Custom fields syncs created (mappings with `new: true`), per object. */
  readonly custom: Map<string, Set<string>>;
}

export interface PersistedSalesforce {
  readonly [host: string]: {
    readonly sequence: number;
    readonly custom: Readonly<Record<string, readonly string[]>>;
    readonly objects: Readonly<Record<string, readonly SalesforceRecord[]>>;
  };
}

interface FieldIndex {
  readonly byId: ReadonlyMap<string, SalesforceField>;
  readonly required: readonly SalesforceField[];
}

/** Each emulated organization has one user, the connection's own, who owns every record. */
export const EMULATED_USER_ID = recordId(USER_ID_PREFIX, 1);

/** Fields Salesforce maintains itself. */
const SYSTEM_FIELDS = new Set(["Id", "CreatedDate", "LastModifiedDate"]);

export class SalesforceStore {
  private readonly orgs = new Map<string, OrgRecords>();
  private readonly indexes = new WeakMap<readonly SalesforceField[], FieldIndex>();
  /** Bumped on every change, so persistence re-serialises the records only when they changed. */
  revision = 0;

  records(host: string, object: string): SalesforceRecord[] {
    return [...(this.orgs.get(host)?.objects.get(object)?.values() ?? [])];
  }

  find(host: string, object: string, id: string): SalesforceRecord | undefined {
    return this.orgs.get(host)?.objects.get(object)?.get(id);
  }

  /** The object's fields, custom ones included. */
  fields(host: string, object: SalesforceObjectSchema): readonly SalesforceField[] {
    const custom = this.orgs.get(host)?.custom.get(object.id);
    if (custom === undefined || custom.size === 0) return object.fields;
    return [
      ...object.fields,
      ...[...custom].map((id) => ({
        id,
        label: id,
        kind: "string" as const,
        length: 255,
        required: false,
      })),
    ];
  }

  /** Creates a custom text field, as Polytomic does for a mapping with `new: true`. */
  addCustomField(host: string, object: string, field: string): void {
    const org = this.org(host);
    const fields = org.custom.get(object) ?? new Set<string>();
    if (fields.has(field)) return;
    fields.add(field);
    org.custom.set(object, fields);
    this.revision += 1;
  }

  /**
   * Checks `values` (field id → value) as a create (no `existing`) or an update of `existing`:
   * unknown and read-only fields, each value against its field, references, required fields.
   */
  prepare(
    host: string,
    object: SalesforceObjectSchema,
    values: Readonly<Record<string, unknown>>,
    existing?: SalesforceRecord,
  ): Prepared {
    const fields = this.fields(host, object);
    const { byId, required } = this.fieldIndex(fields);
    const errors: FieldError[] = [];
    const converted: Record<string, unknown> = {};
    for (const id in values) {
      const value = values[id];
      const field = byId.get(id);
      if (field === undefined || SYSTEM_FIELDS.has(id)) {
        const code = field === undefined ? "INVALID_FIELD" : "INVALID_FIELD_FOR_INSERT_UPDATE";
        const why =
          field === undefined
            ? `No such column '${id}' on entity '${object.id}'`
            : `Unable to create/update fields: ${id}`;
        errors.push(new FieldError(id, code, why));
        continue;
      }
      const result = fieldValue(field, value);
      if (result instanceof FieldError) {
        errors.push(result);
        continue;
      }
      const problem = this.referenceProblem(host, field, result);
      if (problem !== undefined) errors.push(problem);
      else converted[id] = result;
    }
    // A value given but refused already has its error: it is not also "missing".
    let missing: SalesforceField[] | undefined;
    for (const field of required) {
      if (field.id in values && !(field.id in converted) && !isBlank(values[field.id])) continue;
      const value = field.id in converted ? converted[field.id] : existing?.[field.id];
      if (value === null || value === undefined) (missing ??= []).push(field);
    }
    if (missing !== undefined) errors.unshift(requiredMissing(missing));
    return errors.length > 0 ? { ok: false, errors } : { ok: true, values: converted };
  }

  insert(
    host: string,
    object: SalesforceObjectSchema,
    values: Record<string, unknown>,
    now: string,
  ): SalesforceRecord {
    const org = this.org(host);
    org.sequence += 1;
    // `values` comes from prepare() and is the caller's to give: it becomes the record.
    if (values.OwnerId === undefined || values.OwnerId === null) values.OwnerId = EMULATED_USER_ID;
    values.Id = recordId(object.idPrefix, org.sequence);
    values.CreatedDate = now;
    values.LastModifiedDate = now;
    const record = values as SalesforceRecord;
    this.table(org, object.id).set(record.Id, record);
    this.revision += 1;
    return record;
  }

  /** Applies `changes`; answers the updated record, or `existing` itself when nothing changed. */
  update(
    host: string,
    object: SalesforceObjectSchema,
    existing: SalesforceRecord,
    changes: Readonly<Record<string, unknown>>,
    now: string,
  ): SalesforceRecord {
    const changed = Object.entries(changes).some(
      ([key, value]) => existing[key] !== value && !(existing[key] === undefined && value === null),
    );
    if (!changed) return existing;
    const record: SalesforceRecord = {
      ...existing,
      ...changes,
      Id: existing.Id,
      LastModifiedDate: now,
    };
    this.table(this.org(host), object.id).set(record.Id, record);
    this.revision += 1;
    return record;
  }

  delete(host: string, object: string, id: string): void {
    if (this.orgs.get(host)?.objects.get(object)?.delete(id)) this.revision += 1;
  }

  clear(): void {
    this.orgs.clear();
    this.revision += 1;
  }

  serialize(): PersistedSalesforce {
    const persisted: Record<string, PersistedSalesforce[string]> = {};
    for (const [host, org] of this.orgs) {
      persisted[host] = {
        sequence: org.sequence,
        custom: Object.fromEntries(
          [...org.custom].map(([object, fields]) => [object, [...fields]]),
        ),
        objects: Object.fromEntries(
          [...org.objects].map(([object, records]) => [object, [...records.values()]]),
        ),
      };
    }
    return persisted;
  }

  restore(persisted: PersistedSalesforce | undefined): void {
    this.orgs.clear();
    for (const [host, org] of Object.entries(persisted ?? {})) {
      this.orgs.set(host, {
        sequence: org.sequence,
        custom: new Map(
          Object.entries(org.custom).map(([object, fields]) => [object, new Set(fields)]),
        ),
        objects: new Map(
          Object.entries(org.objects).map(([object, records]) => [
            object,
            new Map(records.map((record) => [record.Id, record])),
          ]),
        ),
      });
    }
  }

  /** Fields by id and the required ones, kept per field list (an object's, with custom fields). */
  private fieldIndex(fields: readonly SalesforceField[]): FieldIndex {
    let index = this.indexes.get(fields);
    if (index === undefined) {
      index = {
        byId: new Map(fields.map((field) => [field.id, field])),
        required: fields.filter((field) => field.required),
      };
      this.indexes.set(fields, index);
    }
    return index;
  }

  private org(host: string): OrgRecords {
    let org = this.orgs.get(host);
    if (org === undefined) {
      org = { sequence: 0, objects: new Map(), custom: new Map() };
      this.orgs.set(host, org);
    }
    return org;
  }

  private table(org: OrgRecords, object: string): Map<string, SalesforceRecord> {
    let table = org.objects.get(object);
    if (table === undefined) {
      table = new Map();
      org.objects.set(object, table);
    }
    return table;
  }

  /** A reference must name an existing record of the object it points at. */
  private referenceProblem(
    host: string,
    field: SalesforceField,
    value: unknown,
  ): FieldError | undefined {
    if (field.kind !== "reference" || value === null || field.references === undefined)
      return undefined;
    const exists =
      field.references === "User"
        ? value === EMULATED_USER_ID
        : salesforceObject(field.references) !== undefined &&
          this.find(host, field.references, String(value)) !== undefined;
    return exists
      ? undefined
      : new FieldError(
          field.id,
          "INVALID_CROSS_REFERENCE_KEY",
          `${field.label}: invalid cross reference id`,
        );
  }
}
