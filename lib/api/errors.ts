/**
 * The client's failures, each with a one-line message a person can act on. Messages and properties
 * carry only the method, the path (never the query string), the status and what the server said:
 * never the API key or a caller's secret (masked in server text before it is shortened) and never a
 * request body, which can hold secrets.
 */
import { STATUS_CODES } from "node:http";
import { MASK, SecretMask } from "../core/secret-mask";

/** One dependent named by a 422 "connection in use" (`metadata.used_by[]`). */
export interface ApiErrorDependent {
  readonly type?: string;
  readonly name?: string;
  readonly id?: string;
}

/** Longest excerpt of a server's text that goes into a message. */
const MAX_EXCERPT = 160;
/** How many dependents a "connection in use" message lists before "and N more". */
const MAX_DEPENDENTS_SHOWN = 5;

/** Removes secrets from text that came from outside (server bodies, error messages). */
export type Redact = (text: string) => string;

/**
 * Masks every spelling of the API key (see secret-mask.ts), any `user:password@` URL credentials
 * (e.g. of a proxy), and, first, whatever `more` masks (the caller's own secrets).
 */
export function redactor(apiKey: string, more?: Redact): Redact {
  const key = new SecretMask();
  key.add(apiKey);
  return (text) =>
    key.apply(more === undefined ? text : more(text)).replace(/\/\/[^/\s@]+@/g, `//${MASK}@`);
}

/**
 * Collapses `text` to one printable line of at most `max` characters. Pass text already redacted:
 * a secret cut in two or with its whitespace folded no longer matches its mask.
 */
export function oneLine(text: string, max = MAX_EXCERPT): string {
  const flat = text.replace(/\p{Cc}+/gu, " ").replace(/\s+/g, " ");
  const trimmed = flat.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/**
 * A readable, redacted, single-line excerpt of a body; HTML is reduced to its text. The body is
 * redacted before anything else, so a secret holding `<…>` or whitespace is masked whole.
 */
export function bodyExcerpt(text: string, contentType: string, redact: Redact): string {
  const redacted = redact(text);
  const readable = /html/i.test(contentType)
    ? redacted.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ")
    : redacted;
  return oneLine(readable);
}

/** Common base so callers can catch every failure of the client with one `instanceof`. */
export abstract class PolytomicError extends Error {
  protected constructor(
    readonly method: string,
    /** Request path without the query string, e.g. `/api/syncs`. */
    readonly path: string,
    detail: string,
  ) {
    super(`${method} ${path} failed: ${detail}`);
  }
}

/** The server answered with an error status and a well-formed (JSON or empty) body. */
export class PolytomicApiError extends PolytomicError {
  constructor(
    method: string,
    path: string,
    readonly status: number,
    /** Polytomic's `message`, if the body had one. */
    readonly apiMessage: string | undefined,
    /** Polytomic's `metadata` object (e.g. `used_by` on a 422 "connection in use"); `{}` if none. */
    readonly metadata: Readonly<Record<string, unknown>>,
    /** What the caller can do about it, appended to the message (e.g. which key a 401 refused). */
    hint?: string,
  ) {
    const detail = describeApiError(status, apiMessage, dependentsOf(metadata));
    super(method, path, hint === undefined ? detail : `${detail}: ${hint}`);
    this.name = "PolytomicApiError";
  }

  /** The same error with `hint` appended to its message. */
  withHint(hint: string): PolytomicApiError {
    return new PolytomicApiError(
      this.method,
      this.path,
      this.status,
      this.apiMessage,
      this.metadata,
      hint,
    );
  }

  /** The objects that prevent a delete, from `metadata.used_by`; malformed entries are skipped. */
  get usedBy(): ApiErrorDependent[] {
    return dependentsOf(this.metadata);
  }
}

/** The server's answer could not be understood: not JSON, empty, or missing what the client needs. */
export class PolytomicResponseError extends PolytomicError {
  constructor(
    method: string,
    path: string,
    readonly status: number,
    /** What was wrong, e.g. `response has no "data" member`. */
    readonly reason: string,
    /** A short, single-line, redacted excerpt of the body, when it helps. */
    readonly excerpt?: string,
  ) {
    super(method, path, `${status} ${reason}${excerpt ? `: ${JSON.stringify(excerpt)}` : ""}`);
    this.name = "PolytomicResponseError";
  }
}

/** No response arrived: the connection failed, was reset, or the request timed out. */
export class PolytomicNetworkError extends PolytomicError {
  constructor(
    method: string,
    path: string,
    /** A Node or undici error code (`ECONNRESET`, `UND_ERR_SOCKET`…), or `ETIMEDOUT` for our timeout. */
    readonly code: string,
    /** e.g. `network error: read ECONNRESET` or `no complete response within 30000 ms`. */
    detail: string,
  ) {
    super(method, path, `${detail} (${code})`);
    this.name = "PolytomicNetworkError";
  }
}

/** True for a well-formed 404: the object does not exist (e.g. already deleted). */
export function isNotFound(error: unknown): error is PolytomicApiError {
  return error instanceof PolytomicApiError && error.status === 404;
}

function describeApiError(
  status: number,
  apiMessage: string | undefined,
  dependents: readonly ApiErrorDependent[],
): string {
  let text = `${status} ${apiMessage ?? STATUS_CODES[status] ?? "error"}`;
  if (dependents.length > 0) {
    const shown = dependents.slice(0, MAX_DEPENDENTS_SHOWN).map(describeDependent);
    const more = dependents.length - shown.length;
    text += ` (used by ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""})`;
  }
  return text;
}

function describeDependent(dependent: ApiErrorDependent): string {
  const label = dependent.name === undefined ? dependent.id : JSON.stringify(dependent.name);
  return [dependent.type, label].filter((part) => part !== undefined).join(" ") || "an object";
}

function dependentsOf(metadata: Readonly<Record<string, unknown>>): ApiErrorDependent[] {
  const usedBy = metadata["used_by"];
  if (!Array.isArray(usedBy)) return [];
  return usedBy.flatMap((entry: unknown): ApiErrorDependent[] => {
    if (typeof entry !== "object" || entry === null) return [];
    const record = entry as Record<string, unknown>;
    const pick = (key: string): string | undefined => {
      const value = record[key];
      return typeof value === "string" ? value : undefined;
    };
    return [{ type: pick("type"), name: pick("name"), id: pick("id") }];
  });
}
