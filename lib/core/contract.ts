/**
 * The contract between synthesized stacks and the provisioning CLI they ship (dist/cli.cjs).
 *
 * How a stack carries its Polytomic objects in Terraform (lib/constructs/stack-resources.ts):
 * - one `terraform_data` per object, named after its kind and name (addresses.ts), whose `input`
 *   is the object's readable declaration; editing the object updates it in place, so the plan shows
 *   the change. Its `triggers_replace.declared_at` keeps the plan time of the first deploy that
 *   declared the object: the ownership rule of ownership.ts compares it with Polytomic's
 *   `created_at`.
 * - `polytomic_inventory`: the objects the stack owns ({@link OwnedObjects}), updated in place;
 *   its destroy-time provisioner (`delete-all`) runs only when the stack is destroyed.
 * - `polytomic_generation["<key>"]`: one instance per set of declared names. When the set changes
 *   the old instance leaves the `for_each` map and is destroyed, after the deploy step, and its
 *   destroy-time provisioner (`delete-removed`) deletes the objects no longer declared. A failed
 *   or interrupted deletion keeps the instance in state, so the next apply runs it again.
 * - `polytomic_deploy`: replaced on every apply (or when a declaration changes); its provisioner
 *   (`deploy`) compares live Polytomic with the declarations of {@link STACK_FILE} and writes what
 *   differs.
 *
 * Provisioners exec `node <asset>/cli.cjs <verb>` with no shell. User text reaches Terraform only
 * as escaped literals (template-escape.ts).
 */

/** Version of {@link STACK_FILE}'s shape; the CLI reads every version up to its own. */
export const STACK_FILE_FORMAT = 1;

/**
 * The declarations of every object of the stack, written next to `cdk.tf.json` at synth and read
 * by the provisioners from their working directory (the stack directory). Terraform values appear
 * in it as placeholders (declarations.ts) that the deploy step fills from {@link VALUES_ENV}.
 */
export const STACK_FILE = "polytomic-stack.json";

/** JSON list of the Terraform values (variables, attributes) the declarations use, resolved by Terraform. */
export const VALUES_ENV = "POLYTOMIC_CDKTF_VALUES";
/** JSON list of the secrets taken from Terraform (`Secret.fromTerraform`), resolved by Terraform. */
export const SECRETS_ENV = "POLYTOMIC_CDKTF_SECRETS";
/** The owned objects of one kind, as JSON (`[[name, declaredAt, "adopt"?], ...]`): `<prefix><KIND>`. */
export const OWNED_ENV_PREFIX = "POLYTOMIC_CDKTF_OWNED_";
/** The API settings the objects were deployed with, as JSON ({@link ApiSettings}). */
export const API_ENV = "POLYTOMIC_CDKTF_API";

export const API_URL_ENV = "POLYTOMIC_API_URL";
export const OAUTH_TIMEOUT_ENV = "POLYTOMIC_OAUTH_TIMEOUT";
/** How long a deploy waits for the test execution of a `testRun` sync, in seconds. */
export const TEST_RUN_TIMEOUT_ENV = "POLYTOMIC_TEST_RUN_TIMEOUT";
/** Set to 1 for a deploy that sends every connection's secrets again (a rotated password). */
export const SEND_SECRETS_ENV = "POLYTOMIC_SEND_SECRETS";

export const DEFAULT_API_URL = "https://app.polytomic.com";
export const DEFAULT_API_VERSION = "2025-09-18";
export const DEFAULT_API_KEY_VARIABLE = "POLYTOMIC_API_KEY";
export const DEFAULT_OAUTH_TIMEOUT_SECONDS = 300;
export const DEFAULT_TEST_RUN_TIMEOUT_SECONDS = 600;

/**
 * Linux caps one environment string ("NAME=value" plus its terminating NUL) at 32 pages
 * (MAX_ARG_STRLEN, 131072 bytes); a larger value would make exec fail at apply time.
 */
export const MAX_ENV_STRING_BYTES = 131072;

/**
 * Where the deploy step also writes what it prints, set when Terraform hides that step's output
 * (it carries secrets from Terraform): the `report` step after it prints the file. Relative to
 * the stack directory.
 */
export const REPORT_ENV = "POLYTOMIC_CDKTF_REPORT";
export const REPORT_FILE = ".polytomic-deploy-report.txt";

/** What provisioners run. */
export const VERBS = ["deploy", "report", "delete-removed", "delete-all"] as const;
export type Verb = (typeof VERBS)[number];

/**
 * Resource names of the stack machinery: the inventory (API settings and the owned objects'
 * claims), the generation (the set of declared names) and the deploy step. `polytomic-cdktf diff`
 * reads the inventory from the Terraform state.
 */
export const MACHINERY = {
  inventory: "polytomic_inventory",
  generation: "polytomic_generation",
  deploy: "polytomic_deploy",
} as const;

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

/**
 * When the deploy step runs: `always` on every apply, so that changes made in Polytomic outside
 * the code are repaired; `on-change` only when a declaration changed (quiet plans; drift waits
 * for the next change, and `polytomic-cdktf diff` reports it).
 */
export const RECONCILE_MODES = ["always", "on-change"] as const;
/** When the deploy step compares Polytomic with the code: see {@link RECONCILE_MODES}. */
export type ReconcileMode = (typeof RECONCILE_MODES)[number];

/**
 * The claim of an object first declared with `adoptExisting`: the stack owns it whenever it was
 * created, also once the flag is removed.
 */
export const ADOPTED = "adopted";

/**
 * One owned object as the inventory records it: its name, its claim (the plan time of the first
 * deploy that declared it, or {@link ADOPTED}), and `"adopt"` while `adoptExisting` is set.
 */
export type OwnedEntry = readonly [name: string, declaredAt: string, adopt?: "adopt"];

export type OwnedObjects = Readonly<Record<ObjectKind, readonly OwnedEntry[]>>;
