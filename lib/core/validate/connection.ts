/**
 * Connections: Snowflake and Salesforce props checked against the rules Polytomic applies
 * (polytomic-api.md §3.5, §3.6) and converted to specs. Secret props must be {@link Secret}
 * references; their variable names go into the spec, never values.
 */
import type { ApiSettings, ConnectionSpec } from "../contract";
import { SCHEMA_VERSION, SPEC_ENV } from "../contract";
import type { IssueCollector } from "../errors";
import { NOT_SHOWN, oneOfFix } from "../errors";
import { salesforceLoginHost } from "../salesforce-domain";
import { Secret } from "../secret";
import { optionalText, requireName, requireText } from "./common";

export const SALESFORCE_CONNECT_MODES = ["browser", "code", "api", "clientcredentials"] as const;
export type SalesforceConnectMode = (typeof SALESFORCE_CONNECT_MODES)[number];
/** Modes in which a person completes OAuth in a browser; the deploy hands them a URL. */
export const INTERACTIVE_CONNECT_MODES: readonly SalesforceConnectMode[] = ["browser", "code"];

export interface SnowflakeInput {
  readonly name: unknown;
  readonly account: unknown;
  readonly username: unknown;
  readonly dbname: unknown;
  readonly warehouse?: unknown;
  readonly params?: unknown;
  readonly password?: unknown;
  readonly privateKey?: unknown;
  readonly privateKeyPassphrase?: unknown;
}

export interface SalesforceInput {
  readonly name: unknown;
  readonly domain: unknown;
  readonly redirectUrl?: unknown;
  readonly connectMode?: unknown;
  readonly clientId?: unknown;
  readonly clientSecret?: unknown;
  readonly refreshToken?: unknown;
}

/** Checks an optional secret prop and records its variable under the API's configuration key. */
function secretRef(
  issues: IssueCollector,
  secrets: Record<string, string>,
  property: string,
  apiKey: string,
  value: unknown,
): boolean {
  if (value === undefined) return false;
  if (!Secret.isSecret(value)) {
    issues.add({
      property,
      received: NOT_SHOWN,
      problem: "must be a Secret reference",
      fix: `Pass Secret.fromEnv("VARIABLE_NAME") and export the value in that variable when you deploy; a plain value would be written into the synthesized stack and the Terraform state.`,
    });
    return true;
  }
  if (value.variableName === SPEC_ENV) {
    issues.add({
      property,
      received: value.variableName,
      problem: "names a variable reserved by cdktf-polytomic",
      fix: "Read the secret from another environment variable.",
    });
  }
  secrets[apiKey] = value.variableName;
  return true;
}

const SNOWFLAKE_ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function buildSnowflakeSpec(
  issues: IssueCollector,
  input: SnowflakeInput,
  api: ApiSettings,
): ConnectionSpec {
  requireName(issues, input.name, "connection");
  if (
    requireText(
      issues,
      "account",
      input.account,
      'Set account to your Snowflake account identifier, e.g. "uc193736182" or "FRXJLEC-UJA94780".',
    ) &&
    !SNOWFLAKE_ACCOUNT.test(input.account)
  ) {
    issues.add({
      property: "account",
      received: input.account,
      problem: "is not a Snowflake account identifier",
      fix: "Use the identifier alone (letters, digits, '.', '-', '_'), e.g. \"FRXJLEC-UJA94780\", without https:// or .snowflakecomputing.com.",
    });
  }
  requireText(
    issues,
    "username",
    input.username,
    "Set username to the Snowflake user Polytomic connects as.",
  );
  requireText(issues, "dbname", input.dbname, "Set dbname to the database Polytomic reads.");
  optionalText(
    issues,
    "warehouse",
    input.warehouse,
    "Set warehouse to a compute warehouse name, or leave it out.",
  );
  optionalText(
    issues,
    "params",
    input.params,
    'Set params to extra connection parameters as a query string (e.g. "role=ANALYST"), or leave it out.',
  );

  const secrets: Record<string, string> = {};
  const hasPassword = secretRef(issues, secrets, "password", "password", input.password);
  const hasKey = secretRef(issues, secrets, "privateKey", "private_key", input.privateKey);
  const hasPassphrase = secretRef(
    issues,
    secrets,
    "privateKeyPassphrase",
    "private_key_passphrase",
    input.privateKeyPassphrase,
  );
  if (hasPassword === hasKey) {
    issues.add({
      property: hasPassword ? "password and privateKey" : "password or privateKey",
      received: hasPassword ? "both" : undefined,
      problem: hasPassword ? "are both set" : "is required",
      fix: "Choose exactly one authentication method: password: Secret.fromEnv(...) or privateKey: Secret.fromEnv(...).",
    });
  }
  if (hasPassphrase && !hasKey) {
    issues.add({
      property: "privateKeyPassphrase",
      received: Secret.isSecret(input.privateKeyPassphrase)
        ? input.privateKeyPassphrase.toString()
        : NOT_SHOWN,
      problem: "only applies to key-pair authentication",
      fix: "Remove privateKeyPassphrase, or authenticate with privateKey.",
    });
  }

  const configuration: Record<string, string | boolean> = {
    account: input.account as string,
    username: input.username as string,
    dbname: input.dbname as string,
    key_pair_auth: hasKey,
  };
  if (input.warehouse !== undefined) configuration.warehouse = input.warehouse as string;
  if (input.params !== undefined) configuration.params = input.params as string;
  return {
    schema_version: SCHEMA_VERSION,
    kind: "connection",
    name: input.name as string,
    api,
    type: "snowflake",
    configuration,
    secrets,
  };
}

/** The connect mode in effect: explicit, else `api` when client credentials are given (Polytomic's rule), else `browser`. */
export function effectiveConnectMode(input: SalesforceInput): unknown {
  if (input.connectMode !== undefined) return input.connectMode;
  return input.clientId !== undefined && input.clientSecret !== undefined ? "api" : "browser";
}

const CREDENTIALS_BY_MODE: Record<
  SalesforceConnectMode,
  { required: readonly string[]; allowed: readonly string[] }
> = {
  browser: { required: [], allowed: [] },
  code: { required: [], allowed: [] },
  api: {
    required: ["clientId", "clientSecret", "refreshToken"],
    allowed: ["clientId", "clientSecret", "refreshToken"],
  },
  clientcredentials: {
    required: ["clientId", "clientSecret"],
    allowed: ["clientId", "clientSecret"],
  },
};

export function buildSalesforceSpec(
  issues: IssueCollector,
  input: SalesforceInput,
  api: ApiSettings,
): ConnectionSpec {
  requireName(issues, input.name, "connection");
  if (
    requireText(
      issues,
      "domain",
      input.domain,
      'Set domain to your Salesforce login domain, e.g. "acmecorp.my.salesforce.com".',
    ) &&
    salesforceLoginHost(input.domain) === undefined
  ) {
    issues.add({
      property: "domain",
      received: input.domain,
      problem: "is not a Salesforce domain",
      fix: 'Use a host name such as "acmecorp.my.salesforce.com" or an https URL with no path, such as "https://acmecorp.my.salesforce.com".',
    });
  }
  if (
    input.redirectUrl !== undefined &&
    (typeof input.redirectUrl !== "string" || !/^https?:\/\/\S+$/.test(input.redirectUrl))
  ) {
    issues.add({
      property: "redirectUrl",
      received: input.redirectUrl,
      problem: "is not an http(s) URL",
      fix: "Set redirectUrl to the page Polytomic returns the browser to after OAuth, or leave it out.",
    });
  }
  const mode = effectiveConnectMode(input);
  const secrets: Record<string, string> = {};
  const present: Record<string, boolean> = {
    clientId: secretRef(issues, secrets, "clientId", "client_id", input.clientId),
    clientSecret: secretRef(issues, secrets, "clientSecret", "client_secret", input.clientSecret),
    refreshToken: secretRef(
      issues,
      secrets,
      "refreshToken",
      "oauth_refresh_token",
      input.refreshToken,
    ),
  };
  if (typeof mode !== "string" || !(SALESFORCE_CONNECT_MODES as readonly string[]).includes(mode)) {
    issues.add({
      property: "connectMode",
      received: mode,
      problem: "is not a Salesforce connect mode",
      fix: oneOfFix(mode, SALESFORCE_CONNECT_MODES),
    });
  } else {
    const rule = CREDENTIALS_BY_MODE[mode as SalesforceConnectMode];
    for (const property of Object.keys(present)) {
      if (present[property] && !rule.allowed.includes(property)) {
        issues.add({
          property,
          received: NOT_SHOWN,
          problem: `does not apply to connect mode "${mode}"`,
          fix:
            mode === "browser" || mode === "code"
              ? `Remove ${property} (a person authorises "${mode}" connections in a browser), or set connectMode: "api" to supply credentials; with a client id and secret Polytomic uses "api".`
              : `Remove ${property}; "${mode}" takes ${rule.allowed.join(", ")}.`,
        });
      }
    }
    for (const property of rule.required) {
      if (!present[property]) {
        issues.add({
          property,
          received: undefined,
          problem: `is required for connect mode "${mode}"`,
          fix: `Set ${property}: Secret.fromEnv("...") (connect mode "${mode}" needs ${rule.required.join(", ")}).`,
        });
      }
    }
  }
  const configuration: Record<string, string> = {
    domain: input.domain as string,
    connect_mode: mode as string,
  };
  return {
    schema_version: SCHEMA_VERSION,
    kind: "connection",
    name: input.name as string,
    api,
    type: "salesforce",
    configuration,
    secrets,
    ...(input.redirectUrl === undefined ? {} : { redirect_url: input.redirectUrl as string }),
  };
}
