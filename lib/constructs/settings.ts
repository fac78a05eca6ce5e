/** Settings that apply to every Polytomic object of a stack. */
import type { ApiSettings } from "../core/contract";
import { DEFAULT_API_KEY_VARIABLE, DEFAULT_API_VERSION } from "../core/contract";
import { baseUrlProblem, normaliseBaseUrl } from "../core/base-url";
import type { IssueCollector } from "../core/errors";
import { oneOfFix } from "../core/errors";

export const ENGINES = ["terraform_data", "null_resource"] as const;
/**
 * Which Terraform resource carries the provisioners: `terraform_data` is built into Terraform
 * and OpenTofu and needs no provider download; `null_resource` needs hashicorp/null.
 */
export type Engine = (typeof ENGINES)[number];

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
}

export interface ResolvedSettings {
  readonly api: ApiSettings;
  readonly engine: Engine;
}

/** Validates settings props; issues are thrown by the caller under its own subject. */
export function resolveSettings(
  props: PolytomicSettingsProps,
  issues: IssueCollector,
): ResolvedSettings {
  const {
    apiUrl,
    apiVersion = DEFAULT_API_VERSION,
    apiKeyVariable = DEFAULT_API_KEY_VARIABLE,
    engine = "terraform_data",
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
  const api: ApiSettings = {
    ...(apiUrl !== undefined && !urlProblem ? { url: normaliseBaseUrl(apiUrl) } : {}),
    version: apiVersion,
    key_variable: apiKeyVariable,
  };
  return { api, engine };
}
