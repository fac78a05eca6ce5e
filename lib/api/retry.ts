/**
 * When to retry and how long to wait. Transient failures (408, 429, 5xx, dropped connections,
 * timeouts) are retried; every other 4xx is final, notably 409, which can mean "already running"
 * or "the same Idempotency-Key is still in flight" and would not change by retrying.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { PolytomicError } from "./errors";
import { PolytomicApiError, PolytomicNetworkError, PolytomicResponseError } from "./errors";

export interface BackoffPolicy {
  /** Delay before the first retry; doubles for each further one. */
  readonly baseMs: number;
  /** Upper bound for any delay, including one the server asks for. */
  readonly capMs: number;
}

/** Reported before each retry so a CLI can print one line per retry. */
export interface RetryInfo {
  readonly method: string;
  readonly path: string;
  /** The attempt that just failed, from 1. */
  readonly attempt: number;
  /** HTTP status of the failed attempt, when there was a response. */
  readonly status?: number;
  /** Error code of the failed attempt, when there was no response. */
  readonly code?: string;
  /** How long the client waits before the next attempt. */
  readonly delayMs: number;
}

/** Plus or minus this fraction of the exponential delay, so parallel provisioners spread out. */
const JITTER = 0.2;

/**
 * Codes of failures that say nothing about the request itself: the connection was refused, reset or
 * closed before a response, or a timeout fired. DNS "not found", TLS and parser errors are final.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Whether another attempt may succeed. A 409 is retried only when an earlier attempt of the
 * request carried the same Idempotency-Key (`idempotencyKey`): it then means that attempt (timed
 * out on our side) is still in flight on the server, and a later attempt gets its stored outcome.
 */
export function isRetryable(error: PolytomicError, idempotencyKey = false): boolean {
  if (error instanceof PolytomicNetworkError) return RETRYABLE_CODES.has(error.code);
  if (error instanceof PolytomicApiError || error instanceof PolytomicResponseError) {
    return isRetryableStatus(error.status) || (idempotencyKey && error.status === 409);
  }
  return false;
}

export function isRateLimited(error: PolytomicError): boolean {
  return error instanceof PolytomicApiError && error.status === 429;
}

/**
 * A server-requested wait, lengthened by up to half: Retry-After is a minimum, and parallel
 * provisioners told the same wait would otherwise all come back in the same instant.
 */
export function spreadServerDelayMs(delayMs: number, capMs: number, random: () => number): number {
  return Math.min(capMs, Math.round(delayMs * (1 + 0.5 * random())));
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim();
}

/**
 * The wait the server asked for: `Retry-After` (delay-seconds or an HTTP date), else
 * `X-RateLimit-Reset` (epoch seconds) when it lies in the future; capped at `capMs`.
 * Undefined when neither header is usable, so the caller falls back to backoff.
 */
export function serverDelayMs(
  headers: IncomingHttpHeaders,
  nowMs: number,
  capMs: number,
): number | undefined {
  let delay: number | undefined;
  const retryAfter = header(headers, "retry-after");
  if (retryAfter !== undefined && /^\d+(\.\d+)?$/.test(retryAfter)) {
    delay = Number(retryAfter) * 1000;
  } else if (retryAfter) {
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) delay = Math.max(0, date - nowMs);
  }
  if (delay === undefined) {
    const reset = header(headers, "x-ratelimit-reset");
    if (reset !== undefined && /^\d+$/.test(reset)) {
      const untilReset = Number(reset) * 1000 - nowMs;
      if (untilReset > 0) delay = untilReset;
    }
  }
  return delay === undefined ? undefined : Math.min(capMs, Math.ceil(delay));
}

/** Capped exponential backoff with ±20 % jitter; `attempt` is the attempt that failed, from 1. */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = exponential * (1 - JITTER + 2 * JITTER * random());
  return Math.min(policy.capMs, Math.round(jittered));
}
