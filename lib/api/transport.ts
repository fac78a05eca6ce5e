/**
 * One logical API call: headers, JSON body, per-attempt timeout and the retry loop. Every response
 * body is read in full, so keep-alive connections go back to the pool.
 */
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { request } from "undici";
import type { PolytomicResponseError, Redact } from "./errors";
import { oneLine, PolytomicApiError, PolytomicNetworkError } from "./errors";
import type { RawResponse } from "./responses";
import { errorFromResponse } from "./responses";
import type { BackoffPolicy, RetryInfo } from "./retry";
import {
  backoffDelayMs,
  isRateLimited,
  isRetryable,
  serverDelayMs,
  spreadServerDelayMs,
} from "./retry";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export type QueryValue = string | number | boolean | undefined;

export interface TransportOptions {
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiVersion: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Retries allowed for 429 answers, counted apart from other failures. */
  readonly maxRateLimitedRetries: number;
  readonly backoff: BackoffPolicy;
  readonly dispatcher: Dispatcher;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly onRetry?: (info: RetryInfo) => void;
  readonly redact: Redact;
  /** Where the API key came from, named when the server refuses it (401). */
  readonly apiKeySource?: string;
}

export interface CallOptions {
  /** Undefined values are left out; booleans are sent as `true`/`false`. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Serialised as JSON; never copied into an error. */
  readonly body?: unknown;
}

type AttemptError = PolytomicApiError | PolytomicResponseError | PolytomicNetworkError;

type Attempt =
  | { readonly ok: true; readonly response: RawResponse }
  | { readonly ok: false; readonly error: AttemptError; readonly serverDelayMs?: number };

function firstHeader(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** The code of a Node or undici error, looking through `cause` and AggregateError's `errors`. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && code !== "") return code;
  return errorCode(cause) ?? (Array.isArray(errors) ? errorCode(errors[0]) : undefined);
}

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** Sends the call, retrying transient failures; resolves with the 2xx response or throws the last error. */
  async call(method: HttpMethod, path: string, call: CallOptions = {}): Promise<RawResponse> {
    const url = this.url(path, call.query);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      "x-polytomic-version": this.options.apiVersion,
      accept: "application/json",
      "user-agent": this.options.userAgent,
    };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers["content-type"] = "application/json";
    }
    // One key per logical call, reused by its retries: if the server committed but the response was
    // lost, the retry gets the stored outcome instead of creating a second object.
    if (method === "POST") headers["idempotency-key"] = randomUUID();
    try {
      return await this.send(method, path, url, headers, body);
    } catch (error) {
      throw error instanceof PolytomicApiError && error.status === 401
        ? error.withHint(this.refusedKey(path))
        : error;
    }
  }

  /**
   * Says which key a 401 refused and where it was sent (never the key, nor the query string), so
   * that a person can tell a wrong key from a wrong URL.
   */
  private refusedKey(path: string): string {
    const { apiKeySource, baseUrl } = this.options;
    const key = apiKeySource === undefined ? "the API key" : `the API key from ${apiKeySource}`;
    return `${baseUrl}${path} refused ${key}; check that it holds a valid API key of the Polytomic organization at ${baseUrl}`;
  }

  /**
   * GETs an absolute URL the API handed out (a signed link to a log file), with the same timeout
   * and retries but never the API key: the link authorises itself, and may point at another host.
   * Errors name the URL without its query string, which holds the signature.
   */
  async download(url: string): Promise<RawResponse> {
    const parsed = new URL(url);
    const headers = { accept: "application/json", "user-agent": this.options.userAgent };
    return this.send("GET", `${parsed.origin}${parsed.pathname}`, url, headers, undefined);
  }

  private async send(
    method: HttpMethod,
    path: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<RawResponse> {
    const { maxRetries, backoff, random, sleep, onRetry } = this.options;
    // Being rate limited says nothing about the request, so it has a budget of its own: a busy
    // organization with many parallel provisioners must not exhaust the budget for real failures.
    let failures = 0;
    let rateLimited = 0;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(method, path, url, headers, body);
      if (outcome.ok) return outcome.response;
      const { error } = outcome;
      if (isRateLimited(error)) rateLimited += 1;
      else failures += 1;
      const exhausted = failures > maxRetries || rateLimited > this.options.maxRateLimitedRetries;
      // Only an earlier attempt can hold this call's key in flight: a 409 to the first attempt is
      // the server's own answer ("already running") and final.
      const keyInFlight = "idempotency-key" in headers && attempt > 1;
      if (exhausted || !isRetryable(error, keyInFlight)) throw error;
      const delayMs =
        outcome.serverDelayMs === undefined
          ? backoffDelayMs(Math.max(failures, rateLimited), backoff, random)
          : spreadServerDelayMs(outcome.serverDelayMs, backoff.capMs, random);
      onRetry?.({
        method,
        path,
        attempt,
        ...(error instanceof PolytomicNetworkError
          ? { code: error.code }
          : { status: error.status }),
        delayMs,
      });
      await sleep(delayMs);
    }
  }

  private url(path: string, query: CallOptions["query"] = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.append(key, String(value));
    }
    const search = params.toString();
    return `${this.options.baseUrl}${path}${search ? `?${search}` : ""}`;
  }

  private async attempt(
    method: HttpMethod,
    path: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Attempt> {
    const { dispatcher, timeoutMs, redact } = this.options;
    // One deadline for headers and body together; undici's own timeouts are per phase.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method,
        headers,
        body,
        dispatcher,
        signal: controller.signal,
      });
      text = await response.body.text();
    } catch (error) {
      return {
        ok: false,
        error: this.networkError(method, path, error, controller.signal.aborted),
      };
    } finally {
      clearTimeout(timer);
    }
    const raw: RawResponse = {
      method,
      path,
      status: response.statusCode,
      contentType: firstHeader(response.headers["content-type"]).split(";")[0].trim(),
      text,
    };
    if (raw.status >= 200 && raw.status < 300) return { ok: true, response: raw };
    return {
      ok: false,
      error: errorFromResponse(raw, redact),
      serverDelayMs: serverDelayMs(
        response.headers,
        this.options.now(),
        this.options.backoff.capMs,
      ),
    };
  }

  private networkError(
    method: HttpMethod,
    path: string,
    error: unknown,
    timedOut: boolean,
  ): PolytomicNetworkError {
    if (timedOut) {
      const detail = `no complete response within ${this.options.timeoutMs} ms`;
      return new PolytomicNetworkError(method, path, "ETIMEDOUT", detail);
    }
    const message = error instanceof Error ? error.message : String(error);
    const detail = `network error: ${oneLine(this.options.redact(message)) || "no detail"}`;
    return new PolytomicNetworkError(method, path, errorCode(error) ?? "UNKNOWN", detail);
  }
}
