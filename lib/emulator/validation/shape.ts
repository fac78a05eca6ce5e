/**
 * Typed checks of request-body shapes. The real API is a Go service: a wrongly typed field fails
 * JSON decoding with 400, so every mismatch here is a 400 naming the field (its dotted path).
 * Unknown keys are rejected too, so a typo never silently drops a setting. `null` counts as absent,
 * as it does for Go's decoder.
 */
import { badRequest } from "../errors";

export interface Shape<T> {
  /** What the shape accepts, for error messages ("a string", "an array of objects"…). */
  readonly expected: string;
  parse(value: unknown, path: string): T;
}

interface FieldDef<T, R extends boolean> {
  readonly shape: Shape<T>;
  readonly required: R;
}

type AnyField = FieldDef<unknown, boolean>;
type RequiredKeys<F> = {
  [K in keyof F]: F[K] extends FieldDef<unknown, true> ? K : never;
}[keyof F];
type OptionalKeys<F> = Exclude<keyof F, RequiredKeys<F>>;
type FieldType<D> = D extends FieldDef<infer T, boolean> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ObjectOf<F> = Simplify<
  { [K in RequiredKeys<F>]: FieldType<F[K]> } & { [K in OptionalKeys<F>]?: FieldType<F[K]> }
>;

/** The static type a shape produces. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

export function req<T>(shape: Shape<T>): FieldDef<T, true> {
  return { shape, required: true };
}

export function opt<T>(shape: Shape<T>): FieldDef<T, false> {
  return { shape, required: false };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function mismatch(path: string, expected: string, value: unknown): Error {
  return badRequest(`${path} must be ${expected}, received ${describe(value)}`, { field: path });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function string(
  options: { enum?: readonly string[]; nonEmpty?: boolean } = {},
): Shape<string> {
  const allowed = options.enum;
  const expected = allowed ? `one of ${allowed.join(", ")}` : "a string";
  return {
    expected,
    parse(value, path) {
      if (typeof value !== "string") throw mismatch(path, expected, value);
      if (allowed && !allowed.includes(value)) throw mismatch(path, expected, value);
      if (options.nonEmpty && value.trim() === "") {
        throw badRequest(`${path} must not be empty`, { field: path });
      }
      return value;
    },
  };
}

export const boolean: Shape<boolean> = {
  expected: "a boolean",
  parse(value, path) {
    if (typeof value !== "boolean") throw mismatch(path, "a boolean", value);
    return value;
  },
};

export const integer: Shape<number> = {
  expected: "an integer",
  parse(value, path) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw mismatch(path, "an integer", value);
    }
    return value;
  },
};

/** Any JSON value (filter values, target-specific settings). */
export const anyValue: Shape<unknown> = {
  expected: "any JSON value",
  parse: (value) => value,
};

export function array<T>(item: Shape<T>): Shape<T[]> {
  const expected = `an array of ${item.expected.replace(/^(a|an) /, "")}s`;
  return {
    expected,
    parse(value, path) {
      if (!Array.isArray(value)) throw mismatch(path, expected, value);
      return value.map((entry, index) => {
        if (entry === null) throw mismatch(`${path}[${index}]`, item.expected, entry);
        return item.parse(entry, `${path}[${index}]`);
      });
    },
  };
}

/** An object with free keys whose values all match `values`. */
export function record<T>(values: Shape<T>): Shape<Record<string, T>> {
  return {
    expected: "an object",
    parse(value, path) {
      if (!isPlainObject(value)) throw mismatch(path, "an object", value);
      const result: Record<string, T> = {};
      for (const [key, entry] of Object.entries(value)) {
        if (entry === null) continue;
        Object.defineProperty(result, key, {
          value: values.parse(entry, `${path}.${key}`),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    },
  };
}

/** A field the real API accepts but the emulator cannot emulate: rejected with `reason`. */
export function unsupported(reason: string): Shape<never> {
  return {
    expected: "absent",
    parse(_value, path) {
      throw badRequest(`${path} is not supported by the emulator: ${reason}`, { field: path });
    },
  };
}

export function object<F extends Record<string, AnyField>>(fields: F): Shape<ObjectOf<F>> {
  return {
    expected: "an object",
    parse(value, path) {
      if (!isPlainObject(value)) throw mismatch(path, "an object", value);
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(fields, key)) {
          const where = path === "" ? key : `${path}.${key}`;
          throw badRequest(`unknown field ${where}`, { field: where });
        }
      }
      const result: Record<string, unknown> = {};
      for (const [key, def] of Object.entries(fields)) {
        const where = path === "" ? key : `${path}.${key}`;
        const entry = value[key];
        if (entry === undefined || entry === null) {
          if (def.required) throw badRequest(`${where} is required`, { field: where });
          continue;
        }
        result[key] = def.shape.parse(entry, where);
      }
      return result as ObjectOf<F>;
    },
  };
}

/** Parses a request body (the root object, whose fields are named without a prefix). */
export function parseBody<T>(shape: Shape<T>, body: unknown): T {
  return shape.parse(body, "");
}
