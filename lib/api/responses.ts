/**
 * Reading response bodies: the `{ data: … }` envelope of successes and the `ApiError` body of
 * failures. Anything the client cannot use becomes a one-line {@link PolytomicResponseError}
 * instead of a JSON.parse stack trace or an `undefined` surfacing later.
 */
import type { Redact } from "./errors";
import { bodyExcerpt, oneLine, PolytomicApiError, PolytomicResponseError } from "./errors";
import type { JsonObject } from "./types";

/** A response whose body has been read in full. */
export interface RawResponse {
  readonly method: string;
  /** Without the query string. */
  readonly path: string;
  readonly status: number;
  /** Media type only, e.g. `application/json`; empty if the server sent none. */
  readonly contentType: string;
  readonly text: string;
}

/** Longest Polytomic error message kept; long enough for a validation error, short enough for a log. */
const MAX_API_MESSAGE = 300;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A {@link PolytomicResponseError} about `raw`. */
export function malformed(
  raw: RawResponse,
  reason: string,
  excerpt?: string,
): PolytomicResponseError {
  return new PolytomicResponseError(raw.method, raw.path, raw.status, reason, excerpt);
}

function notJson(raw: RawResponse, what: string, redact: Redact): PolytomicResponseError {
  const type = raw.contentType ? ` (${raw.contentType})` : "";
  return malformed(
    raw,
    `${what} is not JSON${type}`,
    bodyExcerpt(raw.text, raw.contentType, redact),
  );
}

/** The parsed JSON body of a success; an empty or non-JSON body is an error. */
function parseJson(raw: RawResponse, redact: Redact): unknown {
  if (raw.text.trim() === "") throw malformed(raw, "empty body, expected JSON");
  try {
    return JSON.parse(raw.text) as unknown;
  } catch {
    throw notJson(raw, "response", redact);
  }
}

/** A copy of `value` with every string passed through `redact`. */
function redactDeep(value: unknown, redact: Redact): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (isJsonObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]),
    );
  }
  return value;
}

/** Polytomic's `message`, or the legacy `{ error: "…" }` / `{ error: { message } }` forms. */
function messageOf(body: JsonObject): string | undefined {
  const { message, error } = body;
  if (typeof message === "string" && message.trim() !== "") return message;
  if (typeof error === "string" && error.trim() !== "") return error;
  if (isJsonObject(error) && typeof error.message === "string") return error.message;
  return undefined;
}

/**
 * The error for a non-2xx response: a {@link PolytomicApiError} for an `ApiError` JSON object or an
 * empty body (the status says it all), a {@link PolytomicResponseError} for anything else (an HTML
 * page from a proxy, a truncated body).
 */
export function errorFromResponse(
  raw: RawResponse,
  redact: Redact,
): PolytomicApiError | PolytomicResponseError {
  if (raw.text.trim() === "") {
    return new PolytomicApiError(raw.method, raw.path, raw.status, undefined, {});
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.text);
  } catch {
    return notJson(raw, "error response", redact);
  }
  if (!isJsonObject(body)) {
    return malformed(
      raw,
      "error response is not a JSON object",
      bodyExcerpt(raw.text, raw.contentType, redact),
    );
  }
  const message = messageOf(body);
  const metadata = isJsonObject(body.metadata) ? redactDeep(body.metadata, redact) : {};
  return new PolytomicApiError(
    raw.method,
    raw.path,
    raw.status,
    message === undefined ? undefined : oneLine(redact(message), MAX_API_MESSAGE),
    metadata as JsonObject,
  );
}

/** Checks the fields the caller relies on are non-empty strings; `where` names the object. */
function requireStrings(
  raw: RawResponse,
  value: unknown,
  where: string,
  required: readonly string[],
): JsonObject {
  if (!isJsonObject(value)) throw malformed(raw, `${where} is not an object`);
  for (const key of required) {
    const field = value[key];
    if (typeof field !== "string" || field === "") {
      throw malformed(raw, `${where} has no ${JSON.stringify(key)} string`);
    }
  }
  return value;
}

/** The top-level object of a body that has no envelope (e.g. a connection type's JSON Schema). */
export function bareObject(raw: RawResponse, redact: Redact): JsonObject {
  const body = parseJson(raw, redact);
  if (!isJsonObject(body)) throw malformed(raw, "response is not a JSON object");
  return body;
}

/** The enveloped body of a response, checked to be an object with a `data` member. */
function envelope(raw: RawResponse, redact: Redact): JsonObject {
  const body = bareObject(raw, redact);
  if (!("data" in body)) throw malformed(raw, 'response has no "data" member');
  return body;
}

/**
 * `data` of a single-object response, with `required` fields checked. The cast is the one place
 * a response becomes typed: every field `T` declares as required is among `required`.
 */
export function dataObject<T extends JsonObject>(
  raw: RawResponse,
  redact: Redact,
  required: readonly string[],
): T {
  return requireStrings(raw, envelope(raw, redact).data, '"data"', required) as T;
}

/** `data` of a list response with `required` checked on each item, and the whole body for siblings. */
export function dataList<T extends JsonObject>(
  raw: RawResponse,
  redact: Redact,
  required: readonly string[],
): { readonly items: T[]; readonly body: JsonObject } {
  const body = envelope(raw, redact);
  if (!Array.isArray(body.data)) throw malformed(raw, '"data" is not an array');
  const items = body.data.map(
    (item: unknown, index) => requireStrings(raw, item, `data[${index}]`, required) as T,
  );
  return { items, body };
}

/** The entries of a log file: a JSON array of objects, or JSON Lines of objects. */
export function logEntries(raw: RawResponse, redact: Redact): JsonObject[] {
  const text = raw.text.trim();
  if (text === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as unknown);
    } catch {
      throw notJson(raw, "log file", redact);
    }
  }
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  if (!entries.every(isJsonObject))
    throw malformed(raw, "log file entries are not all JSON objects");
  return entries;
}
