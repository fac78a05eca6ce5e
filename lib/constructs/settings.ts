/** Settings that apply to every Polytomic object of a stack. */
import type { ApiSettings, ReconcileMode } from "../core/contract";
import { DEFAULT_API_KEY_VARIABLE, DEFAULT_API_VERSION, RECONCILE_MODES } from "../core/contract";
import { baseUrlProblem, normaliseBaseUrl } from "../core/base-url";
import type { IssueCollector } from "../core/errors";
import { oneOfFix } from "../core/errors";
import { checkPropsShape } from "../core/validate/props";
import { SETTINGS_PROPS } from "../core/validate/props-schemas";

export const ENGINES = ["terraform_data", "null_resource"] as const;
/**
 * Which Terraform resource carries the stack's provisioners: `terraform_data` is built into
 * Terraform and OpenTofu and needs no provider download; `null_resource` needs hashicorp/null.
 * Declarations are `terraform_data` with either engine: it is the resource that updates in place.
 */
export type Engine = (typeof ENGINES)[number];

export type { ReconcileMode };

/** Props of {@link PolytomicSettings.configure}: every setting has a default. */
export interface PolytomicSettingsProps {
  /**
   * Base URL of the Polytomic API (an on-premises deployment, or the emulator).
   * @default - `POLYTOMIC_API_URL` from the environment of `cdktf deploy`, else https://app.polytomic.com
   */
  readonly apiUrl?: string;
  /**
   * Sent as `X-Polytomic-Version`.
   * @default "2025-09-18"
   */
  readonly apiVersion?: string;
  /**
   * Environment variable that holds the API key when the stack is applied.
   * @default "POLYTOMIC_API_KEY"
   */
  readonly apiKeyVariable?: string;
  /**
   * Resource type that runs the provisioners.
   * @default "terraform_data"
   */
  readonly engine?: Engine;
  /**
   * Whether a deploy may take over objects that exist in Polytomic under a declared name but were
   * not created by this stack (each construct's own `adoptExisting` wins). Without it such a
   * deploy fails naming the object, so that a stack never silently takes over another's object.
   * @default false
   */
  readonly adoptExisting?: boolean;
  /**
   * When the deploy step compares Polytomic with the code: `"always"` on every deploy, so that
   * changes made in Polytomic outside the code (a UI edit, a deleted sync) are repaired, at the
   * cost of a plan that always shows the step being replaced; `"on-change"` only when a
   * declaration changed, for quiet plans, leaving drift until the next change
   * (`polytomic-cdktf diff` reports it).
   * @default "always"
   */
  readonly reconcile?: ReconcileMode;
}

export interface ResolvedSettings {
  readonly api: ApiSettings;
  readonly engine: Engine;
  readonly adoptExisting: boolean;
  readonly reconcile: ReconcileMode;
}

/** Validates settings props; issues are thrown by the caller under its own subject. */
export function resolveSettings(
  props: PolytomicSettingsProps,
  issues: IssueCollector,
): ResolvedSettings {
  checkPropsShape(issues, SETTINGS_PROPS, props ?? {}, "PolytomicSettings");
  const {
    apiUrl,
    apiVersion = DEFAULT_API_VERSION,
    apiKeyVariable = DEFAULT_API_KEY_VARIABLE,
    engine = "terraform_data",
    adoptExisting = false,
    reconcile = "always",
  } = props ?? {};
  const urlProblem = apiUrl === undefined ? undefined : baseUrlProblem(apiUrl);
  if (urlProblem) {
    issues.add({
      property: "apiUrl",
      received: apiUrl,
      problem: urlProblem,
      fix: 'Set apiUrl to the API\'s base URL, e.g. "https://app.polytomic.com", or leave it out.',
    });
  }
  if (typeof apiVersion !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(apiVersion)) {
    issues.add({
      property: "apiVersion",
      received: apiVersion,
      problem: "is not an API version date",
      fix: `Use a version such as "${DEFAULT_API_VERSION}".`,
    });
  }
  if (typeof apiKeyVariable !== "string" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyVariable)) {
    issues.add({
      property: "apiKeyVariable",
      received: apiKeyVariable,
      problem: "is not an environment variable name",
      fix: `Use letters, digits and underscores, e.g. "${DEFAULT_API_KEY_VARIABLE}".`,
    });
  }
  if (!(ENGINES as readonly string[]).includes(engine)) {
    issues.add({
      property: "engine",
      received: engine,
      problem: "is not an engine",
      fix: oneOfFix(engine, ENGINES),
    });
  }
  if (typeof adoptExisting !== "boolean") {
    issues.add({
      property: "adoptExisting",
      received: adoptExisting,
      problem: "must be true or false",
      fix: "Set adoptExisting to true to let deploys take over existing objects of declared names, or leave it out.",
    });
  }
  if (!(RECONCILE_MODES as readonly string[]).includes(reconcile)) {
    issues.add({
      property: "reconcile",
      received: reconcile,
      problem: "is not a reconcile mode",
      fix: oneOfFix(reconcile, RECONCILE_MODES),
    });
  }
  const api: ApiSettings = {
    ...(apiUrl !== undefined && !urlProblem ? { url: normaliseBaseUrl(apiUrl) } : {}),
    version: apiVersion,
    key_variable: apiKeyVariable,
  };
  return { api, engine, adoptExisting, reconcile };
}
