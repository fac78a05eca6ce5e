/**
 * The page behind a Salesforce connection's `auth_url`, standing in for Salesforce's consent
 * screen: `GET /oauth/salesforce/{id}` shows a Confirm button (plus a code field in `code` mode,
 * where the user types the `auth_code` the API returned); posting the form authorises the
 * connection. A browser opens these pages, so they need no API key.
 */
import { htmlOutcome } from "../outcome";
import type { Outcome } from "../outcome";
import type { ConnectionRecord } from "../records";
import type { EmulatorEnv } from "../router";
import { markAuthorized } from "../salesforce-oauth";
import type { Store } from "../store";
import { isOAuthHandOff } from "../validation/connection-rules";

export const OAUTH_PATH = /^\/oauth\/salesforce\/([^/]+)$/;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character] ??
      character,
  );
}

function page(status: number, title: string, body: string): Outcome {
  return htmlOutcome(
    status,
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 3rem auto">
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`,
  );
}

function consentForm(connection: ConnectionRecord, problem?: string): Outcome {
  const domain = escapeHtml(String(connection.configuration.domain));
  const askCode = connection.oauth_pending?.auth_code !== undefined;
  const codeField = askCode
    ? `<p><label>Code shown by the API (auth_code): <input name="code" autocomplete="off" required></label></p>`
    : "";
  return page(
    problem === undefined ? 200 : 400,
    "Authorise Salesforce access",
    `${problem === undefined ? "" : `<p role="alert">${escapeHtml(problem)}</p>`}
<p>Polytomic (emulated) asks to access the Salesforce organization at <strong>${domain}</strong>
for the connection <strong>${escapeHtml(connection.name)}</strong>.</p>
<form method="post">
${codeField}<button type="submit">Confirm</button>
</form>`,
  );
}

function confirmation(connection: ConnectionRecord): Outcome {
  const back =
    connection.redirect_url === undefined
      ? "<p>You can close this window.</p>"
      : `<p><a href="${escapeHtml(connection.redirect_url)}">Return to the application</a></p>`;
  return page(
    200,
    "Salesforce connection authorised",
    `<p>The connection <strong>${escapeHtml(connection.name)}</strong> is now authorised as
${escapeHtml(String(connection.configuration.username))}.</p>
${back}`,
  );
}

export function notFoundPage(): Outcome {
  return page(404, "Not found", "<p>There is no Salesforce authorisation at this address.</p>");
}

export interface OAuthRequest {
  readonly method: string;
  readonly connectionId: string;
  /** The posted form, for POST. */
  readonly form?: URLSearchParams;
}

export function handleOAuth(request: OAuthRequest, store: Store, env: EmulatorEnv): Outcome {
  const found = store.findConnection(request.connectionId);
  const connection = found?.connection;
  const handsOff =
    connection?.type === "salesforce" && isOAuthHandOff(connection.configuration.connect_mode);
  if (connection === undefined || !handsOff) return notFoundPage();
  if (request.method === "GET") {
    return connection.oauth_pending === undefined
      ? confirmation(connection)
      : consentForm(connection);
  }
  if (connection.oauth_pending === undefined) return confirmation(connection);
  const expected = connection.oauth_pending.auth_code;
  if (expected !== undefined && request.form?.get("code")?.trim().toUpperCase() !== expected) {
    return consentForm(connection, "The code does not match the connection's auth_code.");
  }
  markAuthorized(connection);
  connection.updated_at = env.now();
  store.save();
  return confirmation(connection);
}
