/**
 * Salesforce connections in `browser` or `code` mode are usable only once a person completes OAuth.
 * A sync that writes to one waits for that, polling, for at most POLYTOMIC_OAUTH_TIMEOUT seconds;
 * a run nobody watches (Terraform hides its output, or CI without a terminal) fails at once instead,
 * naming the URL to open.
 */
import { closeSync, openSync } from "node:fs";
import type { Connection } from "../../api";
import { DEFAULT_OAUTH_TIMEOUT_SECONDS, OAUTH_TIMEOUT_ENV, REPORT_ENV } from "../../core/contract";
import { ProvisionError } from "../errors";
import type { Session } from "../session";

const POLL_MS = 2000;

/** A connection is usable once Polytomic reports it healthy (OAuth connections: once authorised). */
export function isAuthorised(connection: { readonly status?: string }): boolean {
  return connection.status === "healthy";
}

/** What the deploy knows of a target connection. */
export interface Target {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
  readonly status?: string;
  /** Where a person authorises it, as a save during this run handed it out. */
  readonly authUrl?: string;
  readonly authCode?: string;
}

export function targetOf(connection: Connection): Target {
  return {
    id: connection.id,
    name: connection.name,
    ...(connection.type?.id ? { type: connection.type.id } : {}),
    ...(connection.status ? { status: connection.status } : {}),
    ...(connection.auth_url ? { authUrl: connection.auth_url } : {}),
    ...(connection.auth_code ? { authCode: connection.auth_code } : {}),
  };
}

/** Prints the OAuth hand-off so that it stands out in Terraform's output. */
export function printAuthorisation(session: Session, target: Target): void {
  if (!target.authUrl || isAuthorised(target)) return;
  const rule = "=".repeat(72);
  session.output.info(
    [
      rule,
      `ACTION REQUIRED: authorise Salesforce connection ${JSON.stringify(target.name)} in a browser:`,
      `  ${target.authUrl}`,
      ...(target.authCode ? [`  and enter the code ${target.authCode}`] : []),
      whyNobodyWatches(session.env)
        ? "Then run cdktf deploy again: syncs that write to it are created once it is authorised."
        : "Syncs that write to it wait for the authorisation during this deploy.",
      rule,
    ].join("\n"),
  );
}

/** Whether `CI` is set the way CI services set it (`true`, `1`, a name), not switched off. */
function underCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/**
 * Whether a person may be at a terminal: the process has a controlling terminal. Terraform runs
 * the CLI with pipes, so only the terminal Terraform was started from can tell; a CI runner has none.
 */
function hasTerminal(): boolean {
  try {
    closeSync(openSync("/dev/tty", "r"));
    return true;
  } catch {
    return false;
  }
}

/** Why no person can see the URL and authorise while this run waits, when that is so. */
function whyNobodyWatches(env: NodeJS.ProcessEnv): string | undefined {
  // Terraform hides this step's output while it runs: nobody would see where to authorise.
  if (env[REPORT_ENV])
    return "the stack passes secrets from Terraform, so Terraform hides the deploy step's output while it runs";
  if (underCi(env) && (env[OAUTH_TIMEOUT_ENV] ?? "") === "" && !hasTerminal())
    return `it runs under CI (CI is set and there is no terminal), where nobody can authorise it during the run; set ${OAUTH_TIMEOUT_ENV} to a number of seconds to wait anyway`;
  return undefined;
}

function timeoutSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env[OAUTH_TIMEOUT_ENV];
  if (raw === undefined || raw === "") return DEFAULT_OAUTH_TIMEOUT_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new ProvisionError(
      `${OAUTH_TIMEOUT_ENV} is ${JSON.stringify(raw)}; set it to a whole number of seconds, e.g. 300`,
    );
  }
  return seconds;
}

/**
 * Returns once the target connection is authorised; throws naming the URL to open when time runs
 * out. What was known may be stale, so an unhealthy connection is read afresh first.
 */
export async function waitForAuthorisation(
  session: Session,
  target: Target,
  neededBy: string,
): Promise<void> {
  if (isAuthorised(target) || target.type !== "salesforce") return;
  let current = await session.client.getConnection(target.id);
  if (isAuthorised(current)) return;
  const what = `Salesforce connection ${JSON.stringify(target.name)}`;
  const where = target.authUrl
    ? `open ${target.authUrl} in a browser${target.authCode ? ` and enter the code ${target.authCode}` : ""}`
    : "reconnect it in Polytomic (the stack does not manage it, so it has no URL to hand out)";
  const unwatched = whyNobodyWatches(session.env);
  if (unwatched) {
    throw new ProvisionError(
      `${what} (id ${target.id}) is not authorised yet: ${where} to authorise it, then run cdktf deploy again (${neededBy} cannot wait for it: ${unwatched})`,
    );
  }
  const limit = timeoutSeconds(session.env);
  const deadline = session.now() + limit * 1000;
  session.output.info(`${neededBy} waits up to ${limit} s for ${what} to be authorised (${where})`);
  while (session.now() < deadline) {
    await session.sleep(Math.min(POLL_MS, Math.max(0, deadline - session.now())));
    current = await session.client.getConnection(target.id);
    if (isAuthorised(current)) {
      session.output.info(`${what} is authorised`);
      return;
    }
  }
  throw new ProvisionError(
    `${what} (id ${target.id}) is still not authorised after ${limit} s: ${where} to authorise it, then run cdktf deploy again (${OAUTH_TIMEOUT_ENV} sets how long to wait)`,
  );
}
