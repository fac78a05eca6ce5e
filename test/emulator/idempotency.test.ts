/**
 * Idempotency-Key (polytomic-api.md §2.5): key format, replay of the first outcome (errors too),
 * 409 while the first request is in flight, scoping per organization.
 */
import { OTHER_KEY, SNOWFLAKE_PASSWORD, TestEmulator } from "./helpers";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});

afterAll(() => emu.close());

const SNOWFLAKE = {
  name: "Warehouse",
  type: "snowflake",
  configuration: { account: "a", username: "u", dbname: "d", password: SNOWFLAKE_PASSWORD },
};

const withKey = (key: string, body: unknown = SNOWFLAKE, extra: { key?: string } = {}) => ({
  body,
  headers: { "idempotency-key": key },
  ...extra,
});

async function connectionCount(apiKey?: string): Promise<number> {
  return (await emu.ok("GET", "/api/connections", { key: apiKey })).json.data.length;
}

test("a repeated key replays the first response and creates nothing more", async () => {
  const before = await connectionCount();
  const first = await emu.call("POST", "/api/connections", withKey("create-warehouse-1"));
  const second = await emu.call("POST", "/api/connections", withKey("create-warehouse-1"));
  expect(first.status).toBe(200);
  expect(second.status).toBe(200);
  expect(second.text).toBe(first.text);
  expect(await connectionCount()).toBe(before + 1);
});

test("the replay ignores a different body or path", async () => {
  const first = await emu.call("POST", "/api/connections", withKey("key-for-two-bodies"));
  const other = await emu.call(
    "PUT",
    `/api/connections/${first.json.data.id}`,
    withKey("key-for-two-bodies", { name: "x" }),
  );
  expect(other.text).toBe(first.text);
});

test("errors are stored and replayed too", async () => {
  const first = await emu.call(
    "POST",
    "/api/connections",
    withKey("bad-body-key-1", { name: "x" }),
  );
  expect(first.status).toBe(400);
  const retried = await emu.call("POST", "/api/connections", withKey("bad-body-key-1"));
  expect(retried.status).toBe(400);
  expect(retried.text).toBe(first.text);
});

test("DELETE with a key is replayed as its first (empty) answer", async () => {
  const id = await emu.snowflake("Doomed");
  const first = await emu.call("DELETE", `/api/connections/${id}`, {
    headers: { "idempotency-key": "delete-doomed" },
  });
  const again = await emu.call("DELETE", `/api/connections/${id}`, {
    headers: { "idempotency-key": "delete-doomed" },
  });
  expect([first.status, first.text]).toEqual([200, ""]);
  expect([again.status, again.text]).toEqual([200, ""]);
  const fresh = await emu.call("DELETE", `/api/connections/${id}`, {
    headers: { "idempotency-key": "delete-doomed-2" },
  });
  expect(fresh.status).toBe(404);
});

test("keys are scoped to the organization", async () => {
  const before = await connectionCount(OTHER_KEY);
  const mine = await emu.call("POST", "/api/connections", withKey("shared-key-name"));
  const theirs = await emu.call(
    "POST",
    "/api/connections",
    withKey("shared-key-name", SNOWFLAKE, { key: OTHER_KEY }),
  );
  expect(theirs.status).toBe(200);
  expect(theirs.json.data.id).not.toBe(mine.json.data.id);
  expect(await connectionCount(OTHER_KEY)).toBe(before + 1);
});

test.each([
  ["too short", "short"],
  ["with spaces", "has space in it"],
  ["too long", "x".repeat(256)],
  ["non-ASCII", "ümlaut-key"],
  ["with punctuation", "semi;colon;key"],
])("a key %s is a 400 and nothing is created", async (_case, key) => {
  const before = await connectionCount();
  const reply = await emu.call("POST", "/api/connections", withKey(key));
  expect(reply.status).toBe(400);
  expect(reply.json.message).toContain("Idempotency-Key");
  expect(await connectionCount()).toBe(before);
});

test("keys of 8 and 255 characters from the allowed set are accepted", async () => {
  expect((await emu.call("POST", "/api/connections", withKey("aB3_-xyz"))).status).toBe(200);
  expect((await emu.call("POST", "/api/connections", withKey("k".repeat(255)))).status).toBe(200);
});

test("GET ignores the header", async () => {
  const reply = await emu.call("GET", "/api/connections", {
    headers: { "idempotency-key": "bad" },
  });
  expect(reply.status).toBe(200);
});

test("a duplicate arriving while the first is in flight gets 409", async () => {
  const slow = await TestEmulator.start({ latencyMs: 300 });
  try {
    const send = () => slow.call("POST", "/api/connections", withKey("concurrent-key-1"));
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const conflict = first.status === 409 ? first : second;
    expect(conflict.json).toEqual({ status: 409, message: expect.stringContaining("in progress") });
    const after = await send();
    expect(after.status).toBe(200);
    expect(after.text).toBe((first.status === 200 ? first : second).text);
    expect((await slow.ok("GET", "/api/connections")).json.data.length).toBe(1);
  } finally {
    await slow.close();
  }
});
