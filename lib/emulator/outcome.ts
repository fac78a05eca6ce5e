/**
 * What a request produced, before it is written: status, headers and the serialised body. Kept as
 * data so an Idempotency-Key can store and replay it exactly (polytomic-api.md §2.5).
 */
import type { ApiError } from "./errors";

export interface Outcome {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Absent for the empty 200 the API answers to DELETE. */
  readonly body?: string;
}

const JSON_TYPE = "application/json; charset=utf-8";

export function jsonOutcome(status: number, value: unknown): Outcome {
  return { status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(value) };
}

/** The usual `{data: …}` envelope, with optional siblings such as `pagination`. */
export function dataOutcome(data: unknown, siblings: Record<string, unknown> = {}): Outcome {
  return jsonOutcome(200, { data, ...siblings });
}

export function emptyOutcome(): Outcome {
  return { status: 200, headers: {} };
}

export function errorOutcome(error: ApiError): Outcome {
  const body: Record<string, unknown> = { status: error.status, message: error.message };
  if (error.metadata !== undefined) body.metadata = error.metadata;
  return jsonOutcome(error.status, body);
}

export function htmlOutcome(status: number, html: string): Outcome {
  return { status, headers: { "content-type": "text/html; charset=utf-8" }, body: html };
}

export function withHeaders(outcome: Outcome, headers: Record<string, string>): Outcome {
  return { ...outcome, headers: { ...outcome.headers, ...headers } };
}
