/**
 * Declarations: what the code says each Polytomic object must be, in the vocabulary of the
 * constructs' props (so that plans, validation messages and `polytomic-cdktf diff` read like the
 * code). Objects refer to each other by name, their identity in Polytomic.
 *
 * A value Terraform resolves at apply (a variable, another resource's attribute) is written in the
 * stack file as a placeholder: `{"$value": i}` stands for the i-th value of the values list, and
 * `{"$concat": [...]}` for a string made of literal parts and such values (a query around a table
 * name). The constructs validate what is concrete and skip placeholders; the deploy step fills
 * them in and validates again, with the same rules.
 */
import type { ObjectKind } from "./contract";

/** A value known only when Terraform applies the stack. */
export interface ValuePlaceholder {
  readonly $value: number;
}

/** A string made of literal parts and values known only at apply. */
export interface ConcatPlaceholder {
  readonly $concat: readonly (string | ValuePlaceholder)[];
}

export type Placeholder = ValuePlaceholder | ConcatPlaceholder;

/** A declared value: concrete, or (in the stack file, before the deploy step) a placeholder. */
export type Deferred<T> = T | Placeholder;

export function isPlaceholder(value: unknown): value is Placeholder {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "$value" || keys[0] === "$concat");
}

/** Where a secret's value comes from at apply: an environment variable, or a Terraform value. */
export type SecretSource =
  | { readonly env: string }
  | {
      /** Index into the secrets list the deploy step receives. */
      readonly terraform: number;
      /** The Terraform expression, for messages and plans (never its value). */
      readonly expression: string;
    };

export interface SnowflakeDeclaration {
  readonly kind: "connection";
  readonly type: "snowflake";
  readonly name: string;
  readonly account: Deferred<string>;
  readonly username: Deferred<string>;
  readonly dbname: Deferred<string>;
  readonly warehouse?: Deferred<string>;
  readonly params?: Deferred<string>;
  readonly password?: SecretSource;
  readonly privateKey?: SecretSource;
  readonly privateKeyPassphrase?: SecretSource;
  readonly adoptExisting?: boolean;
}

/**
 * How Polytomic signs in to Salesforce: `browser` and `code` need a person to complete OAuth;
 * `api` (client id, secret and refresh token) and `clientcredentials` need none.
 */
export type SalesforceConnectMode = "browser" | "code" | "api" | "clientcredentials";

export interface SalesforceDeclaration {
  readonly kind: "connection";
  readonly type: "salesforce";
  readonly name: string;
  readonly domain: Deferred<string>;
  readonly connectMode: SalesforceConnectMode;
  readonly redirectUrl?: Deferred<string>;
  readonly clientId?: SecretSource;
  readonly clientSecret?: SecretSource;
  readonly refreshToken?: SecretSource;
  readonly adoptExisting?: boolean;
}

export type ConnectionDeclaration = SnowflakeDeclaration | SalesforceDeclaration;
/** The Polytomic connection types this library declares: `snowflake` and `salesforce`. */
export type ConnectionType = "snowflake" | "salesforce";

export interface ModelDeclaration {
  readonly kind: "model";
  readonly name: string;
  /** Name of the Snowflake connection the query runs on. */
  readonly connection: string;
  readonly query: Deferred<string>;
  /** Declared output columns, for queries whose SELECT list does not name them. */
  readonly columns?: Deferred<readonly string[]>;
  readonly identifier?: Deferred<string>;
  readonly trackingColumns?: Deferred<readonly Deferred<string>[]>;
  readonly adoptExisting?: boolean;
}

/**
 * How a sync writes to its target: `create` new records only, `update` existing ones,
 * `updateOrCreate` both, `replace` or `append` a warehouse table, `remove` matching records.
 */
export type SyncMode = "create" | "update" | "updateOrCreate" | "replace" | "append" | "remove";

export interface SyncFieldDeclaration {
  /** Column of the sync's model. */
  readonly source: string;
  /** Field of the target object. */
  readonly target: Deferred<string>;
  readonly syncMode?: string;
  readonly new?: Deferred<boolean>;
}

export interface SyncIdentityDeclaration {
  readonly source: string;
  readonly target: Deferred<string>;
  readonly function: string;
  readonly newField?: Deferred<boolean>;
}

export interface SyncOverrideDeclaration {
  readonly target: Deferred<string>;
  readonly value: Deferred<string | number | boolean>;
}

export interface SyncFilterDeclaration {
  readonly source: string;
  readonly function: string;
  readonly value?: unknown;
}

/** Times as numbers (or cron text for `custom`); `runAfter` names syncs. */
export interface ScheduleDeclaration {
  readonly frequency: string;
  readonly minute?: Deferred<number | string>;
  readonly hour?: Deferred<number | string>;
  readonly dayOfWeek?: Deferred<number | string>;
  readonly dayOfMonth?: Deferred<number | string>;
  readonly month?: Deferred<number | string>;
  readonly runAfter?: readonly string[];
}

export interface SyncDeclaration {
  readonly kind: "sync";
  readonly name: string;
  readonly mode: SyncMode;
  /** Name of the model every source column comes from. */
  readonly model: string;
  readonly target: { readonly connection: string; readonly object: Deferred<string> };
  readonly identity?: SyncIdentityDeclaration;
  readonly fields: readonly SyncFieldDeclaration[];
  readonly overrideFields?: readonly SyncOverrideDeclaration[];
  readonly filters?: readonly SyncFilterDeclaration[];
  readonly filterLogic?: Deferred<string>;
  readonly schedule: ScheduleDeclaration;
  readonly active: Deferred<boolean>;
  readonly skipInitialBackfill?: Deferred<boolean>;
  readonly syncAllRecords?: Deferred<boolean>;
  /** Test the sync (a test execution) in every deploy that changes it, failing the deploy on refused records. */
  readonly testRun?: boolean;
  readonly adoptExisting?: boolean;
}

export type Declaration = ConnectionDeclaration | ModelDeclaration | SyncDeclaration;

/** A declaration with every placeholder filled in. */
export type Resolved<T> = T extends Placeholder
  ? never
  : T extends readonly (infer U)[]
    ? readonly Resolved<U>[]
    : T extends object
      ? { readonly [K in keyof T]: Resolved<Exclude<T[K], Placeholder>> }
      : T;

/** An object the stack refers to by name but does not own (`fromConnectionName`). */
export interface Reference {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly type?: ConnectionType;
  /** Construct path, for messages. */
  readonly path: string;
  readonly construct: string;
}

/** Whether `value` holds a placeholder anywhere (its declaration uses a Terraform value). */
export function hasPlaceholders(value: unknown): boolean {
  if (isPlaceholder(value)) return true;
  if (Array.isArray(value)) return value.some(hasPlaceholders);
  if (typeof value === "object" && value !== null)
    return Object.values(value).some(hasPlaceholders);
  return false;
}

/** Replaces every placeholder of `value` using `values`; throws when an index is missing. */
export function fillPlaceholders(value: unknown, values: readonly unknown[]): unknown {
  if (isPlaceholder(value)) {
    const lookup = (index: number): unknown => {
      if (!Number.isInteger(index) || index < 0 || index >= values.length) {
        throw new RangeError(`the stack refers to Terraform value #${index}, which was not passed`);
      }
      return values[index];
    };
    if ("$value" in value) return lookup(value.$value);
    return value.$concat
      .map((part) => (typeof part === "string" ? part : String(lookup(part.$value))))
      .join("");
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, values));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, fillPlaceholders(member, values)]),
    );
  }
  return value;
}
