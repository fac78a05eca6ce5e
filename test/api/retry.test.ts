import fc from "fast-check";
import {
  PolytomicApiError,
  PolytomicNetworkError,
  PolytomicResponseError,
} from "../../lib/api/errors";
import { backoffDelayMs, isRetryable, serverDelayMs } from "../../lib/api/retry";
import type { Harness } from "./helpers";
import { finish, harness, header, reply } from "./helpers";

const NOW = Date.UTC(2025, 9, 1, 12, 0, 0);
const policy = { baseMs: 500, capMs: 30_000 };
const sync = { id: "s1", name: "Contacts" };
const syncBody = {
  name: "Contacts",
  mode: "updateOrCreate" as const,
  fields: [{ target: "Email", source: { model_id: "m1", field: "email" } }],
  schedule: { frequency: "manual" },
  target: { connection_id: "c2", object: "Contact" },
};

/** Fails one request with a Node-style network error, recording it like `reply` does. */
function networkFailure(h: Harness, method: string, path: string, code: string): void {
  // The header matcher is the only hook replyWithError offers; it may run more than once.
  let recorded = false;
  const record = (headers: Record<string, string>) => {
    if (!recorded) h.requests.push({ method, path, headers });
    recorded = true;
    return true;
  };
  const error = Object.assign(new Error(`read ${code}`), { code });
  h.pool.intercept({ method, path, headers: record }).replyWithError(error);
}

describe("serverDelayMs", () => {
  it("reads Retry-After as seconds", () => {
    expect(serverDelayMs({ "retry-after": "2" }, NOW, 30_000)).toBe(2000);
    expect(serverDelayMs({ "retry-after": "0.25" }, NOW, 30_000)).toBe(250);
  });

  it("reads Retry-After as an HTTP date, never negative", () => {
    const inFive = new Date(NOW + 5000).toUTCString();
    expect(serverDelayMs({ "retry-after": inFive }, NOW, 30_000)).toBe(5000);
    const past = new Date(NOW - 5000).toUTCString();
    expect(serverDelayMs({ "retry-after": past }, NOW, 30_000)).toBe(0);
  });

  it("falls back to X-RateLimit-Reset in epoch seconds when it lies ahead", () => {
    const reset = String(NOW / 1000 + 7);
    expect(serverDelayMs({ "x-ratelimit-reset": reset }, NOW, 30_000)).toBe(7000);
    expect(serverDelayMs({ "x-ratelimit-reset": String(NOW / 1000 - 7) }, NOW, 30_000)).toBe(
      undefined,
    );
  });

  it("prefers Retry-After, caps the delay and ignores garbage", () => {
    const reset = String(NOW / 1000 + 7);
    expect(serverDelayMs({ "retry-after": "1", "x-ratelimit-reset": reset }, NOW, 30_000)).toBe(
      1000,
    );
    expect(serverDelayMs({ "retry-after": "3600" }, NOW, 30_000)).toBe(30_000);
    expect(serverDelayMs({ "retry-after": "soon" }, NOW, 30_000)).toBeUndefined();
    expect(serverDelayMs({}, NOW, 30_000)).toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  it("doubles from the base with ±20 % jitter and never exceeds the cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, random) => {
          const delay = backoffDelayMs(attempt, policy, () => random);
          const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(Math.floor(exponential * 0.8));
          expect(delay).toBeLessThanOrEqual(Math.min(policy.capMs, Math.ceil(exponential * 1.2)));
        },
      ),
    );
  });

  it("is exact at the jitter's middle", () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, policy, () => 0.5))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });
});

describe("isRetryable", () => {
  it.each([408, 429, 500, 502, 503, 504, 599])("retries status %i", (status) => {
    expect(isRetryable(new PolytomicApiError("GET", "/api/x", status, undefined, {}))).toBe(true);
  });

  it.each([200, 400, 401, 403, 404, 409, 422])("does not retry status %i", (status) => {
    expect(isRetryable(new PolytomicApiError("GET", "/api/x", status, undefined, {}))).toBe(false);
    expect(isRetryable(new PolytomicResponseError("GET", "/api/x", status, "bad"))).toBe(false);
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET", "UND_ERR_HEADERS_TIMEOUT", "ETIMEDOUT"])(
    "retries network error %s",
    (code) => {
      expect(isRetryable(new PolytomicNetworkError("GET", "/api/x", code, "x"))).toBe(true);
    },
  );

  it.each(["ENOTFOUND", "UND_ERR_INVALID_ARG", "HPE_INVALID_CONSTANT", "UNKNOWN"])(
    "does not retry network error %s",
    (code) => {
      expect(isRetryable(new PolytomicNetworkError("GET", "/api/x", code, "x"))).toBe(false);
    },
  );
});

describe("retries through the client", () => {
  let h: Harness;

  afterEach(async () => {
    await finish(h);
  });

  it("waits at least as long as Retry-After says on a 429 (up to half again, spread), then succeeds", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs/s1", 429, { message: "slow down" }, { "retry-after": "3" });
    reply(h, "GET", "/api/syncs/s1", 429, "", { "retry-after": "1" });
    reply(h, "GET", "/api/syncs/s1", 200, { data: sync });

    await expect(h.client.getSync("s1")).resolves.toEqual(sync);

    // The harness draws 0.5, so each wait is a quarter longer than asked.
    expect(h.sleeps).toEqual([3750, 1250]);
    expect(h.retries).toEqual([
      { method: "GET", path: "/api/syncs/s1", attempt: 1, status: 429, delayMs: 3750 },
      { method: "GET", path: "/api/syncs/s1", attempt: 2, status: 429, delayMs: 1250 },
    ]);
  });

  it("honours an HTTP-date Retry-After using the injected clock", async () => {
    h = harness({ now: () => NOW });
    const at = new Date(NOW + 4000).toUTCString();
    reply(h, "GET", "/api/me", 503, "", { "retry-after": at });
    reply(h, "GET", "/api/me", 200, { data: { organization_id: "o1" } });

    await h.client.me();

    expect(h.sleeps).toEqual([5000]);
  });

  it("counts 429s apart from failures, so rate limiting does not exhaust the retry budget", async () => {
    h = harness({ maxRetries: 1, maxRateLimitedRetries: 3 });
    reply(h, "GET", "/api/models", 429, "", { "retry-after": "1" });
    reply(h, "GET", "/api/models", 500, "");
    reply(h, "GET", "/api/models", 429, "", { "retry-after": "1" });
    reply(h, "GET", "/api/models", 429, "", { "retry-after": "1" });
    reply(h, "GET", "/api/models", 200, { data: [] });

    await expect(h.client.listModels()).resolves.toEqual([]);
    expect(h.requests).toHaveLength(5);
  });

  it("gives up after the rate-limited budget", async () => {
    h = harness({ maxRateLimitedRetries: 1 });
    reply(h, "GET", "/api/models", 429, "", { "retry-after": "1" });
    reply(h, "GET", "/api/models", 429, { message: "still busy" }, { "retry-after": "1" });

    await expect(h.client.listModels()).rejects.toThrow("GET /api/models failed: 429 still busy");
  });

  it("retries a POST answered 409 while its key is still in flight, and gets the stored outcome", async () => {
    h = harness();
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    h.pool.intercept({ method: "POST", path: "/api/syncs" }).replyWithError(reset);
    reply(h, "POST", "/api/syncs", 409, {
      status: 409,
      message: "request with this idempotency key is in progress",
    });
    reply(h, "POST", "/api/syncs", 200, { data: sync });

    await expect(h.client.createSync(syncBody)).resolves.toEqual(sync);
    expect(h.retries.map((retry) => retry.code ?? retry.status)).toEqual(["ECONNRESET", 409]);
    expect(header(h, 0, "idempotency-key")).toBe(header(h, 1, "idempotency-key"));
  });

  it("does not retry a 409 answering a POST's first attempt: no earlier attempt holds its key", async () => {
    h = harness();
    reply(h, "POST", "/api/syncs", 409, { status: 409, message: "already exists" });

    await expect(h.client.createSync(syncBody)).rejects.toThrow("409 already exists");
    expect(h.requests).toHaveLength(1);
  });

  it.each(["PUT", "DELETE"] as const)(
    "does not retry a 409 answering a %s, which has no key",
    async (method) => {
      h = harness();
      reply(h, method, "/api/syncs/s1", 409, { status: 409, message: "conflict" });
      const call =
        method === "PUT" ? h.client.updateSync("s1", syncBody) : h.client.deleteSync("s1");
      await expect(call).rejects.toThrow("409 conflict");
      expect(h.requests).toHaveLength(1);
    },
  );

  it.each([500, 502, 503])("retries %i with backoff inside the jitter bounds", async (status) => {
    let call = 0;
    const randoms = [0, 0.999999, 0.3];
    h = harness({ random: () => randoms[call++] });
    reply(h, "GET", "/api/models", status, { message: "oops" });
    reply(h, "GET", "/api/models", status, { message: "oops" });
    reply(h, "GET", "/api/models", status, { message: "oops" });
    reply(h, "GET", "/api/models", 200, { data: [] });

    await expect(h.client.listModels()).resolves.toEqual([]);

    expect(h.sleeps).toHaveLength(3);
    [500, 1000, 2000].forEach((exponential, index) => {
      expect(h.sleeps[index]).toBeGreaterThanOrEqual(exponential * 0.8);
      expect(h.sleeps[index]).toBeLessThanOrEqual(exponential * 1.2);
    });
    expect(h.sleeps[0]).toBe(400);
    expect(h.sleeps[1]).toBe(1200);
    expect(h.retries.map((info) => info.status)).toEqual([status, status, status]);
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET"])(
    "retries the network error %s",
    async (code) => {
      h = harness();
      networkFailure(h, "GET", "/api/connections", code);
      reply(h, "GET", "/api/connections", 200, { data: [] });

      await expect(h.client.listConnections()).resolves.toEqual([]);

      expect(h.retries).toEqual([
        { method: "GET", path: "/api/connections", attempt: 1, code, delayMs: 500 },
      ]);
    },
  );

  it("reuses one idempotency key across the retries of a POST", async () => {
    h = harness();
    networkFailure(h, "POST", "/api/syncs", "ECONNRESET");
    reply(h, "POST", "/api/syncs", 502, "<html>bad gateway</html>", {
      "content-type": "text/html",
    });
    reply(h, "POST", "/api/syncs", 200, { data: sync });

    await expect(h.client.createSync(syncBody)).resolves.toEqual(sync);

    expect(h.requests).toHaveLength(3);
    const bodies = h.requests.slice(1).map((request) => JSON.parse(String(request.body)));
    expect(bodies).toEqual([syncBody, syncBody]);
    const key = header(h, 0, "idempotency-key");
    expect(key).toMatch(/^[A-Za-z0-9_-]{8,255}$/);
    expect(header(h, 1, "idempotency-key")).toBe(key);
    expect(header(h, 2, "idempotency-key")).toBe(key);
    expect(h.sleeps).toHaveLength(2);
  });

  it("retries a PUT and a DELETE", async () => {
    h = harness();
    reply(h, "PUT", "/api/syncs/s1", 500, "");
    reply(h, "PUT", "/api/syncs/s1", 200, { data: sync });
    reply(h, "DELETE", "/api/syncs/s1", 504, "");
    reply(h, "DELETE", "/api/syncs/s1", 204);

    await h.client.updateSync("s1", syncBody);
    await h.client.deleteSync("s1");

    expect(h.retries.map((info) => `${info.method} ${info.status}`)).toEqual([
      "PUT 500",
      "DELETE 504",
    ]);
  });

  it.each([400, 401, 403, 404, 422])("does not retry %i", async (status) => {
    h = harness();
    reply(h, "POST", "/api/syncs", status, { status, message: "no" }, { "retry-after": "1" });

    const error = await h.client.createSync(syncBody).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PolytomicApiError);
    expect((error as PolytomicApiError).status).toBe(status);
    expect(h.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("throws the last error once the retries are exhausted", async () => {
    h = harness({ maxRetries: 2 });
    reply(h, "GET", "/api/syncs/s1", 503, { message: "first" });
    reply(h, "GET", "/api/syncs/s1", 500, { message: "second" });
    reply(h, "GET", "/api/syncs/s1", 502, { message: "third" });

    const error = await h.client.getSync("s1").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PolytomicApiError);
    expect((error as Error).message).toBe("GET /api/syncs/s1 failed: 502 third");
    expect(h.sleeps).toHaveLength(2);
  });

  it("makes one attempt when maxRetries is 0", async () => {
    h = harness({ maxRetries: 0 });
    networkFailure(h, "GET", "/api/me", "ECONNRESET");

    const error = await h.client.me().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PolytomicNetworkError);
    expect(error).toMatchObject({ code: "ECONNRESET", method: "GET", path: "/api/me" });
    expect(h.sleeps).toEqual([]);
  });

  it("does not retry a 200 whose body is unusable", async () => {
    h = harness();
    reply(h, "GET", "/api/me", 200, "not json", { "content-type": "text/plain" });

    await expect(h.client.me()).rejects.toBeInstanceOf(PolytomicResponseError);
    expect(h.sleeps).toEqual([]);
  });
});
