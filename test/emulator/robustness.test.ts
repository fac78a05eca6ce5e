/**
 * Hostile and malformed input: bad JSON, wrong content types, oversized bodies, malformed HTTP.
 * The emulator answers each with a JSON error and keeps serving.
 */
import { connect } from "node:net";
import { Readable } from "node:stream";
import { request } from "undici";
import { KEY, SNOWFLAKE_PASSWORD, TestEmulator } from "./helpers";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});

afterAll(() => emu.close());

async function stillServing(): Promise<void> {
  expect((await emu.call("GET", "/api/me")).status).toBe(200);
}

test.each([
  ["malformed JSON", '{"name": ', "application/json", 400, "malformed JSON"],
  ["a JSON array", "[1, 2]", "application/json", 400, "must be a JSON object"],
  ["JSON null", "null", "application/json", 400, "must be a JSON object"],
  ["an empty body", "", "application/json", 400, "name is required"],
  ["a form body", "name=x", "application/x-www-form-urlencoded", 415, "application/json"],
  ["a body without Content-Type", "{}", undefined, 415, "application/json"],
  ["text/plain", "{}", "text/plain", 415, "application/json"],
])("%s on POST is answered with a JSON error", async (_case, raw, contentType, status, message) => {
  const reply = await emu.call("POST", "/api/connections", { raw, contentType });
  expect(reply.status).toBe(status);
  expect(String(reply.headers["content-type"])).toMatch(/^application\/json/);
  expect(reply.json).toEqual(
    expect.objectContaining({ status, message: expect.stringContaining(message) }),
  );
  await stillServing();
});

test("application/json with a charset parameter is accepted", async () => {
  const reply = await emu.call("POST", "/api/connections", {
    body: {
      name: "x",
      type: "snowflake",
      configuration: { account: "a", username: "u", dbname: "d", password: SNOWFLAKE_PASSWORD },
    },
    contentType: "application/json; charset=utf-8",
  });
  expect(reply.status).toBe(200);
});

test("a 10 MB body is refused with 413 from its Content-Length, without reading it", async () => {
  const rssBefore = process.memoryUsage().rss;
  const reply = await emu.call("POST", "/api/connections", {
    raw: Buffer.alloc(10 * 1024 * 1024, 0x20),
    contentType: "application/json",
  });
  expect(reply.status).toBe(413);
  expect(reply.json).toEqual({ status: 413, message: expect.stringContaining("limit") });
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  await stillServing();
});

test("a chunked 10 MB body is cut off with 413 once it passes 1 MiB", async () => {
  async function* chunks() {
    for (let index = 0; index < 160; index += 1) yield Buffer.alloc(64 * 1024, 0x20);
  }
  const response = await request(`${emu.url}/api/syncs`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: Readable.from(chunks()),
  });
  expect(response.statusCode).toBe(413);
  expect(await response.body.json()).toEqual({ status: 413, message: expect.any(String) });
  await stillServing();
});

test("a body just under 1 MiB is read (and then validated)", async () => {
  const name = "n".repeat(1024 * 1024 - 200);
  const reply = await emu.call("POST", "/api/connections", {
    body: { name, type: "nope", configuration: {} },
  });
  expect(reply.status).toBe(400);
  expect(reply.json.message).toContain("unknown connection type");
});

test("malformed HTTP gets a JSON 400 and the server keeps running", async () => {
  const url = new URL(emu.url);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write("NONSENSE\r\n\r\n"));
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("end", () => resolve(received));
    socket.on("error", reject);
  });
  expect(answer).toMatch(/^HTTP\/1\.1 400/);
  expect(answer).toContain('{"status":400');
  await stillServing();
});

test("a client hanging up mid-body does not disturb the server", async () => {
  const url = new URL(emu.url);
  await new Promise<void>((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `POST /api/connections HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`,
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 50);
    });
  });
  await stillServing();
});

test("deeply nested and odd-keyed JSON is refused cleanly", async () => {
  const deep = "[".repeat(5000) + "]".repeat(5000);
  const reply = await emu.call("POST", "/api/syncs", {
    raw: `{"fields": ${deep}}`,
    contentType: "application/json",
  });
  expect(reply.status).toBe(400);
  const proto = await emu.call("POST", "/api/connections", {
    raw: '{"name":"x","type":"snowflake","configuration":{"__proto__":{"polluted":true},"account":"a","username":"u","dbname":"d"}}',
    contentType: "application/json",
  });
  expect(proto.status).toBe(400);
  expect(proto.json.message).toContain("configuration.__proto__ is not a Snowflake setting");
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  await stillServing();
});
