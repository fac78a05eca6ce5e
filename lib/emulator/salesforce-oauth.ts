/**
 * The emulated Salesforce OAuth hand-off (polytomic-api.md §3.6): a browser/code connection waits,
 * unhealthy, until someone confirms the page at its `auth_url`; confirming makes it healthy and
 * fills in the Salesforce `username`, as Polytomic does after the real consent screen.
 */
import { randomInt } from "node:crypto";
import type { ConnectionRecord } from "./records";
import type { EmulatorEnv } from "./router";
import { salesforceHost } from "./validation/connection-rules";

const OAUTH_PENDING_ERROR =
  "waiting for Salesforce OAuth authorisation: open the connection's auth_url and confirm";

export function authUrl(env: EmulatorEnv, connectionId: string): string {
  return `${env.baseUrl()}/oauth/salesforce/${encodeURIComponent(connectionId)}`;
}

/** The code a user types in `code` mode: eight characters, unambiguous letters and digits. */
export function newAuthCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 8 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** Marks `connection` authorised, as the end of a successful OAuth flow (or API credentials) do. */
export function markAuthorized(connection: ConnectionRecord): void {
  const host = salesforceHost(connection.configuration.domain);
  connection.configuration.username = `emulator.user@${host}`;
  connection.status = "healthy";
  delete connection.status_error;
  delete connection.oauth_pending;
}

export function markPending(connection: ConnectionRecord): void {
  delete connection.configuration.username;
  connection.status = "unhealthy";
  connection.status_error = OAUTH_PENDING_ERROR;
  connection.oauth_pending =
    connection.configuration.connect_mode === "code" ? { auth_code: newAuthCode() } : {};
}
