/**
 * Fault injection: failRate (500/503 without effect), dropRate (committed, then the connection is
 * closed unanswered; a retry with the same Idempotency-Key replays), rateLimit (429 + Retry-After)
 * and latency. `random` is injected so every draw is known (see lib/emulator/faults.ts).
 */
import { request } from "undici";
import { KEY, SNOWFLAKE_PASSWORD, TestEmulator } from "./helpers";

/** A random source answering `values` in turn, then 0.99 (no fault) forever. */
function draws(...values: number[]): () => number {
  return () => values.shift() ?? 0.99;
}

const SNOWFLAKE = {
  name: "Warehouse",
  type: "snowflake",
  configuration: { account: "a", username: "u", dbname: "d", password: SNOWFLAKE_PASSWORD },
};

async function withEmulator(
  options: Parameters<typeof TestEmulator.start>[0],
  run: (emu: TestEmulator) => Promise<void>,
) {
  const emu = await TestEmulator.start(options);
  try {
    await run(emu);
  } finally {
    await emu.close();
  }
}

describe("failRate", () => {
  test("a failed write answers 500 or 503 with the error body and has no effect", async () => {
    // Write 1 fails (0.1 < 0.5) with 500 (0.2 < 0.5); write 2 fails with 503 (0.7); write 3 passes.
    await withEmulator({ failRate: 0.5, random: draws(0.1, 0.2, 0.3, 0.7, 0.9) }, async (emu) => {
      const first = await emu.call("POST", "/api/connections", { body: SNOWFLAKE });
      expect(first.json).toEqual({ status: 500, message: expect.stringContaining("injected") });
      const second = await emu.call("POST", "/api/connections", { body: SNOWFLAKE });
      expect(second.json).toEqual({ status: 503, message: expect.stringContaining("injected") });
      expect((await emu.ok("GET", "/api/connections")).json.data).toEqual([]);
      expect((await emu.call("POST", "/api/connections", { body: SNOWFLAKE })).status).toBe(200);
      expect((await emu.ok("GET", "/api/connections")).json.data.length).toBe(1);
    });
  });

  test("reads are never failed", async () => {
    await withEmulator({ failRate: 1, random: () => 0 }, async (emu) => {
      expect((await emu.call("GET", "/api/connections")).status).toBe(200);
      expect((await emu.call("DELETE", "/api/connections/x")).status).toBe(500);
    });
  });

  test("an injected failure leaves the Idempotency-Key unused: the retry runs for real", async () => {
    await withEmulator(
      { failRate: 0.5, random: draws(0.1, 0.2, 0.9, 0.1, 0.7, 0.9) },
      async (emu) => {
        for (const [key, status] of [
          ["fault-500-key", 500],
          ["fault-503-key", 503],
        ] as const) {
          const headers = { "idempotency-key": key };
          const failed = await emu.call("POST", "/api/connections", { body: SNOWFLAKE, headers });
          expect(failed.status).toBe(status);
          const retried = await emu.call("POST", "/api/connections", { body: SNOWFLAKE, headers });
          expect(retried.status).toBe(200);
          const replayed = await emu.call("POST", "/api/connections", { body: SNOWFLAKE, headers });
          expect(replayed.text).toBe(retried.text);
        }
        expect((await emu.ok("GET", "/api/connections")).json.data.length).toBe(2);
      },
    );
  });
});

describe("dropRate", () => {
  test("the write is committed, the connection closed, and a keyed retry replays it", async () => {
    await withEmulator({ dropRate: 0.5, random: draws(0.1) }, async (emu) => {
      const headers = { "idempotency-key": "dropped-create-1" };
      await expect(
        emu.call("POST", "/api/connections", { body: SNOWFLAKE, headers }),
      ).rejects.toThrow();
      const stored = (await emu.ok("GET", "/api/connections")).json.data;
      expect(stored.length).toBe(1);
      const retry = await emu.call("POST", "/api/connections", { body: SNOWFLAKE, headers });
      expect(retry.status).toBe(200);
      expect(retry.json.data.id).toBe(stored[0].id);
      expect((await emu.ok("GET", "/api/connections")).json.data.length).toBe(1);
      const log = (await emu.call("GET", "/emulator/requests", { key: null })).json;
      expect(log[0]).toEqual(
        expect.objectContaining({
          method: "POST",
          status: 200,
          dropped: true,
          idempotency_key: "dropped-create-1",
        }),
      );
    });
  });
});

describe("rateLimit", () => {
  test("requests beyond the rate get 429 with an integer Retry-After and an error body", async () => {
    await withEmulator({ rateLimit: 2 }, async (emu) => {
      const replies = [];
      for (let index = 0; index < 4; index += 1) replies.push(await emu.call("GET", "/api/me"));
      expect(replies.map((reply) => reply.status)).toEqual([200, 200, 429, 429]);
      expect(replies[2].headers["retry-after"]).toMatch(/^[1-9]\d*$/);
      expect(replies[2].json).toEqual({
        status: 429,
        message: expect.stringContaining("rate limit"),
      });
      expect((await emu.call("GET", "/api/me", { key: "test-key-org-b" })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await emu.call("GET", "/api/me")).status).toBe(200);
    });
  });
});

describe("latency", () => {
  test("is added before every /api response, errors included", async () => {
    await withEmulator({ latencyMs: 150 }, async (emu) => {
      for (const key of [KEY, null]) {
        const started = Date.now();
        await request(`${emu.url}/api/me`, {
          headers: key === null ? {} : { authorization: `Bearer ${key}` },
        }).then((response) => response.body.dump());
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      }
    });
  });
});
