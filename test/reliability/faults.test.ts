/**
 * A deploy of 3 connections, 10 models and 40 syncs against an emulator that fails 30 % of writes
 * with 500/503 and allows fewer requests per second than the deploy step sends at once.
 */
import { convergenceProblems } from "../support/converge";
import type { Emulator, RunResult } from "../support/e2e";
import { Project, requests, startEmulator } from "../support/e2e";
import { largeStack } from "../support/large-stack";
import { record } from "../support/reliability";
import { SNOWFLAKE_PASSWORD } from "../support/seed";

const RATE_LIMIT = 5;
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator([
    "--auto-authorize",
    "--fail-rate",
    "0.3",
    "--rate-limit",
    String(RATE_LIMIT),
  ]);
});
afterAll(() => emulator.stop());

test("every declared object ends up existing exactly once with its declared values", async () => {
  const description = largeStack("faults", { snowflake: 2, salesforce: 1, models: 10, syncs: 40 });
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description);
  const runs: RunResult[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const result = await project.deploy("faults");
    runs.push(result);
    if (result.status === 0) break;
  }
  if (runs.at(-1)?.status !== 0) {
    const errors = runs.flatMap((run) =>
      run.output.split("\n").filter((line) => /failed|Error/.test(line)),
    );
    throw new Error(
      `deploy did not converge in ${runs.length} runs:\n${errors.slice(0, 40).join("\n")}`,
    );
  }
  expect(await convergenceProblems(emulator, description)).toEqual([]);

  const log = await requests(emulator);
  const count = (status: number) => log.filter((entry) => entry.status === status).length;
  const retryLines = runs
    .map((run) => (run.output.match(/retrying /g) ?? []).length)
    .reduce((a, b) => a + b, 0);
  expect(count(500) + count(503)).toBeGreaterThan(0);
  expect(count(429)).toBeGreaterThan(0);
  expect(retryLines).toBeGreaterThan(0);
  record({
    area: "Faults during deploy",
    scenario:
      "3 connections, 10 models, 40 syncs; 30 % of writes answered 500/503, a rate limit below the deploy step's concurrency",
    how: `emulator --fail-rate 0.3 --rate-limit ${RATE_LIMIT} (requests per second); cdktf deploy (the deploy step writes 8 at a time), re-run while it fails (at most 3 runs)`,
    result: `converged in ${runs.length} run(s): all 53 objects exist exactly once with their declared values, none undeclared; the emulator answered ${count(500) + count(503)} injected 5xx and ${count(429)} 429s, which the CLI retried (${retryLines} retry lines)`,
  });
});
