import { PolytomicClient } from "../../lib/api/client";
import { PolytomicResponseError } from "../../lib/api/errors";
import type { Harness } from "./helpers";
import { API_KEY, BASE_URL, finish, harness, header, reply } from "./helpers";

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,255}$/;

const connection = {
  id: "c1",
  name: "Warehouse",
  type: { id: "snowflake" },
  extra: { kept: true },
};

let h: Harness;

afterEach(async () => {
  await finish(h);
});

describe("request headers", () => {
  it("sends auth, version, accept and user agent on a GET, without body headers or idempotency key", async () => {
    h = harness();
    reply(h, "GET", "/api/connections", 200, { data: [connection] });

    await h.client.listConnections();

    expect(header(h, 0, "authorization")).toBe(`Bearer ${API_KEY}`);
    expect(header(h, 0, "x-polytomic-version")).toBe("2025-09-18");
    expect(header(h, 0, "accept")).toBe("application/json");
    expect(header(h, 0, "user-agent")).toMatch(/^cdktf-polytomic\/\d+\.\d+\.\d+/);
    expect(header(h, 0, "content-type")).toBeUndefined();
    expect(header(h, 0, "idempotency-key")).toBeUndefined();
  });

  it("sends a JSON body with a content type and an idempotency key on a POST", async () => {
    h = harness({ apiVersion: "2024-02-08" });
    const body = { name: "Warehouse", type: "snowflake", configuration: { account: "a" } };
    reply(h, "POST", "/api/connections", 200, { data: connection });

    await h.client.createConnection(body);

    expect(header(h, 0, "content-type")).toBe("application/json");
    expect(header(h, 0, "x-polytomic-version")).toBe("2024-02-08");
    expect(header(h, 0, "idempotency-key")).toMatch(IDEMPOTENCY_KEY);
    expect(JSON.parse(String(h.requests[0].body))).toEqual(body);
  });

  it("uses a fresh idempotency key for each logical POST", async () => {
    h = harness();
    reply(h, "POST", "/api/models", 200, { data: { id: "m1", name: "Users" } });
    reply(h, "POST", "/api/models", 200, { data: { id: "m2", name: "Users" } });
    const body = { name: "Users", connection_id: "c1", configuration: { query: "select 1" } };

    await h.client.createModel(body);
    await h.client.createModel(body);

    expect(header(h, 0, "idempotency-key")).not.toBe(header(h, 1, "idempotency-key"));
  });

  it("sends no idempotency key on PUT and DELETE", async () => {
    h = harness();
    reply(h, "PUT", "/api/syncs/s1", 200, { data: { id: "s1", name: "Contacts" } });
    reply(h, "DELETE", "/api/syncs/s1", 204);

    await h.client.updateSync("s1", {
      name: "Contacts",
      mode: "updateOrCreate",
      fields: [],
      schedule: { frequency: "manual" },
      target: { connection_id: "c2", object: "Contact" },
    });
    await h.client.deleteSync("s1");

    expect(header(h, 0, "idempotency-key")).toBeUndefined();
    expect(header(h, 0, "content-type")).toBe("application/json");
    expect(header(h, 1, "idempotency-key")).toBeUndefined();
  });

  it("tolerates a trailing slash and a path prefix in the base URL", async () => {
    h = harness({ baseUrl: `${BASE_URL}/polytomic///` });
    reply(h, "GET", "/polytomic/api/models/m%2F1", 200, { data: { id: "m/1", name: "Users" } });

    await expect(h.client.getModel("m/1")).resolves.toMatchObject({ id: "m/1" });
  });
});

describe("envelopes", () => {
  it("unwraps data and keeps fields the types do not model", async () => {
    h = harness();
    reply(h, "GET", "/api/connections/c1", 200, { data: connection });

    await expect(h.client.getConnection("c1")).resolves.toEqual(connection);
  });

  it("unwraps the identity from /api/me", async () => {
    h = harness();
    const me = { organization_id: "o1", organization_name: "Acme", is_user: false };
    reply(h, "GET", "/api/me", 200, { data: me });

    await expect(h.client.me()).resolves.toEqual(me);
  });

  it("returns a model even when the response carries a sibling job", async () => {
    h = harness();
    const model = { id: "m1", name: "Users", fields: [{ name: "email", user_added: false }] };
    reply(h, "PUT", "/api/models/m1", 200, { data: model, job: { job_id: "j1" } });

    await expect(
      h.client.updateModel("m1", { name: "Users", connection_id: "c1", configuration: {} }),
    ).resolves.toEqual(model);
  });

  it("returns the bare JSON Schema of a connection type", async () => {
    h = harness();
    const schema = { type: "object", properties: { account: { type: "string" } } };
    reply(h, "GET", "/api/connection_types/snowflake", 200, schema);

    await expect(h.client.getConnectionTypeSchema("snowflake")).resolves.toEqual(schema);
  });

  it.each([
    [200, ""],
    [204, ""],
    [200, "{}"],
  ])("accepts a DELETE answered %i with body %j", async (status, body) => {
    h = harness();
    reply(h, "DELETE", "/api/models/m1", status, body);

    await expect(h.client.deleteModel("m1")).resolves.toBeUndefined();
  });

  it("sends force=true only when asked to force a connection delete", async () => {
    h = harness();
    reply(h, "DELETE", "/api/connections/c1?force=true", 200);
    reply(h, "DELETE", "/api/connections/c1", 200);

    await h.client.deleteConnection("c1", { force: true });
    await h.client.deleteConnection("c1");

    expect(h.requests.map((request) => request.path)).toEqual([
      "/api/connections/c1?force=true",
      "/api/connections/c1",
    ]);
  });

  it("rejects an empty id instead of addressing the collection", async () => {
    h = harness();
    await expect(h.client.deleteConnection("")).rejects.toThrow("empty id");
  });
});

describe("sync listing", () => {
  const item = (id: string) => ({ id, name: `sync ${id}`, target_object: "Contact" });

  it("follows next_page_token across three pages with limit=50", async () => {
    h = harness();
    const isList = (path: string) => path.startsWith("/api/syncs?");
    reply(h, "GET", isList, 200, {
      data: [item("1"), item("2")],
      pagination: { next_page_token: "p2" },
    });
    reply(h, "GET", isList, 200, { data: [item("3")], pagination: { next_page_token: "p3" } });
    reply(h, "GET", isList, 200, { data: [item("4")], pagination: { next_page_token: "" } });

    const syncs = await h.client.listSyncs({ active: true, target_connection_id: "c2" });

    expect(syncs.map((sync) => sync.id)).toEqual(["1", "2", "3", "4"]);
    const queries = h.requests.map((request) =>
      Object.fromEntries(new URL(request.path, BASE_URL).searchParams),
    );
    const filters = { active: "true", target_connection_id: "c2", limit: "50" };
    expect(queries).toEqual([
      filters,
      { ...filters, page_token: "p2" },
      { ...filters, page_token: "p3" },
    ]);
  });

  it("treats a missing pagination object as the last page", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs?limit=50", 200, { data: [item("1")] });

    await expect(h.client.listSyncs()).resolves.toEqual([item("1")]);
  });

  it("exposes pagination on a single page", async () => {
    h = harness();
    reply(h, "GET", "/api/syncs?mode=create&limit=50&page_token=abc", 200, {
      data: [],
      pagination: { next_page_token: "def" },
    });

    const page = await h.client.listSyncsPage({ mode: "create" }, "abc");

    expect(page).toEqual({ items: [], pagination: { next_page_token: "def" } });
  });

  it("stops with an error when the server repeats a page token", async () => {
    h = harness();
    const isList = (path: string) => path.startsWith("/api/syncs?");
    reply(h, "GET", isList, 200, { data: [item("1")], pagination: { next_page_token: "same" } });
    reply(h, "GET", isList, 200, { data: [item("2")], pagination: { next_page_token: "same" } });

    const error = await h.client.listSyncs().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PolytomicResponseError);
    expect((error as Error).message).toBe(
      "GET /api/syncs failed: 200 pagination returned a page token it had already returned",
    );
  });
});

describe("options", () => {
  it.each([
    [{ baseUrl: "ftp://example.com" }, /is not an http\(s\) URL/],
    [{ baseUrl: "app.polytomic.com" }, /is not an absolute URL/],
    [{ baseUrl: "https://x.test/?a=1" }, /query string/],
    [{ apiKey: "  " }, /apiKey is empty/],
    [{ apiKey: "ab\ncd" }, /whitespace or control/],
    [{ timeoutMs: 0 }, /timeoutMs must be a number >= 1/],
    [{ maxRetries: 1.5 }, /maxRetries must be an integer >= 0/],
    [{ backoffBaseMs: Number.NaN }, /backoffBaseMs/],
  ])("rejects %j", (override, message) => {
    h = harness();
    expect(
      () =>
        new PolytomicClient({
          baseUrl: BASE_URL,
          apiKey: API_KEY,
          dispatcher: h.agent,
          ...override,
        }),
    ).toThrow(message);
  });

  it("trims the API key", async () => {
    h = harness({ apiKey: ` ${API_KEY}\n` });
    reply(h, "GET", "/api/me", 200, { data: { organization_id: "o1" } });

    await h.client.me();

    expect(header(h, 0, "authorization")).toBe(`Bearer ${API_KEY}`);
  });

  it("creates and closes its own proxy-aware dispatcher when none is injected", async () => {
    h = harness();
    const client = new PolytomicClient({ baseUrl: BASE_URL, apiKey: API_KEY });
    await expect(client.close()).resolves.toBeUndefined();
  });
});
