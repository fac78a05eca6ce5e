/**
 * The shape of construct props, as JSON Schemas checked with ajv before their content is: keys a
 * construct does not know (a typo that came through an object spread, `warehose`), a list that is
 * not a list, a missing required prop. JavaScript callers and casts can pass anything, and each of
 * these must become a validation error naming the prop, not a TypeError or a silently dropped
 * setting. Terraform tokens pass: cdktf encodes them as strings, numbers and lists.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import Ajv from "ajv";
import type { IssueCollector } from "../errors";
import { NOT_SHOWN, nearest } from "../errors";

export type PropsSchema = Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
const compiled = new WeakMap<PropsSchema, ValidateFunction>();

/** `/fields/1/target` → `fields[1].target`. */
function propertyPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
      "",
    );
}

function valueAt(props: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (value, segment) =>
        typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)[segment]
          : undefined,
      props,
    );
}

const KIND: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
};

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => KIND[String(t)] ?? String(t)).join(" or ");
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function issueOf(
  error: ErrorObject,
  props: unknown,
  what: string,
): Parameters<IssueCollector["add"]>[0] {
  const at = propertyPath(error.instancePath);
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const known = Object.keys(
        ((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object,
      );
      const suggestion = nearest(key, known);
      // The value is not shown: under a misspelt name it may be a secret meant for a Secret prop.
      return {
        property: join(at, key),
        received: NOT_SHOWN,
        problem: `is not a prop of ${at ? `${what} ${at}` : what}`,
        fix: `${suggestion ? `Did you mean ${JSON.stringify(suggestion)}? ` : ""}Known props: ${known.join(", ")}.`,
      };
    }
    case "required": {
      const key = String(error.params.missingProperty);
      return {
        property: join(at, key),
        received: undefined,
        problem: "is required",
        fix: `Set ${join(at, key)}.`,
      };
    }
    case "type": {
      // A schema's description says what it expects where its types would mislead.
      const expected =
        (error.parentSchema as { description?: string } | undefined)?.description ??
        describeType(error.params.type);
      return {
        property: at || "props",
        received: valueAt(props, error.instancePath),
        problem: `must be ${expected}`,
        fix: at ? `Set ${at} to ${expected}.` : "Pass the construct's props as an object literal.",
      };
    }
    default:
      return {
        property: at || "props",
        received: valueAt(props, error.instancePath),
        problem: error.message ?? "is not valid",
        fix: `Check ${at || "the props"}.`,
      };
  }
}

/**
 * Checks `props` against `schema`; adds one issue per problem and returns whether the props have
 * the right shape. `what` names the construct in messages ("SnowflakeConnection").
 */
export function checkPropsShape(
  issues: IssueCollector,
  schema: PropsSchema,
  props: unknown,
  what: string,
): boolean {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(props)) return true;
  // A required prop missing inside a list item is reported once per item; type errors of a
  // union ("string or number") come with their siblings: keep the first per property.
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const issue = issueOf(error, props, what);
    const key = `${issue.property}\0${error.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.add(issue);
  }
  return false;
}

/** Schema helpers: the building blocks of the constructs' props schemas (props-schemas.ts). */
export const text = { type: "string" } as const;
/**
 * A boolean, or a Terraform value (cdktf's `IResolvable`, an object): the construct's validator
 * refuses any other object once Terraform values are set aside.
 */
export const flag = { type: ["boolean", "object"], description: "true or false" } as const;
/** A reference to another construct, or a Secret: checked by the construct itself. */
export const reference = { type: "object" } as const;

export function object(
  properties: Record<string, unknown>,
  required: readonly string[] = [],
): PropsSchema {
  return {
    type: "object",
    properties,
    additionalProperties: false,
    ...(required.length > 0 ? { required } : {}),
  };
}

export function listOf(items: unknown): PropsSchema {
  return { type: "array", items };
}
