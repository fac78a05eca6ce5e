/**
 * The client's calls for sync executions and target discovery: paths, bodies and queries as the
 * API takes them, envelopes unwrapped and checked, pages followed, and log files fetched from
 * their signed URLs without the API key.
 */
import { PolytomicApiError, PolytomicResponseError } from "../../lib/api/errors";
import type { Harness } from "./helpers";
import { API_KEY, finish, harness, header, JSON_HEADERS, reply } from "./helpers";

let h: Harness;

afterEach(async () => {
  await finish(h);
});

const execution = {
  id: "e1",
  type: "manual",
  status: "completed",
  created_at: "2025-01-01T00:00:00Z",
  errors: [],
  counts: { total: 3, insert: 2, update: 0, upserts: 0, delete: 0, error: 1, warnings: 0 },
};

describe("starting and following executions", () => {
  it("starts one with the body given, and an idempotency key like every POST", async () => {
    h = harness();
    reply(h, "POST", "/api/syncs/s%201/executions", 200, {
      data: { id: "e1", status: "created", created_at: "2025-01-01T00:00:00Z" },
    });

    const started = await h.client.startSyncExecution("s 1", { test: true, identities: ["a@x"] });

    expect(started).toEqual({ id: "e1", status: "created", created_at: "2025-01-01T00:00:00Z" });
    expect(JSON.parse(String(h.requests[0].body))).toEqual({ test: true, identities: ["a@x"] });
    expect(header(h, 0, "idempotency-key")).toMatch(/^[A-Za-z0-9_-]{8,255}$/);
  });

  it("sends an empty object by default, and surfaces 409 as an API error to handle", async () => {
    h = harness();
    reply(h, "POST", "/api/syncs/s1/executions", 409, {
      status: 409,
      message: "sync Contacts already has an execution in progress",
    });

    const error = await h.client.startSyncExecution("s1").catch((e: unknown) => e);

    expect(JSON.parse(String(h.requests[0].body))).toEqual({});
    expect(error).toBeInstanceOf(PolytomicApiError);
    expect((error as PolytomicApiError).status).toBe(409);
    expect(h.requests).toHaveLength(1);
  });

  it("reads the status, whose every member may be absent", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs/s1/status", 200, { data: {} });
    reply(h, "GET", "/api/syncs/s1/status", 200, {
      data: { current_execution: { ...execution, status: "running" }, last_execution: execution },
    });

    await expect(h.client.getSyncStatus("s1")).resolves.toEqual({});
    const status = await h.client.getSyncStatus("s1");
    expect(status.current_execution?.status).toBe("running");
    expect(status.last_execution?.counts?.error).toBe(1);
  });

  it("gets an execution, and refuses one without an id", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs/s1/executions/e1", 200, { data: execution });
    reply(h, "GET", "/api/syncs/s1/executions/e2", 200, { data: { status: "done" } });

    await expect(h.client.getSyncExecution("s1", "e1")).resolves.toEqual(execution);
    await expect(h.client.getSyncExecution("s1", "e2")).rejects.toThrow(PolytomicResponseError);
  });

  it("cancels an execution", async () => {
    h = harness();
    reply(h, "POST", "/api/syncs/s1/executions/e1/cancel", 200, {
      data: { message: "Cancellation requested" },
    });

    await h.client.cancelSyncExecution("s1", "e1");

    expect(h.requests[0].path).toBe("/api/syncs/s1/executions/e1/cancel");
  });

  it("lists executions across pages with only_completed and ascending", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs/s1/executions?only_completed=true&ascending=true", 200, {
      data: [execution],
      pagination: { next_page_token: "t2" },
    });
    reply(
      h,
      "GET",
      "/api/syncs/s1/executions?only_completed=true&ascending=true&page_token=t2",
      200,
      {
        data: [{ ...execution, id: "e2" }],
        pagination: {},
      },
    );

    const all = await h.client.listSyncExecutions("s1", { onlyCompleted: true, ascending: true });

    expect(all.map((item) => item.id)).toEqual(["e1", "e2"]);
  });

  it("stops when the execution list repeats a page token", async () => {
    h = harness();
    for (let i = 0; i < 2; i += 1) {
      reply(h, "GET", (path) => path.startsWith("/api/syncs/s1/executions"), 200, {
        data: [],
        pagination: { next_page_token: "same" },
      });
    }

    await expect(h.client.listSyncExecutions("s1")).rejects.toThrow(
      "GET /api/syncs/s1/executions failed: 200 pagination returned a page token it had already returned",
    );
  });
});

describe("execution logs", () => {
  const LOGS = "https://logs.polytomic.test";
  const signed = `${LOGS}/org/e1/errors/errors.json?expires=1&signature=SECRET-SIGNATURE`;

  it("answers the signed URLs of a log type", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs/s1/executions/e1/errors", 200, {
      data: { urls: [signed], expires: "2025-01-01T00:15:00Z" },
    });

    await expect(h.client.getExecutionLogUrls("s1", "e1", "errors")).resolves.toEqual({
      urls: [signed],
      expires: "2025-01-01T00:15:00Z",
    });
  });

  it("reads every file's entries, JSON arrays and JSON Lines, without sending the API key", async () => {
    h = harness();
    const lines = `${LOGS}/org/e1/errors/part2.jsonl?signature=S2`;
    reply(h, "GET", "/api/syncs/s1/executions/e1/errors", 200, { data: { urls: [signed, lines] } });
    const logs = h.agent.get(LOGS);
    const seen: Record<string, unknown>[] = [];
    logs
      .intercept({ method: "GET", path: (path) => path.startsWith("/org/e1/errors/errors.json") })
      .reply((request) => {
        seen.push(request.headers as Record<string, unknown>);
        return {
          statusCode: 200,
          data: JSON.stringify([
            { identity: "a@x", field: "LastName", code: "REQUIRED_FIELD_MISSING" },
          ]),
          responseOptions: { headers: JSON_HEADERS },
        };
      });
    logs
      .intercept({ method: "GET", path: (path) => path.startsWith("/org/e1/errors/part2.jsonl") })
      .reply((request) => {
        seen.push(request.headers as Record<string, unknown>);
        return { statusCode: 200, data: '{"identity":"b@x"}\n{"identity":"c@x"}\n' };
      });

    const entries = await h.client.readExecutionLog("s1", "e1", "errors");

    expect(entries.map((entry) => entry.identity)).toEqual(["a@x", "b@x", "c@x"]);
    for (const headers of seen) {
      expect(headers.authorization).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(API_KEY);
    }
  });

  it("an empty log has no URLs and no entries; a failing download never names the signature", async () => {
    h = harness({ maxRetries: 0 });
    reply(h, "GET", "/api/syncs/s1/executions/e1/deletes", 200, { data: { urls: [] } });
    reply(h, "GET", "/api/syncs/s1/executions/e1/errors", 200, { data: { urls: [signed] } });
    h.agent
      .get(LOGS)
      .intercept({ method: "GET", path: () => true })
      .reply(403, "expired");

    await expect(h.client.readExecutionLog("s1", "e1", "deletes")).resolves.toEqual([]);
    const error = (await h.client
      .readExecutionLog("s1", "e1", "errors")
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`GET ${LOGS}/org/e1/errors/errors.json failed: 403`);
    expect(error.message).not.toContain("SECRET-SIGNATURE");
  });

  it("refuses URLs that are not strings", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs/s1/executions/e1/records", 200, { data: { urls: [1] } });

    await expect(h.client.getExecutionLogUrls("s1", "e1", "records")).rejects.toThrow(
      '"data.urls" is not an array of strings',
    );
  });
});

describe("target fields and models", () => {
  it("asks for the fields of one target object", async () => {
    h = harness();
    const data = {
      id: "Contact",
      name: "Contact",
      fields: [{ id: "LastName", required: true, identity_functions: [] }],
      modes: [{ mode: "create", requires_identity: false }],
      properties: { supports_field_creation: true },
    };
    reply(
      h,
      "GET",
      "/api/connections/c1/modelsync/target/fields?target=Contact&refresh=true",
      200,
      { data },
    );

    await expect(h.client.getTargetFields("c1", "Contact", { refresh: true })).resolves.toEqual(
      data,
    );
  });

  it("lists every model, following the models list's pages", async () => {
    h = harness();
    reply(h, "GET", "/api/models", 200, {
      data: [{ id: "m1", name: "A" }],
      pagination: { next_page_token: "p2" },
    });
    reply(h, "GET", "/api/models?page_token=p2", 200, { data: [{ id: "m2", name: "B" }] });

    const models = await h.client.listModels();

    expect(models.map((model) => model.id)).toEqual(["m1", "m2"]);
  });
});
