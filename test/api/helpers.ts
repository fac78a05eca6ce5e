/** A client wired to an undici MockAgent, with recorded sleeps and retries instead of real waits. */
import type { Interceptable } from "undici";
import { MockAgent } from "undici";
import type { MockInterceptor } from "undici/types/mock-interceptor";
import type { PolytomicClientOptions } from "../../lib/api/client";
import { PolytomicClient } from "../../lib/api/client";
import type { RetryInfo } from "../../lib/api/retry";

export const BASE_URL = "https://polytomic.test";
/** Distinctive, so a leak into any message is unmistakable. */
export const API_KEY = "pk_test_LEAKCANARY_7f3a9c2e";

export const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

export interface Harness {
  readonly agent: MockAgent;
  readonly pool: Interceptable;
  readonly client: PolytomicClient;
  readonly sleeps: number[];
  readonly retries: RetryInfo[];
  /** Every request the mock received, in order. */
  readonly requests: MockInterceptor.MockResponseCallbackOptions[];
}

export function harness(options: Partial<PolytomicClientOptions> = {}): Harness {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const client = new PolytomicClient({
    baseUrl: BASE_URL,
    apiKey: API_KEY,
    dispatcher: agent,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { agent, pool: agent.get(BASE_URL), client, sleeps, retries, requests: [] };
}

/** Intercepts one request and answers `status` with `body` (JSON-encoded unless a string). */
export function reply(
  h: Harness,
  method: string,
  path: string | ((path: string) => boolean),
  status: number,
  body: unknown = "",
  headers: Record<string, string> = JSON_HEADERS,
): void {
  h.pool.intercept({ method, path }).reply((request) => {
    h.requests.push(request);
    const data = typeof body === "string" ? body : JSON.stringify(body);
    return { statusCode: status, data, responseOptions: { headers } };
  });
}

/** The header `name` of the `index`th recorded request. */
export function header(h: Harness, index: number, name: string): string | undefined {
  const headers = h.requests[index]?.headers as Record<string, string> | undefined;
  return headers?.[name];
}

export async function finish(h: Harness): Promise<void> {
  h.agent.assertNoPendingInterceptors();
  await h.agent.close();
}
