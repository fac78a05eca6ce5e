/**
 * The signed, short-lived URLs an execution's log files are fetched from
 * (`GET /api/syncs/{sync_id}/executions/{id}/{type}` answers them, polytomic-api.md §5.1). Like
 * Polytomic's storage links they need no API key: the signature (an HMAC with a key made when
 * the emulator starts) and the expiry time are the authorisation.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ExecutionLogType } from "../records";

/** How long a log URL stays valid. */
export const LOG_URL_LIFETIME_MS = 15 * 60_000;

export const LOG_PATH = /^\/logs\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/;

export interface LogFile {
  readonly orgId: string;
  readonly executionId: string;
  readonly type: string;
  readonly filename: string;
}

export function logFilename(type: ExecutionLogType): string {
  return `${type}.json`;
}

export class LogSigner {
  private readonly key = randomBytes(32);

  private signature(file: LogFile, expires: number): string {
    return createHmac("sha256", this.key)
      .update(`${file.orgId}\n${file.executionId}\n${file.type}\n${file.filename}\n${expires}`)
      .digest("hex");
  }

  /** A URL for `file`, valid until `expires` (epoch milliseconds). */
  url(base: string, file: LogFile, expires: number): string {
    const path = [file.orgId, file.executionId, file.type, file.filename]
      .map(encodeURIComponent)
      .join("/");
    return `${base}/logs/${path}?expires=${expires}&signature=${this.signature(file, expires)}`;
  }

  /** Whether the query of a log URL authorises `file` at time `now`. */
  verify(file: LogFile, query: URLSearchParams, now: number): boolean {
    const expires = Number(query.get("expires"));
    const given = Buffer.from(query.get("signature") ?? "", "utf8");
    const wanted = Buffer.from(this.signature(file, expires), "utf8");
    return (
      Number.isInteger(expires) &&
      expires >= now &&
      given.length === wanted.length &&
      timingSafeEqual(given, wanted)
    );
  }
}
