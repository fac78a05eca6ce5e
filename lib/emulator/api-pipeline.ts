/**
 * The steps every `/api` request goes through, in order: authentication (401), rate limiting (429
 * with Retry-After), `X-Polytomic-Version` (400; echoed on every response), routing (404, 405),
 * body reading (413 over 1 MiB, 415 unless JSON, 400 if malformed), the Idempotency-Key (400,
 * replay, 409), the added latency, injected faults, then the route itself. Every refusal carries
 * the `{"status", "message", "metadata"?}` body and waits the same latency as a success.
 */
import type { IncomingMessage } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { VersionResolution } from "./api-version";
import { DEFAULT_API_VERSION, resolveApiVersion } from "./api-version";
import { authenticate } from "./auth";
import { ApiError, notFound } from "./errors";
import type { FaultSettings } from "./faults";
import { drawDrop, drawFailure, RateLimiter } from "./faults";
import { IdempotencyLocks, invalidIdempotencyKey, keyInFlight } from "./idempotency";
import type { Outcome } from "./outcome";
import { errorOutcome, withHeaders } from "./outcome";
import type { OrgState } from "./records";
import { header, parseJsonObject, readBody } from "./request";
import { actorOfRequest } from "./actors";
import type { ApiRoute, EmulatorEnv, RequestContext } from "./router";
import { Router } from "./router";
import { API_ROUTES } from "./routes";
import type { Store } from "./store";

const API_ROUTER = new Router(API_ROUTES);

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** What answering a request comes to, before it is written. */
export interface Result {
  readonly outcome: Outcome;
  /** Destroy the connection instead of answering (a lost response). */
  readonly drop?: boolean;
  /** Close the connection after answering (the rest of an oversized body is never read). */
  readonly close?: boolean;
}

export interface PipelineSettings {
  readonly latencyMs: number;
  /** Requests per second per API key, when limited. */
  readonly rateLimit?: number;
  readonly faults: FaultSettings;
  readonly log?: (line: string) => void;
}

export class ApiPipeline {
  private readonly locks = new IdempotencyLocks();
  private readonly rateLimiter: RateLimiter | undefined;

  constructor(
    private readonly settings: PipelineSettings,
    private readonly store: Store,
    private readonly env: EmulatorEnv,
  ) {
    const { rateLimit } = settings;
    this.rateLimiter = rateLimit === undefined ? undefined : new RateLimiter(rateLimit);
  }

  async handle(
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<Result> {
    const version = resolveApiVersion(req.headers["x-polytomic-version"]);
    const result = await this.answer(req, method, path, query, version);
    const echoed = version.ok ? version.version : DEFAULT_API_VERSION;
    return { ...result, outcome: withHeaders(result.outcome, { "x-polytomic-version": echoed }) };
  }

  private async delay(): Promise<void> {
    if (this.settings.latencyMs > 0) await sleep(this.settings.latencyMs);
  }

  private async refuse(error: ApiError, headers: Record<string, string> = {}): Promise<Result> {
    await this.delay();
    return { outcome: withHeaders(errorOutcome(error), headers), close: error.status === 413 };
  }

  private async answer(
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
    version: VersionResolution,
  ): Promise<Result> {
    const org = authenticate(header(req, "authorization"), this.store);
    if (org === undefined) return this.refuse(new ApiError(401, "unauthorized"));
    const retryAfter = this.rateLimiter?.take(org.id);
    if (retryAfter !== undefined) {
      const message = `rate limit exceeded: at most ${this.settings.rateLimit} requests per second per API key`;
      return this.refuse(new ApiError(429, message), { "retry-after": String(retryAfter) });
    }
    if (!version.ok) return this.refuse(version.error);
    const match = API_ROUTER.match(method, path);
    if (match.kind === "none") return this.refuse(notFound(`no route for ${method} ${path}`));
    if (match.kind === "wrong-method") {
      const error = new ApiError(405, `method ${method} is not allowed on ${path}`);
      return this.refuse(error, { allow: match.allow.join(", ") });
    }
    let body: Record<string, unknown> = {};
    if (method === "POST" || method === "PUT") {
      try {
        body = parseJsonObject(req, await readBody(req));
      } catch (error) {
        if (error instanceof ApiError) return this.refuse(error);
        throw error;
      }
    }
    let actor;
    try {
      actor = actorOfRequest(req, org);
    } catch (error) {
      if (error instanceof ApiError) return this.refuse(error);
      throw error;
    }
    const context: RequestContext = {
      org,
      actor,
      params: match.params,
      query,
      body,
      version: version.version,
      env: this.env,
    };
    const key = WRITE_METHODS.has(method) ? header(req, "idempotency-key") : undefined;
    if (key === undefined) {
      await this.delay();
      return await this.execute(match.route, context);
    }
    return this.executeOnce(match.route, context, org, key);
  }

  /** Runs a write carrying an Idempotency-Key: at most once per (organization, key). */
  private async executeOnce(
    route: ApiRoute,
    context: RequestContext,
    org: OrgState,
    key: string,
  ): Promise<Result> {
    const invalid = invalidIdempotencyKey(key);
    if (invalid !== undefined) return this.refuse(invalid);
    const claim = this.locks.claim(org, key);
    if (claim.kind === "busy") return this.refuse(keyInFlight());
    if (claim.kind === "replay") {
      await this.delay();
      return { outcome: claim.outcome };
    }
    try {
      await this.delay();
      return await this.execute(route, context, (outcome) =>
        this.locks.remember(org, key, outcome),
      );
    } finally {
      claim.release();
    }
  }

  /**
   * Runs the route. A write may meet an injected fault, which stands for a failure in front of
   * the service: answered 500 or 503, it has no effect at all, not even on the Idempotency-Key
   * (a retry with the key runs for real). Errors the route itself produces are outcomes like any
   * other, stored under the key and replayed (polytomic-api.md §2.5).
   */
  private async execute(
    route: ApiRoute,
    context: RequestContext,
    remember?: (outcome: Outcome) => void,
  ): Promise<Result> {
    if (route.method === "GET") return { outcome: await this.runHandler(route, context) };
    const failure = drawFailure(this.settings.faults);
    if (failure !== undefined) {
      const message = failure === 500 ? "internal server error" : "service unavailable";
      return { outcome: errorOutcome(new ApiError(failure, `${message} (injected fault)`)) };
    }
    const outcome = await this.runHandler(route, context);
    remember?.(outcome);
    this.store.save();
    return { outcome, drop: drawDrop(this.settings.faults) };
  }

  private async runHandler(route: ApiRoute, context: RequestContext): Promise<Outcome> {
    try {
      return await route.handler(context);
    } catch (error) {
      if (error instanceof ApiError) return errorOutcome(error);
      this.settings.log?.(`internal error: ${(error as Error).stack}`);
      return errorOutcome(new ApiError(500, "internal server error"));
    }
  }
}
