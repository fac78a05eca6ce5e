/**
 * Connections (polytomic-api.md §3): configuration validation against the JSON Schemas, masking,
 * PUT replacement with secret preservation, validation (credentials), Salesforce modes, and the
 * "connection in use" guard.
 */
import { seedSync, TestEmulator } from "./helpers";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start({ snowflakePassword: "secret" });
});

afterAll(() => emu.close());

const SNOWFLAKE = { account: "uc193736182", username: "user", dbname: "database" };

function createSnowflake(
  configuration: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return emu.call("POST", "/api/connections", {
    body: { name: "Warehouse", type: "snowflake", configuration, ...extra },
  });
}

describe("create", () => {
  test("answers CreateConnectionResponseSchema: type as an object, secrets masked, defaults applied", async () => {
    const reply = await createSnowflake({ ...SNOWFLAKE, password: "secret", warehouse: "wh" });
    expect(reply.status).toBe(200);
    const data = reply.json.data;
    expect(data).toEqual({
      id: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      name: "Warehouse",
      organization_id: expect.any(String),
      type: {
        id: "snowflake",
        name: "Snowflake",
        logo_url: expect.stringMatching(/^https:\/\//),
        operations: expect.arrayContaining(["TARGET"]),
      },
      configuration: {
        ...SNOWFLAKE,
        warehouse: "wh",
        password: "********",
        key_pair_auth: false,
        use_bulk_sync_staging_schema: false,
      },
      status: "healthy",
      saved: true,
      policies: [],
    });
    expect(reply.text).not.toContain('"secret"');
  });

  test("GET and list carry audit fields and mask secrets too", async () => {
    const id = (await createSnowflake({ ...SNOWFLAKE, password: "secret" })).json.data.id;
    const one = (await emu.ok("GET", `/api/connections/${id}`)).json.data;
    expect(one.configuration.password).toBe("********");
    expect(one.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const me = (await emu.ok("GET", "/api/me")).json.data;
    expect(one.created_by).toEqual({ id: me.id, name: expect.any(String), type: "user" });
    expect(one.updated_by).toEqual(one.created_by);
    const list = await emu.ok("GET", "/api/connections");
    expect(list.text).not.toContain('"secret"');
    expect(list.json.data.find((c: { id: string }) => c.id === id)).toEqual(one);
  });

  test.each([
    [
      "a missing required key",
      { account: "a", username: "u", password: "p" },
      "configuration.dbname is required",
    ],
    [
      "a wrongly typed value",
      { ...SNOWFLAKE, password: "p", key_pair_auth: "yes" },
      "configuration.key_pair_auth must be boolean",
    ],
    [
      "an unknown key",
      { ...SNOWFLAKE, password: "p", passwd: "x" },
      "configuration.passwd is not a Snowflake setting",
    ],
  ])("%s in configuration is a 400 naming the key", async (_case, configuration, message) => {
    const reply = await createSnowflake(configuration);
    expect(reply.status).toBe(400);
    expect(reply.json.message).toContain(message);
  });

  test("an enum violation is a 400", async () => {
    const reply = await emu.call("POST", "/api/connections", {
      body: {
        name: "SF",
        type: "salesforce",
        configuration: { domain: "acme.my.salesforce.com", connect_mode: "password" },
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toContain(
      "configuration.connect_mode must be one of browser, clientcredentials, code, api",
    );
  });

  test.each([
    ["name", { type: "snowflake", configuration: SNOWFLAKE }, "name is required"],
    ["type", { name: "x", configuration: SNOWFLAKE }, "type is required"],
    ["configuration", { name: "x", type: "snowflake" }, "configuration is required"],
  ])("a missing %s is a 400", async (_field, body, message) => {
    const reply = await emu.call("POST", "/api/connections", { body });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe(message);
  });

  test("unknown types, top-level keys and bad settings are 400", async () => {
    const base = { name: "x", configuration: { ...SNOWFLAKE, password: "secret" } };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, type: "mysql" }, "unknown connection type"],
      [{ ...base, type: "snowflake", colour: "red" }, "unknown field colour"],
      [{ ...base, type: "snowflake", validate: "no" }, "validate must be a boolean"],
      [
        { ...base, type: "snowflake", healthcheck_interval: "often" },
        "healthcheck_interval must be a duration",
      ],
      [
        { ...base, type: "snowflake", redirect_url: "/relative" },
        "redirect_url must be an absolute",
      ],
      [{ ...base, type: "snowflake", name: "" }, "name must not be empty"],
    ];
    for (const [body, message] of cases) {
      const reply = await emu.call("POST", "/api/connections", { body });
      expect(reply.status).toBe(400);
      expect(reply.json.message).toContain(message);
    }
  });

  test("policies name policies the emulator does not have: 422", async () => {
    const reply = await createSnowflake({ ...SNOWFLAKE, password: "secret" }, { policies: ["p1"] });
    expect(reply.status).toBe(422);
  });

  test("readOnly keys sent by a client are ignored", async () => {
    const reply = await emu.call("POST", "/api/connections", {
      body: {
        name: "SF",
        type: "salesforce",
        configuration: {
          domain: "acme.my.salesforce.com",
          connect_mode: "api",
          client_id: "i",
          client_secret: "s",
          oauth_refresh_token: "r",
          username: "forged@example.com",
          instance_url_override: "https://evil.example.com",
        },
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.data.configuration.username).toBe("emulator.user@acme.my.salesforce.com");
    expect(reply.json.data.configuration.instance_url_override).toBeUndefined();
  });
});

describe("validation of credentials (validate defaults to true)", () => {
  test("a wrong Snowflake password is refused with 422 and nothing is stored", async () => {
    const before = (await emu.ok("GET", "/api/connections")).json.data.length;
    const reply = await createSnowflake({ ...SNOWFLAKE, password: "wrong" });
    expect(reply.status).toBe(422);
    expect(reply.json.message).toContain("Incorrect username or password");
    expect((await emu.ok("GET", "/api/connections")).json.data.length).toBe(before);
  });

  test("password auth needs a password; key-pair auth needs a private key", async () => {
    expect((await createSnowflake(SNOWFLAKE)).json.message).toContain(
      "configuration.password is required",
    );
    const keyPair = await createSnowflake({ ...SNOWFLAKE, key_pair_auth: true });
    expect(keyPair.status).toBe(422);
    expect(keyPair.json.message).toContain("configuration.private_key is required");
    const ok = await createSnowflake({
      ...SNOWFLAKE,
      key_pair_auth: true,
      private_key: "-----BEGIN",
    });
    expect(ok.status).toBe(200);
    expect(ok.json.data.configuration.private_key).toBe("********");
  });

  test("validate: false saves the connection, unhealthy with the reason", async () => {
    const reply = await createSnowflake({ ...SNOWFLAKE, password: "wrong" }, { validate: false });
    expect(reply.status).toBe(200);
    expect(reply.json.data.status).toBe("unhealthy");
    expect(reply.json.data.status_error).toContain("Incorrect username or password");
  });
});

describe("the embedded warehouse's credentials", () => {
  test('without --snowflake-password the warehouse\'s password is "emulator"', async () => {
    const plain = await TestEmulator.start({ snowflakePassword: undefined });
    try {
      const body = (password: string) => ({
        body: { name: "W", type: "snowflake", configuration: { ...SNOWFLAKE, password } },
      });
      expect((await plain.call("POST", "/api/connections", body("anything"))).status).toBe(422);
      expect((await plain.call("POST", "/api/connections", body("emulator"))).status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  test("an update is checked again: a wrong new password is refused and the old one kept", async () => {
    const created = (await createSnowflake({ ...SNOWFLAKE, password: "secret" })).json.data;
    const refused = await emu.call("PUT", `/api/connections/${created.id}`, {
      body: { name: "Warehouse", configuration: { ...SNOWFLAKE, password: "changed" } },
    });
    expect(refused.status).toBe(422);
    expect((await emu.ok("GET", `/api/connections/${created.id}`)).json.data.status).toBe(
      "healthy",
    );
  });
});

describe("POST /api/connections/test", () => {
  const test_ = (body: Record<string, unknown>) =>
    emu.call("POST", "/api/connections/test", { body });

  test("working credentials: an empty 200, and nothing is saved", async () => {
    const before = (await emu.ok("GET", "/api/connections")).json.data.length;
    const reply = await test_({
      type: "snowflake",
      configuration: { ...SNOWFLAKE, password: "secret" },
    });
    expect([reply.status, reply.text]).toEqual([200, ""]);
    expect((await emu.ok("GET", "/api/connections")).json.data.length).toBe(before);
  });

  test("failing credentials or configuration: 400 saying why", async () => {
    const wrong = await test_({
      type: "snowflake",
      configuration: { ...SNOWFLAKE, password: "no" },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toContain(
      "connection test failed: 390100 (08004): Incorrect username or password",
    );
    const invalid = await test_({ type: "snowflake", configuration: { account: "a" } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.message).toContain("configuration.username is required");
    expect((await test_({ type: "mysql", configuration: {} })).status).toBe(400);
    expect((await test_({ configuration: {} })).status).toBe(400);
    const browser = await test_({
      type: "salesforce",
      configuration: { domain: "acme.my.salesforce.com" },
    });
    expect(browser.status).toBe(400);
    expect(browser.json.message).toContain("has not been authorised");
    const api = await test_({
      type: "salesforce",
      configuration: {
        domain: "acme.my.salesforce.com",
        connect_mode: "api",
        client_id: "i",
        client_secret: "s",
        oauth_refresh_token: "r",
      },
    });
    expect(api.status).toBe(200);
  });

  test("connection_id merges the configuration over the saved one, secrets included", async () => {
    const saved = (await createSnowflake({ ...SNOWFLAKE, password: "secret" })).json.data;
    const merged = await test_({
      type: "snowflake",
      connection_id: saved.id,
      configuration: { warehouse: "other" },
    });
    expect([merged.status, merged.text]).toEqual([200, ""]);
    const overridden = await test_({
      type: "snowflake",
      connection_id: saved.id,
      configuration: { password: "wrong" },
    });
    expect(overridden.status).toBe(400);
    const missing = await test_({
      type: "snowflake",
      connection_id: "00000000-0000-4000-8000-000000000000",
      configuration: {},
    });
    expect(missing.status).toBe(404);
    const otherType = await test_({
      type: "salesforce",
      connection_id: saved.id,
      configuration: {},
    });
    expect(otherType.status).toBe(400);
  });
});

describe("Salesforce connect modes", () => {
  const sf = (configuration: Record<string, unknown>) =>
    emu.call("POST", "/api/connections", {
      body: {
        name: "SF",
        type: "salesforce",
        configuration: { domain: "acme.my.salesforce.com", ...configuration },
      },
    });

  test("connect_mode defaults to browser, which awaits OAuth", async () => {
    const reply = await sf({});
    expect(reply.status).toBe(200);
    expect(reply.json.data.configuration.connect_mode).toBe("browser");
    expect(reply.json.data.status).not.toBe("healthy");
  });

  test("api needs client_id, client_secret and oauth_refresh_token", async () => {
    const reply = await sf({ connect_mode: "api", client_id: "i", client_secret: "s" });
    expect(reply.status).toBe(422);
    expect(reply.json.message).toContain("configuration.oauth_refresh_token");
    const ok = await sf({
      connect_mode: "api",
      client_id: "i",
      client_secret: "s",
      oauth_refresh_token: "r",
    });
    expect(ok.json.data.status).toBe("healthy");
    expect(ok.json.data.auth_url).toBeUndefined();
  });

  test("clientcredentials needs client_id and client_secret", async () => {
    expect((await sf({ connect_mode: "clientcredentials", client_id: "i" })).status).toBe(422);
    expect(
      (await sf({ connect_mode: "clientcredentials", client_id: "i", client_secret: "s" })).status,
    ).toBe(200);
  });

  test("browser and code refuse client credentials (they imply api)", async () => {
    for (const connect_mode of ["browser", "code"]) {
      const reply = await sf({ connect_mode, client_id: "i", client_secret: "s" });
      expect(reply.status).toBe(422);
      expect(reply.json.message).toContain('requires connect_mode "api"');
    }
  });

  test("a domain that is not a host name is refused", async () => {
    expect((await sf({ domain: "not a domain" })).status).toBe(422);
    expect((await sf({ domain: "https://example.my.salesforce.com" })).status).toBe(200);
  });
});

describe("PUT replaces the connection", () => {
  test("omitted or masked secrets keep their value; other omitted keys are cleared", async () => {
    const created = await createSnowflake({
      ...SNOWFLAKE,
      password: "secret",
      warehouse: "wh",
      params: "a=b",
    });
    const id = created.json.data.id;
    const masked = await emu.call("PUT", `/api/connections/${id}`, {
      body: { name: "Renamed", configuration: { ...SNOWFLAKE, password: "********" } },
    });
    expect(masked.status).toBe(200);
    expect(masked.json.data.name).toBe("Renamed");
    expect(masked.json.data.configuration).toEqual({
      ...SNOWFLAKE,
      password: "********",
      key_pair_auth: false,
      use_bulk_sync_staging_schema: false,
    });
    // validate defaults to true: the kept password must still be the right one.
    expect(masked.json.data.status).toBe("healthy");
    const omitted = await emu.call("PUT", `/api/connections/${id}`, {
      body: { name: "Renamed", configuration: SNOWFLAKE },
    });
    expect(omitted.status).toBe(200);
    expect(omitted.json.data.configuration.password).toBe("********");
  });

  test("a new secret value replaces the stored one (and is validated)", async () => {
    const id = (await createSnowflake({ ...SNOWFLAKE, password: "secret" })).json.data.id;
    const reply = await emu.call("PUT", `/api/connections/${id}`, {
      body: { name: "Warehouse", configuration: { ...SNOWFLAKE, password: "other" } },
    });
    expect(reply.status).toBe(422);
    const stored = await emu.call("PUT", `/api/connections/${id}`, {
      body: {
        name: "Warehouse",
        configuration: { ...SNOWFLAKE, password: "other" },
        validate: false,
      },
    });
    expect(stored.json.data.status).toBe("unhealthy");
  });

  test("name and configuration are required; type cannot change; redirect_url is create-only", async () => {
    const id = (await createSnowflake({ ...SNOWFLAKE, password: "secret" })).json.data.id;
    const put = (body: unknown) => emu.call("PUT", `/api/connections/${id}`, { body });
    expect((await put({ configuration: SNOWFLAKE })).json.message).toBe("name is required");
    expect((await put({ name: "x" })).json.message).toBe("configuration is required");
    expect((await put({ name: "x", type: "salesforce", configuration: SNOWFLAKE })).status).toBe(
      400,
    );
    expect(
      (await put({ name: "x", configuration: SNOWFLAKE, redirect_url: "https://x.io" })).status,
    ).toBe(400);
    expect((await put({ name: "x", type: "snowflake", configuration: SNOWFLAKE })).status).toBe(
      200,
    );
  });

  test("PUT of an unknown connection is 404", async () => {
    const reply = await emu.call("PUT", "/api/connections/0b7e5d4e-0000-4000-8000-000000000000", {
      body: { name: "x", configuration: SNOWFLAKE },
    });
    expect(reply.status).toBe(404);
  });
});

describe("DELETE of a connection in use", () => {
  test("is refused with 422 listing the dependents, and force=true deletes them all", async () => {
    const { snowflake, salesforce, model } = await emu.seed();
    const sync = (await emu.ok("POST", "/api/syncs", { body: seedSync(model.id, salesforce) })).json
      .data;
    const refused = await emu.call("DELETE", `/api/connections/${salesforce}`);
    expect(refused.status).toBe(422);
    expect(refused.json).toEqual({
      status: 422,
      message: "connection in use",
      metadata: { used_by: [{ type: "sync", name: sync.name, id: sync.id }] },
    });
    const source = await emu.call("DELETE", `/api/connections/${snowflake}?force=false`);
    expect(source.json.metadata.used_by).toEqual([
      { type: "model", name: "Active Users", id: model.id },
    ]);
    expect((await emu.call("DELETE", `/api/connections/${snowflake}?force=maybe`)).status).toBe(
      400,
    );
    expect((await emu.call("DELETE", `/api/connections/${snowflake}?force=true`)).status).toBe(200);
    expect((await emu.call("GET", `/api/models/${model.id}`)).status).toBe(404);
    expect((await emu.call("GET", `/api/syncs/${sync.id}`)).status).toBe(404);
    expect((await emu.call("DELETE", `/api/connections/${salesforce}`)).status).toBe(200);
  });
});

describe("who writes", () => {
  test("the key's user creates; a person named by X-Emulator-User is the last writer of their edit", async () => {
    const me = (await emu.ok("GET", "/api/me")).json.data;
    const created = (await createSnowflake({ ...SNOWFLAKE, password: "secret" })).json.data;
    const person = { "x-emulator-user": "Ada in the UI" };
    const edited = await emu.ok("PUT", `/api/connections/${created.id}`, {
      body: { name: "Renamed in the UI", configuration: { ...SNOWFLAKE, password: "secret" } },
      headers: person,
    });
    expect(edited.status).toBe(200);
    const one = (await emu.ok("GET", `/api/connections/${created.id}`)).json.data;
    expect(one.created_by.id).toBe(me.id);
    expect(one.updated_by).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Ada in the UI",
      type: "user",
    });
    expect(one.updated_by.id).not.toBe(me.id);
    const blank = await emu.call("GET", "/api/me", { headers: { "x-emulator-user": " " } });
    expect(blank.status).toBe(400);
  });
});
