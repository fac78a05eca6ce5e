/**
 * Connections: Snowflake and Salesforce declarations checked against the rules Polytomic applies
 * (polytomic-api.md §3.5, §3.6). Secrets are references (an environment variable or a Terraform
 * value), never values, so nothing here can echo one.
 */
import type {
  SalesforceConnectMode,
  SalesforceDeclaration,
  SecretSource,
  SnowflakeDeclaration,
} from "../declarations";
import { isPlaceholder } from "../declarations";
import type { IssueCollector } from "../errors";
import { oneOfFix } from "../errors";
import { salesforceLoginHost } from "../salesforce-domain";
import { optionalText, requireName, requireText } from "./common";

export const SALESFORCE_CONNECT_MODES: readonly SalesforceConnectMode[] = [
  "browser",
  "code",
  "api",
  "clientcredentials",
];
/** Modes in which a person completes OAuth in a browser; the deploy hands them a URL. */
export const INTERACTIVE_CONNECT_MODES: readonly SalesforceConnectMode[] = ["browser", "code"];

const SNOWFLAKE_ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Connection parameters that carry a credential: they belong in the Secret props, since `params`
 * is stored in the plan and the state.
 */
const CREDENTIAL_PARAM =
  /(^|[&;?\s])\s*(password|passwd|pwd|private_?key[a-z_]*|token|secret|passcode)\s*=/i;

function checkSnowflakeAccount(issues: IssueCollector, account: unknown): void {
  const fix =
    'Set account to your Snowflake account identifier, e.g. "uc193736182" or "FRXJLEC-UJA94780".';
  if (!requireText(issues, "account", account, fix) || isPlaceholder(account)) return;
  if (!SNOWFLAKE_ACCOUNT.test(account as string)) {
    issues.add({
      property: "account",
      received: account,
      problem: "is not a Snowflake account identifier",
      fix: "Use the identifier alone (letters, digits, '.', '-', '_'), e.g. \"FRXJLEC-UJA94780\", without https:// or .snowflakecomputing.com.",
    });
  }
}

function checkParams(issues: IssueCollector, params: unknown): void {
  const fix =
    'Set params to extra connection parameters as a query string (e.g. "role=ANALYST"), or leave it out.';
  if (!optionalText(issues, "params", params, fix) || typeof params !== "string") return;
  const credential = CREDENTIAL_PARAM.exec(params);
  if (credential) {
    issues.add({
      property: "params",
      received: `a query string setting ${credential[2]}=…`,
      problem: "carries a credential, which would be stored in the plan and the Terraform state",
      fix: "Remove it from params and pass it as a Secret: password, privateKey or privateKeyPassphrase (Secret.fromEnv(...) or Secret.fromTerraform(...)).",
    });
  }
}

export function checkSnowflake(issues: IssueCollector, declaration: SnowflakeDeclaration): void {
  requireName(issues, declaration.name, "connection");
  checkSnowflakeAccount(issues, declaration.account);
  requireText(
    issues,
    "username",
    declaration.username,
    "Set username to the Snowflake user Polytomic connects as.",
  );
  requireText(issues, "dbname", declaration.dbname, "Set dbname to the database Polytomic reads.");
  optionalText(
    issues,
    "warehouse",
    declaration.warehouse,
    "Set warehouse to a compute warehouse name, or leave it out.",
  );
  checkParams(issues, declaration.params);
  const hasPassword = declaration.password !== undefined;
  const hasKey = declaration.privateKey !== undefined;
  if (hasPassword === hasKey) {
    issues.add({
      property: hasPassword ? "password and privateKey" : "password or privateKey",
      received: hasPassword ? "both" : undefined,
      problem: hasPassword ? "are both set" : "is required",
      fix: "Choose exactly one authentication method: password: Secret.fromEnv(...) or privateKey: Secret.fromEnv(...).",
    });
  }
  if (declaration.privateKeyPassphrase !== undefined && !hasKey) {
    issues.add({
      property: "privateKeyPassphrase",
      received: describeSecret(declaration.privateKeyPassphrase),
      problem: "only applies to key-pair authentication",
      fix: "Remove privateKeyPassphrase, or authenticate with privateKey.",
    });
  }
}

/** How a secret reference is shown: where its value comes from, never the value. */
export function describeSecret(source: SecretSource): string {
  return "env" in source
    ? `Secret.fromEnv(${JSON.stringify(source.env)})`
    : `Secret.fromTerraform(${source.expression})`;
}

const CREDENTIALS_BY_MODE: Record<SalesforceConnectMode, readonly string[]> = {
  browser: [],
  code: [],
  api: ["clientId", "clientSecret", "refreshToken"],
  clientcredentials: ["clientId", "clientSecret"],
};
const CREDENTIAL_PROPS = ["clientId", "clientSecret", "refreshToken"] as const;

export function checkSalesforce(issues: IssueCollector, declaration: SalesforceDeclaration): void {
  requireName(issues, declaration.name, "connection");
  const domain = declaration.domain;
  if (
    requireText(
      issues,
      "domain",
      domain,
      'Set domain to your Salesforce login domain, e.g. "acmecorp.my.salesforce.com".',
    ) &&
    !isPlaceholder(domain) &&
    salesforceLoginHost(domain) === undefined
  ) {
    issues.add({
      property: "domain",
      received: domain,
      problem: "is not a Salesforce domain",
      fix: 'Use a host name such as "acmecorp.my.salesforce.com" or an https URL with no path, such as "https://acmecorp.my.salesforce.com".',
    });
  }
  const redirectUrl = declaration.redirectUrl;
  if (
    redirectUrl !== undefined &&
    !isPlaceholder(redirectUrl) &&
    (typeof redirectUrl !== "string" || !/^https?:\/\/\S+$/.test(redirectUrl))
  ) {
    issues.add({
      property: "redirectUrl",
      received: redirectUrl,
      problem: "is not an http(s) URL",
      fix: "Set redirectUrl to the page Polytomic returns the browser to after OAuth, or leave it out.",
    });
  }
  const mode = declaration.connectMode;
  if (!SALESFORCE_CONNECT_MODES.includes(mode)) {
    issues.add({
      property: "connectMode",
      received: mode,
      problem: "is not a Salesforce connect mode",
      fix: oneOfFix(mode, SALESFORCE_CONNECT_MODES),
    });
    return;
  }
  const required = CREDENTIALS_BY_MODE[mode];
  for (const property of CREDENTIAL_PROPS) {
    const present = declaration[property] !== undefined;
    if (present && !required.includes(property)) {
      issues.add({
        property,
        received: describeSecret(declaration[property]!),
        problem: `does not apply to connect mode "${mode}"`,
        fix: INTERACTIVE_CONNECT_MODES.includes(mode)
          ? `Remove ${property} (a person authorises "${mode}" connections in a browser), or set connectMode: "api" to supply credentials; with a client id and secret Polytomic uses "api".`
          : `Remove ${property}; "${mode}" takes ${required.join(", ")}.`,
      });
    } else if (!present && required.includes(property)) {
      issues.add({
        property,
        received: undefined,
        problem: `is required for connect mode "${mode}"`,
        fix: `Set ${property}: Secret.fromEnv("...") (connect mode "${mode}" needs ${required.join(", ")}).`,
      });
    }
  }
}
