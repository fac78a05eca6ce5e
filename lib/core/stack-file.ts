/**
 * The stack file (contract.ts {@link STACK_FILE}): every declaration of a stack, written at synth
 * and read by the provisioners and by `polytomic-cdktf diff`. Its shape is checked with a JSON
 * Schema on read; the declarations' content is checked by the validators of each kind.
 */
import Ajv from "ajv";
import type { ApiSettings, ObjectKind, ReconcileMode } from "./contract";
import { OBJECT_KINDS, RECONCILE_MODES, STACK_FILE, STACK_FILE_FORMAT } from "./contract";
import type { Declaration, Reference } from "./declarations";

export interface StackFileObject {
  /** Address of the object's `terraform_data`. */
  readonly address: string;
  /** Construct class, for messages: `QueryModel`. */
  readonly construct: string;
  /** Construct path, for messages: `my-stack/ActiveUsers`. */
  readonly path: string;
  readonly declaration: Declaration;
}

export interface StackFile {
  readonly format: number;
  /** The stack's construct path (its name). */
  readonly stack: string;
  readonly api: ApiSettings;
  readonly reconcile: ReconcileMode;
  /** The stack-wide default of `adoptExisting`. */
  readonly adoptExisting: boolean;
  readonly objects: readonly StackFileObject[];
  /** Objects used but not owned: imported by name, or owned by another stack of the app. */
  readonly references: readonly Reference[];
  /** Names declared by the app's other stacks for the same API. */
  readonly app: Readonly<Record<ObjectKind, readonly string[]>>;
}

const names = { type: "array", items: { type: "string" } };

const SCHEMA = {
  type: "object",
  required: [
    "format",
    "stack",
    "api",
    "reconcile",
    "adoptExisting",
    "objects",
    "references",
    "app",
  ],
  properties: {
    format: { type: "integer" },
    stack: { type: "string" },
    api: {
      type: "object",
      required: ["version", "key_variable"],
      properties: {
        url: { type: "string" },
        version: { type: "string" },
        key_variable: { type: "string" },
      },
      additionalProperties: false,
    },
    reconcile: { enum: [...RECONCILE_MODES] },
    adoptExisting: { type: "boolean" },
    objects: {
      type: "array",
      items: {
        type: "object",
        required: ["address", "construct", "path", "declaration"],
        properties: {
          address: { type: "string" },
          construct: { type: "string" },
          path: { type: "string" },
          declaration: {
            type: "object",
            required: ["kind", "name"],
            properties: { kind: { enum: [...OBJECT_KINDS] }, name: { type: "string" } },
          },
        },
      },
    },
    references: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "name", "path", "construct"],
        properties: {
          kind: { enum: [...OBJECT_KINDS] },
          name: { type: "string" },
          type: { type: "string" },
          path: { type: "string" },
          construct: { type: "string" },
        },
      },
    },
    app: {
      type: "object",
      required: [...OBJECT_KINDS],
      properties: { connection: names, model: names, sync: names },
    },
  },
};

const validate = new Ajv({ allErrors: false }).compile(SCHEMA);

/** The stack file could not be used; the message says why and what to do. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** Parses and checks the text of a stack file. */
export function parseStackFile(text: string): StackFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StackFileError(`${STACK_FILE} is not JSON: synthesize the stack again (cdktf synth)`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (typeof format === "number" && format > STACK_FILE_FORMAT) {
    throw new StackFileError(
      `${STACK_FILE} has format ${format}, but this cdktf-polytomic CLI reads formats up to ${STACK_FILE_FORMAT}: run the CLI of the cdktf-polytomic version that synthesized the stack`,
    );
  }
  if (!validate(value)) {
    const error = validate.errors?.[0];
    throw new StackFileError(
      `${STACK_FILE} is not a cdktf-polytomic stack file (${error?.instancePath || "/"} ${error?.message ?? "is malformed"}): synthesize the stack again (cdktf synth)`,
    );
  }
  return value as unknown as StackFile;
}
