/**
 * Per-type rules the JSON Schemas do not encode (polytomic-api.md §3.5, §3.6).
 *
 * Salesforce `connect_mode` decides which credentials belong: `api` needs client_id, client_secret
 * and oauth_refresh_token; `clientcredentials` needs client_id and client_secret; `browser` and
 * `code` take none of them (supplying client_id and client_secret means `api`).
 *
 * Snowflake "validation" stands in for Polytomic logging in to the warehouse: password auth needs
 * `password`, and it must be the embedded warehouse's (`--snowflake-password`); key-pair auth
 * needs `private_key`.
 */
import { salesforceLoginHost } from "../../core/salesforce-domain";
import { unprocessable } from "../errors";

const SALESFORCE_CREDENTIALS = ["client_id", "client_secret", "oauth_refresh_token"] as const;

const REQUIRED_BY_MODE: Readonly<Record<string, readonly string[]>> = {
  api: SALESFORCE_CREDENTIALS,
  clientcredentials: ["client_id", "client_secret"],
  browser: [],
  code: [],
};

export function isOAuthHandOff(connectMode: unknown): boolean {
  return connectMode === "browser" || connectMode === "code";
}

/**
 * Enforces the credentials of the Salesforce `connect_mode`. Secrets inherited from a previous
 * version of the connection (not sent in this request) are dropped in browser/code mode, so that
 * switching to OAuth never trips over the old credentials.
 */
export function applySalesforceModeRules(
  configuration: Record<string, unknown>,
  sentSecrets: ReadonlySet<string>,
): void {
  const connectMode = String(configuration.connect_mode);
  if (isOAuthHandOff(connectMode)) {
    const sent = SALESFORCE_CREDENTIALS.filter((key) => sentSecrets.has(key));
    if (sent.length > 0) {
      throw unprocessable(
        `configuration.${sent.join(", configuration.")} cannot be used with connect_mode ${connectMode}: supplying client_id and client_secret requires connect_mode "api"`,
        { field: `configuration.${sent[0]}` },
      );
    }
    for (const key of SALESFORCE_CREDENTIALS) delete configuration[key];
    return;
  }
  const missing = REQUIRED_BY_MODE[connectMode].filter((key) => configuration[key] === undefined);
  if (missing.length > 0) {
    throw unprocessable(
      `connect_mode ${connectMode} requires configuration.${missing.join(", configuration.")}`,
      { field: `configuration.${missing[0]}` },
    );
  }
}

const MY_DOMAIN = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;

/**
 * The login host of a Salesforce `domain`, in every form Polytomic's schema allows: a host name
 * (`acmecorp.my.salesforce.com`), an http or https URL without a path (the schema's own example is
 * `http://instance.my.salesforce.com`), or a bare My Domain name (`acmecorp`, meaning
 * `acmecorp.my.salesforce.com`).
 */
export function salesforceHost(domain: unknown): string {
  const text = typeof domain === "string" ? domain.trim() : domain;
  const asHttps = typeof text === "string" ? text.replace(/^http:\/\//i, "https://") : text;
  const host =
    typeof text === "string" && MY_DOMAIN.test(text)
      ? `${text.toLowerCase()}.my.salesforce.com`
      : salesforceLoginHost(asHttps);
  if (host === undefined) {
    throw unprocessable(
      `configuration.domain must be a Salesforce login domain such as acmecorp.my.salesforce.com (or https://acmecorp.my.salesforce.com, or the My Domain name acmecorp), received ${JSON.stringify(domain)}`,
      { field: "configuration.domain" },
    );
  }
  return host;
}

/**
 * Why Polytomic could not log in to the embedded warehouse with `configuration`, if it could not:
 * every account and user name reach it, the password must be the warehouse's.
 */
export function snowflakeCredentialProblem(
  configuration: Readonly<Record<string, unknown>>,
  expectedPassword: string,
): string | undefined {
  if (configuration.key_pair_auth === true) {
    return configuration.private_key === undefined || configuration.private_key === ""
      ? "configuration.private_key is required when key_pair_auth is true"
      : undefined;
  }
  if (configuration.password === undefined || configuration.password === "") {
    return "configuration.password is required unless key_pair_auth is true";
  }
  if (configuration.password !== expectedPassword) {
    return "390100 (08004): Incorrect username or password was specified.";
  }
  return undefined;
}
