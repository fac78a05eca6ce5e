/**
 * What Salesforce makes of a value written to a field: the stored value, or the error Salesforce
 * answers with (its status code and message), e.g. `STRING_TOO_LONG` for text over the field's
 * length or `INVALID_EMAIL_ADDRESS`. An empty string is no value, as in Salesforce.
 */
import { normaliseId } from "./ids";
import type { SalesforceField } from "./schema";

/** Why Salesforce refused a value (a class, so that a result is told from a value by `instanceof`). */
export class FieldError {
  constructor(
    readonly field: string,
    /** Salesforce's status code, e.g. `REQUIRED_FIELD_MISSING`. */
    readonly code: string,
    readonly message: string,
  ) {}
}

/** The value to store, or why it is refused. */
export type FieldValue = unknown;

/** Roughly Salesforce's rule: a local part, `@`, and a domain with at least one dot. */
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(T.*)?$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function fail(field: SalesforceField, code: string, message: string): FieldError {
  return new FieldError(field.id, code, `${field.label}: ${message}`);
}

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function wrongType(field: SalesforceField, value: unknown): FieldError {
  return fail(
    field,
    "INVALID_TYPE_ON_FIELD_IN_RECORD",
    `value not of required type: ${asText(value)}`,
  );
}

function textValue(field: SalesforceField, value: unknown): FieldValue {
  const text = asText(value);
  if (field.length !== undefined && text.length > field.length) {
    return fail(
      field,
      "STRING_TOO_LONG",
      `data value too large: ${text} (max length=${field.length})`,
    );
  }
  if (field.kind === "email" && !EMAIL.test(text)) {
    return fail(field, "INVALID_EMAIL_ADDRESS", `invalid email address: ${text}`);
  }
  return text;
}

function numberValue(field: SalesforceField, value: unknown): FieldValue {
  const parsed =
    typeof value === "number"
      ? value
      : typeof value === "string" && NUMBER.test(value.trim())
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(parsed)) return wrongType(field, value);
  if (field.kind === "int" && !Number.isInteger(parsed)) return wrongType(field, value);
  return parsed;
}

function dateValue(field: SalesforceField, value: unknown): FieldValue {
  const match = typeof value === "string" ? DATE.exec(value) : null;
  if (match === null) return wrongType(field, value);
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day
    ? wrongType(field, value)
    : day;
}

function booleanValue(field: SalesforceField, value: unknown): FieldValue {
  if (typeof value === "boolean") return value;
  const text = asText(value).trim().toLowerCase();
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  return wrongType(field, value);
}

/** References are checked for form here; whether the record exists is the store's concern. */
function referenceValue(field: SalesforceField, value: unknown): FieldValue {
  const id = typeof value === "string" ? normaliseId(value.trim()) : undefined;
  if (id === undefined) {
    return fail(field, "MALFORMED_ID", `id value of incorrect type: ${asText(value)}`);
  }
  return id;
}

/** True for what Salesforce stores as no value. */
export function isBlank(value: unknown): boolean {
  return (
    value === null || value === undefined || (typeof value === "string" && value.trim() === "")
  );
}

/**
 * The value Salesforce stores for `value` in `field` (blank: null, or false for checkboxes), or
 * the {@link FieldError} it answers.
 */
export function fieldValue(field: SalesforceField, value: unknown): FieldValue {
  if (isBlank(value)) return field.kind === "boolean" ? false : null;
  switch (field.kind) {
    case "int":
    case "currency":
      return numberValue(field, value);
    case "date":
      return dateValue(field, value);
    case "boolean":
      return booleanValue(field, value);
    case "reference":
    case "id":
      return referenceValue(field, value);
    default:
      return textValue(field, value);
  }
}

export function requiredMissing(fields: readonly SalesforceField[]): FieldError {
  return new FieldError(
    fields[0].id,
    "REQUIRED_FIELD_MISSING",
    `Required fields are missing: [${fields.map((f) => f.id).join(", ")}]`,
  );
}
