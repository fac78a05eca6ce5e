/**
 * An API that answers badly: malformed JSON, an HTML 502 page, an empty body, a 200 without the
 * expected fields. The CLI must fail with one clear line: no stack trace, no secret.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CliStack, snowflake } from "../support/cli";
import { record } from "../support/reliability";

const KEY = "bad-responses-api-key-0123456789";
const PASSWORD = "bad-responses-snowflake-password";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function withServer<T>(handler: Handler, run: (url: string) => Promise<T>): Promise<T> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * Answers `GET /api/connections` with `list` and `POST /api/connections` with `created`; the
 * other lists are empty.
 */
function api(
  list: (response: ServerResponse) => void,
  created?: (response: ServerResponse) => void,
): Handler {
  return (request, response) => {
    request.resume();
    if (request.method === "POST" && created) return created(response);
    if (request.url?.startsWith("/api/connections")) return list(response);
    return json(200, '{"data": []}')(response);
  };
}

/** The deploy step of a stack declaring one Snowflake connection, against `url`. */
function deploy(url: string) {
  return new CliStack([snowflake()]).run("deploy", {
    POLYTOMIC_API_URL: url,
    POLYTOMIC_API_KEY: KEY,
    SNOWFLAKE_PASSWORD: PASSWORD,
  });
}

const json = (status: number, body: string) => (response: ServerResponse) => {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(body);
};

const CASES: [string, Handler, RegExp][] = [
  [
    "malformed JSON",
    api(json(200, '{"data": [{"id": ')),
    /GET \/api\/connections failed: .*(JSON|malformed)/i,
  ],
  [
    "an HTML 502 page",
    api((response) => {
      response.writeHead(502, { "content-type": "text/html" });
      response.end(
        `<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>${"x".repeat(5000)}</p></body></html>`,
      );
    }),
    /GET \/api\/connections failed: 502/,
  ],
  ["an empty body", api(json(200, "")), /GET \/api\/connections failed: .*empty/i],
  ["a 200 without data", api(json(200, '{"items": []}')), /GET \/api\/connections failed: .*data/],
  [
    "a list item without an id",
    api(json(200, '{"data": [{"name": "Snowflake Connection"}]}')),
    /GET \/api\/connections failed: .*id/,
  ],
  [
    "a created object without an id",
    api(json(200, '{"data": []}'), json(200, '{"data": {"name": "Snowflake Connection"}}')),
    /POST \/api\/connections failed: .*id/,
  ],
];

test("a server message that echoes a secret is printed redacted", async () => {
  const result = await withServer(
    api(
      json(200, '{"data": []}'),
      json(
        422,
        JSON.stringify({ status: 422, message: `password ${PASSWORD} rejected for key ${KEY}` }),
      ),
    ),
    deploy,
  );
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("422 password [redacted] rejected for key [redacted]");
  expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD);
  record({
    area: "Secrets",
    scenario:
      "the API answers with an error message that quotes the Snowflake password and the API key",
    how: "a local HTTP server answering the connection's POST with such a 422; the deploy step through the bundled CLI",
    result: `one line, both values masked: ${result.stderr.trim().replace(/http:\/\/127\.0\.0\.1:\d+/g, "<server>")}`,
  });
});

describe("bad responses", () => {
  test.each(CASES)("%s: one line, no stack trace, no secret", async (label, handler, pattern) => {
    const result = await withServer(handler, deploy);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cdktf-polytomic deploy failed: /);
    expect(lines[0]).toMatch(pattern);
    expect(lines[0].length).toBeLessThan(400);
    const everything = `${result.stdout}${result.stderr}`;
    expect(everything).not.toMatch(/\n\s+at /);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(PASSWORD);
    record({
      area: "Bad responses",
      scenario: label,
      how: "a local HTTP server answers the CLI's requests so; the deploy step of a stack declaring a Snowflake connection",
      result: `exit 1 with one line: ${lines[0].replace(/http:\/\/127\.0\.0\.1:\d+/g, "<server>")}`,
    });
  });
});
