/**
 * Protocol-level behaviour shared by every route: authentication and organization isolation,
 * X-Polytomic-Version, envelopes and error bodies, identity and connection-type routes.
 */
import { KEY, OTHER_KEY, SNOWFLAKE_PASSWORD, TestEmulator } from "./helpers";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});

afterAll(() => emu.close());

function expectApiError(
  reply: { status: number; json: unknown; headers: Record<string, unknown> },
  status: number,
) {
  expect(reply.status).toBe(status);
  expect(String(reply.headers["content-type"])).toMatch(/^application\/json/);
  expect(reply.json).toEqual(expect.objectContaining({ status, message: expect.any(String) }));
}

describe("authentication", () => {
  const routes: Array<[string, string]> = [
    ["GET", "/api/me"],
    ["GET", "/api/connection_types"],
    ["GET", "/api/connection_types/snowflake"],
    ["GET", "/api/connections"],
    ["POST", "/api/connections"],
    ["GET", "/api/connections/0b7e5d4e-0000-4000-8000-000000000000"],
    ["PUT", "/api/connections/0b7e5d4e-0000-4000-8000-000000000000"],
    ["DELETE", "/api/connections/0b7e5d4e-0000-4000-8000-000000000000"],
    ["GET", "/api/connections/0b7e5d4e-0000-4000-8000-000000000000/modelsync/targetobjects"],
    ["GET", "/api/models"],
    ["POST", "/api/models"],
    ["GET", "/api/syncs"],
    ["POST", "/api/syncs"],
    ["DELETE", "/api/syncs/0b7e5d4e-0000-4000-8000-000000000000"],
    ["GET", "/api/no-such-route"],
  ];

  test.each(routes)(
    "%s %s without a key answers 401 with the ApiError body",
    async (method, path) => {
      const reply = await emu.call(method, path, {
        key: null,
        body: method === "GET" ? undefined : {},
      });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ status: 401, message: "unauthorized" });
    },
  );

  test("an unknown key, a malformed header and an empty bearer are all 401", async () => {
    for (const authorization of ["Bearer nope-nope", "Token " + KEY, "Bearer ", KEY]) {
      const reply = await emu.call("GET", "/api/me", { key: null, headers: { authorization } });
      expect(reply.json).toEqual({ status: 401, message: "unauthorized" });
    }
  });

  test("Basic auth works with the key's own organization id only", async () => {
    const me = (await emu.ok("GET", "/api/me")).json.data;
    const other = (await emu.ok("GET", "/api/me", { key: OTHER_KEY })).json.data;
    const basic = (orgId: string) => ({
      key: null,
      headers: { authorization: `Basic ${Buffer.from(`${orgId}:${KEY}`).toString("base64")}` },
    });
    expect((await emu.call("GET", "/api/me", basic(me.organization_id))).json.data).toEqual(me);
    expect((await emu.call("GET", "/api/me", basic(other.organization_id))).status).toBe(401);
  });

  test("each key is its own organization and never sees another's objects", async () => {
    const mine = await emu.snowflake("Mine");
    const theirs = await emu.snowflake("Theirs", OTHER_KEY);
    const me = (await emu.ok("GET", "/api/me")).json.data;
    const other = (await emu.ok("GET", "/api/me", { key: OTHER_KEY })).json.data;
    expect(me.organization_id).not.toBe(other.organization_id);
    const list = (await emu.ok("GET", "/api/connections")).json.data;
    expect(list.map((c: { id: string }) => c.id)).toContain(mine);
    expect(list.map((c: { id: string }) => c.id)).not.toContain(theirs);
    expectApiError(await emu.call("GET", `/api/connections/${theirs}`), 404);
    expectApiError(await emu.call("DELETE", `/api/connections/${theirs}`), 404);
    expect((await emu.call("GET", `/api/connections/${theirs}`, { key: OTHER_KEY })).status).toBe(
      200,
    );
  });

  test("organization_id of another organization is refused with 403", async () => {
    const other = (await emu.ok("GET", "/api/me", { key: OTHER_KEY })).json.data;
    const reply = await emu.call("POST", "/api/connections", {
      body: {
        name: "x",
        type: "snowflake",
        organization_id: other.organization_id,
        configuration: { account: "a", username: "u", dbname: "d", password: SNOWFLAKE_PASSWORD },
      },
    });
    expectApiError(reply, 403);
  });
});

describe("X-Polytomic-Version", () => {
  test("defaults to 2025-09-18 and is echoed on every response, errors included", async () => {
    expect((await emu.call("GET", "/api/me")).headers["x-polytomic-version"]).toBe("2025-09-18");
    const older = await emu.call("GET", "/api/me", {
      headers: { "x-polytomic-version": "2024-02-08" },
    });
    expect(older.headers["x-polytomic-version"]).toBe("2024-02-08");
    const unauthorized = await emu.call("GET", "/api/me", {
      key: null,
      headers: { "x-polytomic-version": "2024-02-08" },
    });
    expect(unauthorized.headers["x-polytomic-version"]).toBe("2024-02-08");
    expect((await emu.call("GET", "/api/nothing")).headers["x-polytomic-version"]).toBe(
      "2025-09-18",
    );
  });

  test("an undocumented version is a 400 naming the supported ones", async () => {
    const reply = await emu.call("GET", "/api/me", {
      headers: { "x-polytomic-version": "2030-01-01" },
    });
    expectApiError(reply, 400);
    expect(reply.json.message).toContain("2025-09-18");
  });

  test("older documented versions, whose shapes the emulator lacks, are refused too", async () => {
    const reply = await emu.call("GET", "/api/me", {
      headers: { "x-polytomic-version": "2022-12-12" },
    });
    expectApiError(reply, 400);
    expect(reply.json.message).toContain("not served by the emulator");
  });
});

describe("envelopes and error bodies", () => {
  test("GET /api/me identifies the key's user and organization in a data envelope", async () => {
    const reply = await emu.ok("GET", "/api/me");
    expect(reply.json).toEqual({
      data: expect.objectContaining({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        organization_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        organization_name: expect.any(String),
        is_user: true,
        is_organization: false,
        is_partner: false,
      }),
    });
  });

  test("connection types are listed in an envelope; one type is the bare JSON Schema", async () => {
    const list = (await emu.ok("GET", "/api/connection_types")).json;
    expect(list.data.map((type: { id: string }) => type.id).sort()).toEqual([
      "salesforce",
      "snowflake",
    ]);
    expect(list.data.find((type: { id: string }) => type.id === "salesforce").use_oauth).toBe(true);
    const schema = (await emu.ok("GET", "/api/connection_types/snowflake")).json;
    expect(schema.data).toBeUndefined();
    expect(schema.required).toEqual(["account", "username", "dbname"]);
    expect(schema.properties.password.sensitive).toBe(true);
    expect(schema.$id).toBe(
      "https://github.com/polytomic/app/services/polytomic/backend/snowflake/connection-conf",
    );
  });

  test("the Salesforce schema is the one Polytomic serves (§12 M3)", async () => {
    const schema = (await emu.ok("GET", "/api/connection_types/salesforce")).json;
    expect(schema.$id).toBe(
      "https://github.com/polytomic/app/services/polytomic/backend/salesforce/connection-conf",
    );
    expect(schema.required).toEqual(["client_id", "client_secret", "domain"]);
    expect(schema.properties.oauth_token_expiry).toBeUndefined();
    expect(schema.properties.domain.examples).toEqual(["http://instance.my.salesforce.com"]);
    expect(schema.properties.connect_mode.default).toBe("browser");
  });

  test("an unknown connection type is 404", async () => {
    expectApiError(await emu.call("GET", "/api/connection_types/postgresql"), 404);
  });

  test("unknown routes are 404 and known paths with another method 405, both in JSON", async () => {
    expectApiError(await emu.call("GET", "/api/widgets"), 404);
    expectApiError(await emu.call("GET", "/nowhere", { key: null }), 404);
    const wrong = await emu.call("PATCH", "/api/connections", { body: {} });
    expectApiError(wrong, 405);
    expect(wrong.headers.allow).toBe("GET, POST");
  });

  test("DELETE answers 200 with an empty body", async () => {
    const id = await emu.snowflake("To delete");
    const reply = await emu.call("DELETE", `/api/connections/${id}`);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("");
    expectApiError(await emu.call("GET", `/api/connections/${id}`), 404);
  });

  test("ids that are not uuids, or name object prototype keys, are just not found", async () => {
    for (const id of ["__proto__", "constructor", "toString", "%E0%A4%A"]) {
      expectApiError(await emu.call("GET", `/api/connections/${id}`), 404);
    }
  });
});
