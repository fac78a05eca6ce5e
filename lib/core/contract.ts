/**
 * The contract between synthesized stacks and the provisioning CLI they ship (dist/cli.cjs).
 *
 * A stack's provisioners exec `node <asset>/cli.cjs <verb>` with no shell; the object to act on
 * arrives as base64-encoded canonical JSON in the environment variable {@link SPEC_ENV}. Secrets
 * never travel in a spec: a spec names the environment variables that hold them, and the CLI reads
 * those at apply time from the environment it inherits from `cdktf deploy`.
 *
 * Verbs:
 * - `upsert`: create or update the object the spec describes ({@link ObjectSpec}), found by kind and
 *   name; dependencies are named too and resolved to ids at apply time.
 * - `delete`: delete the object a {@link DeleteSpec} names; a missing object is already deleted.
 * - `reconcile`: run after every apply that created any object's receipt resource. Terraform
 *   records a resource in its state *before* running its create-time provisioners, so an apply
 *   killed mid-provisioner (SIGKILL, a cancelled CI job) leaves objects recorded but never applied.
 *   Terraform itself computes which (see lib/constructs/engine.ts) and passes their apply
 *   resources' addresses as a JSON list in {@link REPAIR_ENV}; `reconcile` reads those resources'
 *   upsert specs from the stack's {@link STACK_CONFIG_FILE} (in its working directory, the stack
 *   directory) and applies them again.
 *
 * A {@link DeleteSpec} is stored in Terraform state and read by destroy-time provisioners, possibly
 * by a newer CLI than the one that wrote it: every CLI must keep reading every earlier
 * `schema_version`.
 *
 * Environment read by the CLI:
 * - {@link SPEC_ENV}: the spec.
 * - the API key variable named by the spec (default {@link DEFAULT_API_KEY_VARIABLE}).
 * - {@link API_URL_ENV}: the API base URL when the spec does not set one
 *   (default {@link DEFAULT_API_URL}).
 * - {@link OAUTH_TIMEOUT_ENV}: seconds a sync waits for its target connection's OAuth
 *   authorisation (default {@link DEFAULT_OAUTH_TIMEOUT_SECONDS}).
 * - the secret variables named by a connection spec.
 */

export const SCHEMA_VERSION = 1;

export const SPEC_ENV = "POLYTOMIC_CDKTF_SPEC";
/**
 * Identifies the Terraform run a provisioner belongs to (its plan time): what one step caches for
 * the next must not serve a later run, which could not tell what an interrupted one created.
 */
export const RUN_ENV = "POLYTOMIC_CDKTF_RUN";
/** Addresses of the apply resources `reconcile` must apply again, as a JSON list. */
export const REPAIR_ENV = "POLYTOMIC_CDKTF_REPAIR";
/** Short-lived cache shared by the provisioners of one apply, relative to the stack directory. */
export const CACHE_DIR = ".polytomic-cache";
/** The synthesized configuration `reconcile` reads its specs from, in the stack directory. */
export const STACK_CONFIG_FILE = "cdk.tf.json";
export const API_URL_ENV = "POLYTOMIC_API_URL";
export const OAUTH_TIMEOUT_ENV = "POLYTOMIC_OAUTH_TIMEOUT";

export const DEFAULT_API_URL = "https://app.polytomic.com";
export const DEFAULT_API_VERSION = "2025-09-18";
export const DEFAULT_API_KEY_VARIABLE = "POLYTOMIC_API_KEY";
export const DEFAULT_OAUTH_TIMEOUT_SECONDS = 300;

/**
 * Linux caps one environment string ("NAME=value" plus its terminating NUL) at 32 pages
 * (MAX_ARG_STRLEN, 131072 bytes); a larger spec would make exec fail at apply time.
 */
export const MAX_ENV_STRING_BYTES = 131072;

export const VERBS = ["upsert", "delete", "reconcile"] as const;
export type Verb = (typeof VERBS)[number];

export const OBJECT_KINDS = ["connection", "model", "sync"] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** Where and how to reach the Polytomic API. */
export interface ApiSettings {
  /** Base URL; when absent the CLI reads {@link API_URL_ENV}, then uses the default. */
  readonly url?: string;
  /** Sent as X-Polytomic-Version. */
  readonly version: string;
  /** Name of the environment variable holding the API key. */
  readonly key_variable: string;
}

interface SpecBase {
  readonly schema_version: number;
  readonly name: string;
  readonly api: ApiSettings;
}

/** What a destroy step needs: the object's identity and how to reach the API. */
export interface DeleteSpec extends SpecBase {
  readonly kind: ObjectKind;
}

export type ConnectionType = "snowflake" | "salesforce";

export interface ConnectionSpec extends SpecBase {
  readonly kind: "connection";
  readonly type: ConnectionType;
  /** The connection's non-secret configuration, with the API's key names. */
  readonly configuration: Readonly<Record<string, string | number | boolean>>;
  /** Secret configuration keys mapped to the environment variables holding their values. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Where Polytomic sends the browser after an OAuth hand-off. */
  readonly redirect_url?: string;
}

export interface ModelSpec extends SpecBase {
  readonly kind: "model";
  /** Name of the source connection. */
  readonly connection: string;
  readonly query: string;
  /** The columns synth validated the syncs against; the CLI checks Polytomic reports them all. */
  readonly columns: readonly string[];
  readonly identifier?: string;
  readonly tracking_columns?: readonly string[];
}

export type SyncMode = "create" | "update" | "updateOrCreate" | "replace" | "append" | "remove";

export interface SyncFieldSpec {
  /** Column of the sync's model. */
  readonly source: string;
  /** Field of the target object. */
  readonly target: string;
  readonly sync_mode?: string;
  readonly new?: boolean;
}

export interface SyncIdentitySpec {
  readonly source: string;
  readonly target: string;
  readonly function: string;
  readonly new_field?: boolean;
}

export interface SyncOverrideFieldSpec {
  readonly target: string;
  readonly value: string | number | boolean;
}

export interface SyncFilterSpec {
  readonly source: string;
  readonly function: string;
  readonly value?: unknown;
}

/** The API's schedule shape, with `run_after` naming syncs instead of holding their ids. */
export interface ScheduleSpec {
  readonly frequency: string;
  readonly minute?: string;
  readonly hour?: string;
  readonly day_of_week?: string;
  readonly day_of_month?: string;
  readonly month?: string;
  readonly run_after?: { readonly syncs: readonly string[] };
}

export interface SyncSpec extends SpecBase {
  readonly kind: "sync";
  /** Name of the model every source field comes from. */
  readonly model: string;
  readonly mode: SyncMode;
  readonly target: { readonly connection: string; readonly object: string };
  readonly identity?: SyncIdentitySpec;
  readonly fields: readonly SyncFieldSpec[];
  readonly override_fields: readonly SyncOverrideFieldSpec[];
  readonly filters: readonly SyncFilterSpec[];
  readonly filter_logic?: string;
  readonly schedule: ScheduleSpec;
  readonly active: boolean;
  readonly skip_initial_backfill?: boolean;
  readonly sync_all_records?: boolean;
}

export type ObjectSpec = ConnectionSpec | ModelSpec | SyncSpec;
