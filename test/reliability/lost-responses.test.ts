/**
 * Responses lost after the server committed a write: the emulator commits 30 % of writes and then
 * drops the connection before answering. The client's retry carries the same Idempotency-Key, so
 * Polytomic replays the stored outcome instead of creating a second object.
 */
import { convergenceProblems } from "../support/converge";
import type { Emulator } from "../support/e2e";
import { Project, requests, startEmulator } from "../support/e2e";
import { largeStack } from "../support/large-stack";
import { record } from "../support/reliability";
import { SNOWFLAKE_PASSWORD } from "../support/seed";

interface Logged {
  method: string;
  path: string;
  status: number;
  idempotency_key?: string;
  dropped?: boolean;
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize", "--drop-rate", "0.3"]);
});
afterAll(() => emulator.stop());

test("a retried POST whose first response was lost creates no duplicate", async () => {
  const description = largeStack("lost", { snowflake: 1, salesforce: 1, models: 4, syncs: 16 });
  const result = await new Project(emulator, { SNOWFLAKE_PASSWORD })
    .write(description)
    .deploy("lost");
  if (result.status !== 0) throw new Error(result.output);
  expect(await convergenceProblems(emulator, description)).toEqual([]);

  const log = (await requests(emulator)) as Logged[];
  const droppedPosts = log.filter((entry) => entry.dropped && entry.method === "POST");
  expect(droppedPosts.length).toBeGreaterThan(0);
  for (const dropped of droppedPosts) {
    const replays = log.filter(
      (entry) => entry.idempotency_key === dropped.idempotency_key && !entry.dropped,
    );
    expect(replays.length).toBeGreaterThan(0);
    expect(replays.every((entry) => entry.method === "POST" && entry.path === dropped.path)).toBe(
      true,
    );
  }
  const posts = log.filter(
    (entry) => entry.method === "POST" && !entry.dropped && entry.status === 200,
  );
  const keys = new Set(posts.map((entry) => entry.idempotency_key));
  record({
    area: "Lost responses",
    scenario:
      "a write is committed, then the connection drops before the answer (2 connections, 4 models, 16 syncs)",
    how: "emulator --drop-rate 0.3; cdktf deploy; the request log pairs each dropped POST with its retries by Idempotency-Key",
    result: `${droppedPosts.length} POST responses lost; each retry reused the key and got the stored outcome; ${keys.size} distinct keys created the 22 objects; every object exists exactly once`,
  });
});
