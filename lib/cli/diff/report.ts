/**
 * The shape of what `polytomic-cdktf diff` finds, printed as is by `--json` and checked against
 * {@link REPORT_SCHEMA} (which `polytomic-cdktf diff --json-schema` prints). Format 1 only ever
 * gains optional members; a change of meaning gets a new format number.
 */
import type { ObjectKind } from "../../core/contract";

export const REPORT_FORMAT = 1;

export const DIFF_ACTIONS = [
  "create",
  "update",
  "adopt",
  "restore",
  "recover",
  "delete",
  "refuse-takeover",
  "unknown",
  "unchanged",
] as const;
/**
 * What a deploy would do to an object: `restore` gives back its name to an object renamed in
 * Polytomic; `recover` takes back, unchanged, an object an interrupted deploy created;
 * `refuse-takeover` is an object that exists and that the stack may not take over (the deploy
 * fails); `unknown` depends on Terraform values not applied yet.
 */
export type DiffAction = (typeof DIFF_ACTIONS)[number];

export interface FieldDiff {
  /** The declaration's property: `query`, `schedule`, `fields`, `password`. */
  readonly field: string;
  /** What Polytomic holds (null when unset); secrets as "set", never a value. */
  readonly from: unknown;
  /** What the code declares (null when unset). */
  readonly to: unknown;
  /** Whether Polytomic differs from what the last deploy wrote (a change made outside the code). */
  readonly drift: boolean;
}

export interface ObjectDiff {
  readonly kind: ObjectKind;
  readonly name: string;
  /** Construct class and path; absent for an object the code no longer declares. */
  readonly construct?: string;
  readonly path?: string;
  readonly action: DiffAction;
  /** Polytomic's id, when the object exists. */
  readonly id?: string;
  /** Whether the action repairs a change made in Polytomic outside the code. */
  readonly drift: boolean;
  /** Why, in words: "deleted in Polytomic", "renamed to … in Polytomic". */
  readonly note?: string;
  readonly changes: readonly FieldDiff[];
}

export interface StackDiff {
  readonly stack: string;
  readonly directory: string;
  readonly reconcile: "always" | "on-change";
  /** Whether the Terraform state records a deploy of the stack. */
  readonly deployed: boolean;
  readonly objects: readonly ObjectDiff[];
  /** What would make the deploy fail before it writes anything. */
  readonly problems: readonly string[];
  /** What to know to read the comparison (the last deploy failed, say). */
  readonly notes?: readonly string[];
}

export interface UnmanagedObject {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly id: string;
  /** Whether a stack uses it by name without managing it (`fromConnectionName`). */
  readonly referenced: boolean;
}

export interface DiffReport {
  readonly format: typeof REPORT_FORMAT;
  readonly stacks: readonly StackDiff[];
  /** With `--unmanaged`: the organization's objects that no stack declares. */
  readonly unmanaged?: readonly UnmanagedObject[];
  /** Stacks that could not be compared, one line each. */
  readonly errors: readonly string[];
  /** Whether a deploy would change something or fail (exit code 2). */
  readonly differs: boolean;
}

const KIND = { enum: ["connection", "model", "sync"] };

export const REPORT_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "polytomic-cdktf diff --json",
  type: "object",
  required: ["format", "stacks", "errors", "differs"],
  additionalProperties: false,
  properties: {
    format: { const: REPORT_FORMAT },
    differs: { type: "boolean" },
    errors: { type: "array", items: { type: "string" } },
    stacks: {
      type: "array",
      items: {
        type: "object",
        required: ["stack", "directory", "reconcile", "deployed", "objects", "problems"],
        additionalProperties: false,
        properties: {
          stack: { type: "string" },
          directory: { type: "string" },
          reconcile: { enum: ["always", "on-change"] },
          deployed: { type: "boolean" },
          problems: { type: "array", items: { type: "string" } },
          notes: { type: "array", items: { type: "string" } },
          objects: {
            type: "array",
            items: {
              type: "object",
              required: ["kind", "name", "action", "drift", "changes"],
              additionalProperties: false,
              properties: {
                kind: KIND,
                name: { type: "string" },
                construct: { type: "string" },
                path: { type: "string" },
                action: { enum: [...DIFF_ACTIONS] },
                id: { type: "string" },
                drift: { type: "boolean" },
                note: { type: "string" },
                changes: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["field", "from", "to", "drift"],
                    additionalProperties: false,
                    properties: {
                      field: { type: "string" },
                      from: {},
                      to: {},
                      drift: { type: "boolean" },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    unmanaged: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "name", "id", "referenced"],
        additionalProperties: false,
        properties: {
          kind: KIND,
          name: { type: "string" },
          id: { type: "string" },
          referenced: { type: "boolean" },
        },
      },
    },
  },
} as const;

/** Whether a stack's comparison calls for a deploy (or shows that one would fail). */
export function stackDiffers(stack: StackDiff): boolean {
  return stack.problems.length > 0 || stack.objects.some((object) => object.action !== "unchanged");
}
