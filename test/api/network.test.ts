/**
 * Real sockets on loopback: failures MockAgent cannot produce (a body that stalls after the
 * headers, a connection dropped before the response) and the proxy environment variables.
 */
import type { AddressInfo } from "node:net";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { Agent } from "undici";
import { PolytomicClient } from "../../lib/api/client";
import { PolytomicNetworkError } from "../../lib/api/errors";
import type { RetryInfo } from "../../lib/api/retry";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const PROXY_VARIABLES = [
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const servers: Server[] = [];
const clients: PolytomicClient[] = [];

/** A loopback API server answering with `handler`; its URL. */
async function api(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  return listen(server);
}

function client(baseUrl: string, options: { retries?: RetryInfo[]; direct?: boolean } = {}) {
  const created = new PolytomicClient({
    baseUrl,
    apiKey: "pk_test_network",
    timeoutMs: 300,
    maxRetries: 2,
    sleep: async () => undefined,
    onRetry: (info) => options.retries?.push(info),
    // Injected so the tests do not depend on proxy variables of the machine running them.
    dispatcher: options.direct === false ? undefined : new Agent(),
  });
  clients.push(created);
  return created;
}

const me = JSON.stringify({ data: { organization_id: "o1" } });

afterEach(async () => {
  await Promise.all(clients.splice(0).map((created) => created.close()));
  await Promise.all(servers.splice(0).map(stop));
});

describe("over real sockets", () => {
  it("times out a body that stalls after the headers", async () => {
    const url = await api((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"data": ');
    });

    const error = await client(url)
      .me()
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PolytomicNetworkError);
    expect(error).toMatchObject({ code: "ETIMEDOUT", path: "/api/me" });
  });

  it("retries a connection dropped before the response", async () => {
    let calls = 0;
    const url = await api((request, response) => {
      calls += 1;
      if (calls === 1) request.socket.destroy();
      else response.end(me);
    });
    const retries: RetryInfo[] = [];

    await expect(client(url, { retries }).me()).resolves.toEqual({ organization_id: "o1" });

    expect(retries).toHaveLength(1);
    expect(retries[0].code).toBe("UND_ERR_SOCKET");
  });

  it("retries a refused connection, then reports it", async () => {
    const closed = createServer();
    const url = await listen(closed);
    await stop(closed);
    const retries: RetryInfo[] = [];

    const error = await client(url, { retries })
      .me()
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PolytomicNetworkError);
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
    expect(retries.map((info) => info.code)).toEqual(["ECONNREFUSED", "ECONNREFUSED"]);
  });
});

describe("proxy environment variables", () => {
  const saved = new Map<string, string | undefined>();
  let proxied: number;

  beforeEach(async () => {
    for (const name of PROXY_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    proxied = 0;
    // A proxy that counts what reaches it and refuses it, tunnelled or not.
    const proxy = createServer((_request, response) => {
      proxied += 1;
      response.writeHead(502).end();
    });
    proxy.on("connect", (_request, socket) => {
      proxied += 1;
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    });
    servers.push(proxy);
    process.env.http_proxy = await listen(proxy);
  });

  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("goes through HTTP_PROXY", async () => {
    const url = await api((_request, response) => response.end(me));

    await expect(client(url, { direct: false }).me()).rejects.toThrow();

    expect(proxied).toBeGreaterThan(0);
  });

  it("reaches a loopback host directly when NO_PROXY lists it", async () => {
    process.env.NO_PROXY = "localhost,127.0.0.1";
    const url = await api((_request, response) => response.end(me));

    await expect(client(url, { direct: false }).me()).resolves.toEqual({ organization_id: "o1" });

    expect(proxied).toBe(0);
  });
});
