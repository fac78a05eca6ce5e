/**
 * The bundled emulator process under hostile clients, on every /api route: missing and wrong
 * credentials, malformed JSON, a wrong content type, a 10 MB body, unknown and wrongly typed
 * fields, and two organizations working at once. It answers each with a 4xx JSON error body, never
 * crashes, and never serves one organization's data to another.
 */
import { randomBytes } from "node:crypto";
import { request } from "undici";
import { API_ROUTES } from "../../lib/emulator/routes";
import type { Emulator } from "../support/e2e";
import { startEmulator } from "../support/e2e";
import { record } from "../support/reliability";

let emulator: Emulator;
const OTHER_KEY = `other-org-key-${randomBytes(8).toString("hex")}`;
const ID = "0b7e5d4e-0000-4000-8000-000000000000";

beforeAll(async () => {
  emulator = await startEmulator(["--api-key", OTHER_KEY]);
});
afterAll(() => emulator.stop());

const concrete = (pattern: string) => pattern.replace(/:[a-z_]+/g, ID);

interface Reply {
  status: number;
  json: unknown;
  contentType: string;
}

/** One request with undici, which reports the answer of a server that refuses a body early. */
async function call(
  method: string,
  path: string,
  init: { key?: string | null; body?: string | Buffer; contentType?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  const key = init.key === undefined ? emulator.apiKey : init.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (init.contentType) headers["content-type"] = init.contentType;
  const response = await request(`${emulator.url}${path}`, {
    method: method as "GET",
    headers,
    body: init.body,
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.statusCode,
    json,
    contentType: String(response.headers["content-type"] ?? ""),
  };
}

function expectErrorBody(reply: Reply, statuses: number[]): void {
  expect(statuses).toContain(reply.status);
  expect(reply.contentType).toMatch(/^application\/json/);
  expect(reply.json).toEqual(
    expect.objectContaining({ status: reply.status, message: expect.any(String) }),
  );
}

async function alive(): Promise<void> {
  expect((await call("GET", "/api/me")).status).toBe(200);
}

const routes = API_ROUTES.map((route) => [route.method, route.pattern] as const);
const writes = routes.filter(([method]) => method === "POST" || method === "PUT");

test.each(routes)(
  "%s %s: no key, a wrong key and a malformed header are 401 with an error body",
  async (method, pattern) => {
    for (const key of [null, "wrong-key-0123456789", "Basic !!!"]) {
      const reply = await call(method, concrete(pattern), {
        key,
        body: method === "GET" || method === "DELETE" ? undefined : "{}",
        contentType: "application/json",
      });
      expectErrorBody(reply, [401]);
    }
  },
);

const BAD_BODIES: [string, string | Buffer, string][] = [
  ["malformed JSON", '{"name": "x", ', "application/json"],
  ["a wrong content type", '{"name": "x"}', "text/plain"],
  ["a 10 MB body", Buffer.alloc(10 * 1024 * 1024, "a"), "application/json"],
  ["an unknown field", '{"name": "x", "nmae": "y"}', "application/json"],
  ["a wrongly typed field", '{"name": 42}', "application/json"],
];

test.each(writes)("%s %s: bad bodies are 4xx with an error body", async (method, pattern) => {
  for (const [, body, contentType] of BAD_BODIES) {
    const reply = await call(method, concrete(pattern), { body, contentType });
    expectErrorBody(reply, [400, 404, 413, 415, 422]);
  }
  await alive();
});

test("two organizations working at once never see each other's objects", async () => {
  const connection = (name: string) =>
    JSON.stringify({
      name,
      type: "salesforce",
      configuration: { domain: "example.my.salesforce.com" },
      validate: false,
    });
  const work = (key: string, prefix: string) =>
    Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call("POST", "/api/connections", {
          key,
          body: connection(`${prefix} ${i}`),
          contentType: "application/json",
        }),
      ),
    );
  const [mine, theirs] = await Promise.all([
    work(emulator.apiKey, "mine"),
    work(OTHER_KEY, "theirs"),
  ]);
  expect([...mine, ...theirs].every((reply) => reply.status === 200)).toBe(true);
  const list = async (key: string) =>
    (
      (await call("GET", "/api/connections", { key })).json as {
        data: { id: string; name: string }[];
      }
    ).data;
  const [myList, theirList] = await Promise.all([list(emulator.apiKey), list(OTHER_KEY)]);
  expect(myList.every((c) => c.name.startsWith("mine"))).toBe(true);
  expect(theirList.every((c) => c.name.startsWith("theirs"))).toBe(true);
  for (const other of theirList.slice(0, 5)) {
    expectErrorBody(await call("GET", `/api/connections/${other.id}`), [404]);
    expectErrorBody(await call("DELETE", `/api/connections/${other.id}`), [404]);
  }
  expect((await list(OTHER_KEY)).length).toBe(20);
  await alive();
  record({
    area: "Emulator robustness",
    scenario: `every /api route (${routes.length}) without a key, with a wrong key and a malformed Authorization; every POST/PUT route (${writes.length}) with malformed JSON, text/plain, a 10 MB body, an unknown field, a wrongly typed field; two organizations creating 20 connections each at once`,
    how: "the bundled emulator process (dist/cli.cjs emulator) over HTTP on 127.0.0.1",
    result:
      "401 with an error body for every credential case; 400/404/413/415/422 with an error body for every bad body; the process kept serving throughout; each organization listed only its own 20 connections and got 404 for the other's ids",
  });
});
