/**
 * Salesforce connections in `browser` or `code` mode are usable only once a person completes OAuth.
 * A sync that writes to one waits for that, polling, for at most POLYTOMIC_OAUTH_TIMEOUT seconds.
 */
import { DEFAULT_OAUTH_TIMEOUT_SECONDS, OAUTH_TIMEOUT_ENV } from "../../core/contract";
import { isAuthorised } from "./connection";
import { ProvisionError } from "./errors";
import type { KnownObject } from "./known-ids";
import { describe } from "./lookup";
import type { Session } from "./session";

const POLL_MS = 2000;

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
 * out. What an earlier step recorded may be stale, so an unhealthy connection is read afresh first.
 */
export async function waitForAuthorisation(
  session: Session,
  target: KnownObject,
  neededBy: string,
): Promise<void> {
  if (isAuthorised(target) || target.type !== "salesforce") return;
  let current = await session.client.getConnection(target.id);
  if (isAuthorised(current)) return;
  const limit = timeoutSeconds(session.env);
  const deadline = session.now() + limit * 1000;
  const what = `Salesforce ${describe("connection", target.name)}`;
  session.output.info(
    `${neededBy} waits up to ${limit} s for ${what} to be authorised (open the URL printed when the connection was saved)`,
  );
  while (session.now() < deadline) {
    await session.sleep(Math.min(POLL_MS, Math.max(0, deadline - session.now())));
    current = await session.client.getConnection(target.id);
    if (isAuthorised(current)) {
      session.output.info(`${what} is authorised`);
      return;
    }
  }
  // Never re-save the connection to get a fresh URL: in code mode that would void the code the
  // person may be typing. Use what the save in this apply handed out, if any.
  const url = current.auth_url ?? target.authUrl;
  const code = current.auth_code ?? target.authCode;
  const where = url
    ? `open ${url} in a browser${code ? ` and enter the code ${code}` : ""} to authorise it`
    : "open the authorisation URL printed when the connection was saved, or reconnect it in Polytomic";
  throw new ProvisionError(
    `${what} (id ${target.id}) is still not authorised after ${limit} s: ${where}, then run cdktf deploy again (${OAUTH_TIMEOUT_ENV} sets how long to wait)`,
  );
}
