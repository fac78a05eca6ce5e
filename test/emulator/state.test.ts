/**
 * State: the request log and reset (test-only routes), and persistence to a data file across
 * restarts.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../lib/emulator/server";
import { KEY, seedSync, TestEmulator } from "./helpers";

describe("request log and reset", () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await TestEmulator.start();
  });

  afterAll(() => emu.close());

  test("every request is logged in order, /emulator routes excluded", async () => {
    await emu.call("POST", "/emulator/reset", { key: null });
    await emu.call("GET", "/api/me");
    await emu.call("GET", "/api/syncs?limit=5&mode=create&mode=update");
    await emu.call("POST", "/api/connections", {
      body: {},
      headers: { "idempotency-key": "log-test-key" },
    });
    await emu.call("GET", "/api/me", { key: null });
    await emu.call("GET", "/oauth/salesforce/nope", { key: null });
    const log = (await emu.ok("GET", "/emulator/requests", { key: null })).json;
    expect(log).toEqual([
      { method: "GET", path: "/api/me", query: {}, status: 200 },
      {
        method: "GET",
        path: "/api/syncs",
        query: { limit: "5", mode: ["create", "update"] },
        status: 200,
      },
      {
        method: "POST",
        path: "/api/connections",
        query: {},
        status: 400,
        idempotency_key: "log-test-key",
      },
      { method: "GET", path: "/api/me", query: {}, status: 401 },
      { method: "GET", path: "/oauth/salesforce/nope", query: {}, status: 404 },
    ]);
  });

  test("reset clears all data and the log, keeping the organizations", async () => {
    const me = (await emu.ok("GET", "/api/me")).json.data;
    const { salesforce, model } = await emu.seed();
    await emu.ok("POST", "/api/syncs", {
      body: seedSync(model.id, salesforce),
      headers: { "idempotency-key": "before-reset" },
    });
    const reset = await emu.call("POST", "/emulator/reset", { key: null });
    expect([reset.status, reset.text]).toEqual([200, ""]);
    expect((await emu.ok("GET", "/emulator/requests", { key: null })).json).toEqual([]);
    for (const path of ["/api/connections", "/api/models", "/api/syncs"]) {
      expect((await emu.ok("GET", path)).json.data).toEqual([]);
    }
    expect((await emu.ok("GET", "/api/me")).json.data).toEqual(me);
    const replay = await emu.call("POST", "/api/connections", {
      body: {},
      headers: { "idempotency-key": "before-reset" },
    });
    expect(replay.status).toBe(400);
  });

  test("the test routes reject other methods and unknown paths", async () => {
    expect((await emu.call("GET", "/emulator/reset", { key: null })).status).toBe(405);
    expect((await emu.call("POST", "/emulator/requests", { key: null })).status).toBe(405);
    expect((await emu.call("GET", "/emulator/other", { key: null })).status).toBe(404);
  });
});

describe("persistence", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emulator-state-"));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("state, organizations, secrets and stored outcomes survive a restart", async () => {
    const dataFile = join(dir, "nested", "state.json");
    const first = await TestEmulator.start({ dataFile });
    const me = (await first.ok("GET", "/api/me")).json.data;
    const { snowflake, salesforce, model } = await first.seed();
    const sync = (
      await first.ok("POST", "/api/syncs", {
        body: seedSync(model.id, salesforce),
        headers: { "idempotency-key": "persisted-key" },
      })
    ).json.data;
    await first.close();
    const raw = readFileSync(dataFile, "utf8");
    expect(raw).not.toContain(KEY);
    expect(readdirSync(join(dir, "nested"))).toEqual(["state.json"]);
    // The file says what it holds to whoever opens it, and only its owner may read it.
    expect(JSON.parse(raw).notice).toContain(
      "Connection credentials (passwords, keys, tokens) are stored here in plain text",
    );
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);

    const second = await TestEmulator.start({ dataFile });
    try {
      expect((await second.ok("GET", "/api/me")).json.data).toEqual(me);
      expect((await second.ok("GET", `/api/syncs/${sync.id}`)).json.data).toEqual(sync);
      expect((await second.ok("GET", `/api/models/${model.id}`)).json.data.fields).toEqual(
        model.fields,
      );
      // The stored password is still there: a PUT that omits it validates against it.
      const put = await second.call("PUT", `/api/connections/${snowflake}`, {
        body: {
          name: "Snowflake",
          configuration: { account: "uc193736182", username: "user", dbname: "database" },
        },
      });
      expect(put.json.data.status).toBe("healthy");
      const replay = await second.call("POST", "/api/syncs", {
        body: {},
        headers: { "idempotency-key": "persisted-key" },
      });
      expect(replay.json.data.id).toBe(sync.id);
    } finally {
      await second.close();
    }
  });

  test("every write is saved at once, before close", async () => {
    const dataFile = join(dir, "state.json");
    const emu = await TestEmulator.start({ dataFile });
    try {
      const id = await emu.snowflake("Saved at once");
      expect(readFileSync(dataFile, "utf8")).toContain(id);
    } finally {
      await emu.close();
    }
  });

  test("an unreadable data file stops the start with a clear message", async () => {
    const dataFile = join(dir, "state.json");
    writeFileSync(dataFile, "{not json");
    await expect(startEmulator({ apiKeys: [KEY], dataFile })).rejects.toThrow(/is not JSON/);
    writeFileSync(dataFile, '{"format": 99}');
    await expect(startEmulator({ apiKeys: [KEY], dataFile })).rejects.toThrow(
      /not an emulator state/,
    );
    expect(existsSync(`${dataFile}.${process.pid}.tmp`)).toBe(false);
  });
});

describe("start options", () => {
  test.each([
    [{ apiKeys: [] }, /apiKeys/],
    [{ apiKeys: [KEY], failRate: 2 }, /failRate/],
    [{ apiKeys: [KEY], dropRate: -0.1 }, /dropRate/],
    [{ apiKeys: [KEY], rateLimit: 0 }, /rateLimit/],
    [{ apiKeys: [KEY], catalog: { t: [] } }, /catalog/],
  ])("%j is refused", async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });
});
