import { inspect } from "node:util";
import {
  isNotFound,
  PolytomicApiError,
  PolytomicError,
  PolytomicNetworkError,
  PolytomicResponseError,
} from "../../lib/api/errors";
import type { Harness } from "./helpers";
import { API_KEY, finish, harness, reply } from "./helpers";

const SECRET = "hunter2-BODYCANARY-5e1d";

const HTML_502 = `<html>
<head><title>502 Bad Gateway</title><style>body { color: red }</style></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>
</html>`;

let h: Harness;

afterEach(async () => {
  await finish(h);
});

/** The rejection of `promise`, failing the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error("expected the call to fail");
  return outcome;
}

function expectOneLine(error: Error): void {
  expect(error.message).not.toMatch(/\p{Cc}/u);
  expect(error.message.length).toBeLessThan(400);
}

describe("API errors", () => {
  it("reads Polytomic's message into one line", async () => {
    h = harness();
    reply(h, "POST", "/api/syncs", 422, {
      status: 422,
      message: 'unknown target field "Emial" on Contact',
    });

    const error = await failure(
      h.client.createSync({
        name: "Contacts",
        mode: "create",
        fields: [{ target: "Emial", source: { model_id: "m1", field: "email" } }],
        schedule: { frequency: "manual" },
        target: { connection_id: "c2", object: "Contact" },
      }),
    );

    expect(error).toBeInstanceOf(PolytomicApiError);
    expect(error).toBeInstanceOf(PolytomicError);
    expect(error.message).toBe(
      'POST /api/syncs failed: 422 unknown target field "Emial" on Contact',
    );
    expect(error).toMatchObject({
      name: "PolytomicApiError",
      status: 422,
      method: "POST",
      path: "/api/syncs",
      apiMessage: 'unknown target field "Emial" on Contact',
      metadata: {},
    });
  });

  it("exposes metadata.used_by of a 422 connection in use", async () => {
    h = harness();
    const usedBy = [
      { type: "sync", name: "Users Sync", id: "s1" },
      { type: "model", name: "Users", id: "m1" },
      "junk",
    ];
    reply(h, "DELETE", "/api/connections/c1", 422, {
      status: 422,
      message: "connection in use",
      metadata: { used_by: usedBy },
    });

    const error = await failure(h.client.deleteConnection("c1"));

    expect(error).toBeInstanceOf(PolytomicApiError);
    const apiError = error as PolytomicApiError;
    expect(apiError.metadata.used_by).toEqual(usedBy);
    expect(apiError.usedBy).toEqual([
      { type: "sync", name: "Users Sync", id: "s1" },
      { type: "model", name: "Users", id: "m1" },
    ]);
    expect(error.message).toBe(
      'DELETE /api/connections/c1 failed: 422 connection in use (used by sync "Users Sync", model "Users")',
    );
  });

  it("makes a 404 on delete recognisable as already gone", async () => {
    h = harness();
    reply(h, "DELETE", "/api/models/m1", 404, { status: 404, message: "model not found" });

    const error = await failure(h.client.deleteModel("m1"));

    expect(isNotFound(error)).toBe(true);
    expect((error as PolytomicApiError).status).toBe(404);
  });

  it("does not take a non-JSON 404 (a wrong base URL) for a missing object", async () => {
    h = harness();
    reply(h, "DELETE", "/api/models/m1", 404, "404 page not found\n", {
      "content-type": "text/plain",
    });

    const error = await failure(h.client.deleteModel("m1"));

    expect(error).toBeInstanceOf(PolytomicResponseError);
    expect(isNotFound(error)).toBe(false);
    expect(error.message).toBe(
      'DELETE /api/models/m1 failed: 404 error response is not JSON (text/plain): "404 page not found"',
    );
  });

  it("uses the status text when an error body is empty", async () => {
    h = harness({ maxRetries: 0 });
    reply(h, "GET", "/api/models", 500, "");

    const error = await failure(h.client.listModels());

    expect(error).toBeInstanceOf(PolytomicApiError);
    expect(error.message).toBe("GET /api/models failed: 500 Internal Server Error");
  });

  it.each([
    [{ error: "invalid token" }, "invalid token"],
    [{ error: { message: "legacy form" } }, "legacy form"],
    [{ message: "line one\nline two\ttabbed" }, "line one line two tabbed"],
  ])("reads the message of %j", async (body, message) => {
    h = harness();
    reply(h, "GET", "/api/me", 401, body);

    const error = await failure(h.client.me());

    expect((error as PolytomicApiError).apiMessage).toBe(message);
    expectOneLine(error);
  });
});

describe("malformed responses", () => {
  it("reports an HTML 502 page in one line, after retrying", async () => {
    h = harness({ maxRetries: 1 });
    reply(h, "GET", "/api/connections", 502, HTML_502, { "content-type": "text/html" });
    reply(h, "GET", "/api/connections", 502, HTML_502, { "content-type": "text/html" });

    const error = await failure(h.client.listConnections());

    expect(error).toBeInstanceOf(PolytomicResponseError);
    expect(error.message).toBe(
      'GET /api/connections failed: 502 error response is not JSON (text/html): "502 Bad Gateway 502 Bad Gateway nginx"',
    );
    expect(error).toMatchObject({ status: 502, method: "GET", path: "/api/connections" });
    expect(h.sleeps).toHaveLength(1);
  });

  it("reports an empty 200 body where JSON is expected", async () => {
    h = harness();
    reply(h, "GET", "/api/connections/c1", 200, "");

    const error = await failure(h.client.getConnection("c1"));

    expect(error).toBeInstanceOf(PolytomicResponseError);
    expect(error.message).toBe("GET /api/connections/c1 failed: 200 empty body, expected JSON");
  });

  it("reports malformed JSON without a parser stack trace", async () => {
    h = harness();
    reply(h, "GET", "/api/connections/c1", 200, '{"data": {"id": "c1",\n "name": ');

    const error = await failure(h.client.getConnection("c1"));

    expect(error).toBeInstanceOf(PolytomicResponseError);
    expect(error.message).toBe(
      'GET /api/connections/c1 failed: 200 response is not JSON (application/json): "{\\"data\\": {\\"id\\": \\"c1\\", \\"name\\":"',
    );
    expect(error.message).not.toMatch(/JSON\.parse|Unexpected|SyntaxError/);
    expectOneLine(error);
  });

  it("shortens a long body excerpt", async () => {
    h = harness();
    reply(h, "GET", "/api/models", 200, `<${"x".repeat(5000)}`, { "content-type": "text/plain" });

    const error = await failure(h.client.listModels());

    expect((error as PolytomicResponseError).excerpt?.length).toBeLessThanOrEqual(160);
    expectOneLine(error);
  });

  it.each([
    ["GET", "/api/connections/c1", { id: "c1", name: "x" }, 'response has no "data" member'],
    ["GET", "/api/connections/c1", { data: null }, '"data" is not an object'],
    ["GET", "/api/connections/c1", { data: [] }, '"data" is not an object'],
    ["GET", "/api/connections/c1", { data: { name: "x" } }, '"data" has no "id" string'],
    ["GET", "/api/connections/c1", { data: { id: "", name: "x" } }, '"data" has no "id" string'],
    ["GET", "/api/connections/c1", { data: { id: "c1" } }, '"data" has no "name" string'],
    ["GET", "/api/connections/c1", [], "response is not a JSON object"],
    ["GET", "/api/me", { data: { id: "u1" } }, '"data" has no "organization_id" string'],
    ["GET", "/api/connections", { data: {} }, '"data" is not an array'],
    [
      "GET",
      "/api/models",
      { data: [{ id: "m1", name: "a" }, { id: 7 }] },
      'data[1] has no "id" string',
    ],
    ["GET", "/api/syncs?limit=50", { data: [], pagination: "x" }, '"pagination" is not an object'],
    [
      "GET",
      "/api/syncs?limit=50",
      { data: [], pagination: { next_page_token: 5 } },
      '"pagination.next_page_token" is not a string',
    ],
    [
      "GET",
      "/api/connection_types/snowflake",
      ["not", "a", "schema"],
      "response is not a JSON object",
    ],
  ])("%s %s answering %j fails with: %s", async (method, path, body, reason) => {
    h = harness();
    reply(h, method, path, 200, body);
    const calls: Record<string, () => Promise<unknown>> = {
      "/api/connections/c1": () => h.client.getConnection("c1"),
      "/api/me": () => h.client.me(),
      "/api/connections": () => h.client.listConnections(),
      "/api/models": () => h.client.listModels(),
      "/api/syncs?limit=50": () => h.client.listSyncs(),
      "/api/connection_types/snowflake": () => h.client.getConnectionTypeSchema("snowflake"),
    };

    const error = await failure(calls[path]());

    expect(error).toBeInstanceOf(PolytomicResponseError);
    expect(error.message).toBe(`${method} ${path.split("?")[0]} failed: 200 ${reason}`);
    expect(h.sleeps).toEqual([]);
  });
});

describe("network errors and timeouts", () => {
  it("turns a stalled response into a PolytomicNetworkError", async () => {
    h = harness({ timeoutMs: 50, maxRetries: 0 });
    h.pool
      .intercept({ method: "GET", path: "/api/models/m1" })
      .reply(200, { data: { id: "m1", name: "Users" } })
      .delay(2000);

    const started = Date.now();
    const error = await failure(h.client.getModel("m1"));

    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(PolytomicNetworkError);
    expect(error).toMatchObject({ code: "ETIMEDOUT", method: "GET", path: "/api/models/m1" });
    expect(error.message).toBe(
      "GET /api/models/m1 failed: no complete response within 50 ms (ETIMEDOUT)",
    );
  });

  it("retries after a timeout", async () => {
    h = harness({ timeoutMs: 50 });
    h.pool.intercept({ method: "GET", path: "/api/me" }).reply(200, "{}").delay(2000);
    reply(h, "GET", "/api/me", 200, { data: { organization_id: "o1" } });

    await expect(h.client.me()).resolves.toEqual({ organization_id: "o1" });
    expect(h.retries.map((info) => info.code)).toEqual(["ETIMEDOUT"]);
  });

  it("describes a refused connection in one line", async () => {
    h = harness({ maxRetries: 0 });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), {
      code: "ECONNREFUSED",
    });
    h.pool.intercept({ method: "GET", path: "/api/me" }).replyWithError(refused);

    const error = await failure(h.client.me());

    expect(error.message).toBe(
      "GET /api/me failed: network error: connect ECONNREFUSED 127.0.0.1:443 (ECONNREFUSED)",
    );
  });

  it("finds the code of an AggregateError from a multi-address connect", async () => {
    h = harness({ maxRetries: 0 });
    const inner = Object.assign(new Error("connect ECONNREFUSED ::1:443"), {
      code: "ECONNREFUSED",
    });
    h.pool
      .intercept({ method: "GET", path: "/api/me" })
      .replyWithError(new AggregateError([inner], "all addresses failed"));

    const error = await failure(h.client.me());

    expect(error).toMatchObject({ code: "ECONNREFUSED" });
  });
});

describe("secrets never reach an error", () => {
  const connectionBody = {
    name: "Warehouse",
    type: "snowflake",
    configuration: { account: "acme", username: "loader", password: SECRET },
  };

  /** Every string a caller, logger or crash reporter could see of `error`. */
  function everything(error: Error): string {
    return [
      error.message,
      String(error.stack),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(error),
      JSON.stringify(Object.getOwnPropertyDescriptors(error)),
    ].join("\n");
  }

  const failures: [string, (h: Harness) => void][] = [
    [
      "a 422 echoing the key",
      (h) =>
        reply(h, "POST", "/api/connections", 422, {
          message: `key ${API_KEY} may not create connections`,
          metadata: { used_by: [{ type: "sync", name: API_KEY }], hint: [API_KEY] },
        }),
    ],
    [
      "an HTML page echoing the key",
      (h) =>
        reply(h, "POST", "/api/connections", 400, `<p>Authorization: Bearer ${API_KEY}</p>`, {
          "content-type": "text/html",
        }),
    ],
    [
      "malformed JSON echoing the key",
      (h) => reply(h, "POST", "/api/connections", 200, `{"token":"${API_KEY}"`),
    ],
    ["a 200 without data", (h) => reply(h, "POST", "/api/connections", 200, { ok: true })],
    [
      "a network error mentioning the key and proxy credentials",
      (h) =>
        h.pool
          .intercept({ method: "POST", path: "/api/connections" })
          .replyWithError(new Error(`proxy http://user:pw@proxy:3128 refused ${API_KEY}`)),
    ],
    [
      "a timeout",
      (h) =>
        h.pool.intercept({ method: "POST", path: "/api/connections" }).reply(200, "{}").delay(2000),
    ],
  ];

  it.each(failures)("after %s", async (_name, arrange) => {
    h = harness({ maxRetries: 0, timeoutMs: 50 });
    arrange(h);

    const error = await failure(h.client.createConnection(connectionBody));

    const seen = everything(error);
    expect(error).toBeInstanceOf(PolytomicError);
    expect(seen).not.toContain(API_KEY);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain("pw@");
    expectOneLine(error);
  });

  it("while retrying", async () => {
    h = harness({ maxRetries: 2 });
    reply(h, "POST", "/api/connections", 503, { message: `busy ${API_KEY}` });
    reply(h, "POST", "/api/connections", 429, "", { "retry-after": "1" });
    reply(h, "POST", "/api/connections", 500, HTML_502, { "content-type": "text/html" });

    const error = await failure(h.client.createConnection(connectionBody));

    const seen = everything(error) + JSON.stringify(h.retries);
    expect(seen).not.toContain(API_KEY);
    expect(seen).not.toContain(SECRET);
  });
});

describe("a caller's redact option masks server text before it is shortened", () => {
  /** A caller's masking as plain as it gets: exact matches only, so only the raw text matches. */
  const masking = (secret: string) => (text: string) => text.split(secret).join("[redacted]");

  it("before a 300-character cut (which printed `password=Tr0ub4dor&3-corr…`)", async () => {
    const secret = "Tr0ub4dor&3-correct-horse-battery-staple";
    const padding = `${"x".repeat(273)} `;
    h = harness({ redact: masking(secret) });
    reply(h, "POST", "/api/connections", 422, { message: `${padding}password=${secret}` });

    const error = await failure(h.client.createConnection(connectionRequest(secret)));

    expect((error as PolytomicApiError).apiMessage).toBe(`${padding}password=[redacted]`);
  });

  it("before whitespace is folded (which printed `correct horse battery`)", async () => {
    const secret = "correct  horse\nbattery";
    h = harness({ redact: masking(secret) });
    reply(h, "POST", "/api/connections", 422, { message: `bad password ${secret} for loader` });

    const error = await failure(h.client.createConnection(connectionRequest(secret)));

    expect(error.message).toBe(
      "POST /api/connections failed: 422 bad password [redacted] for loader",
    );
  });

  it("before HTML tags are stripped (which printed `hunter xyz-secret`)", async () => {
    const secret = "hunter<3>xyz-secret";
    h = harness({ redact: masking(secret) });
    reply(h, "POST", "/api/connections", 400, `<p>bad password ${secret}</p>`, {
      "content-type": "text/html",
    });

    const error = await failure(h.client.createConnection(connectionRequest(secret)));

    expect(error.message).toBe(
      'POST /api/connections failed: 400 error response is not JSON (text/html): "bad password [redacted]"',
    );
  });

  it("and the client still masks its API key after the caller's masking", async () => {
    h = harness({ redact: (text) => text.replace("nothing", "something") });
    reply(h, "GET", "/api/me", 401, { message: `nothing matches key ${API_KEY}` });

    const error = await failure(h.client.me());

    expect(error.message).toMatch(
      /^GET \/api\/me failed: 401 something matches key \[redacted\]: /,
    );
  });

  it("masks the API key JSON-escaped and URL-encoded too", async () => {
    h = harness({ apiKey: 'pk_test_"quoted"/key+1' });
    reply(h, "GET", "/api/me", 401, {
      message: 'got {"key":"pk_test_\\"quoted\\"/key+1"} from ?key=pk_test_%22quoted%22%2Fkey%2B1',
    });

    const error = await failure(h.client.me());

    expect(error.message).toMatch(
      /^GET \/api\/me failed: 401 got \{"key":"\[redacted\]"\} from \?key=\[redacted\]: /,
    );
  });

  function connectionRequest(password: string) {
    return { name: "Warehouse", type: "snowflake", configuration: { password } };
  }
});
