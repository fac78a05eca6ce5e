/**
 * Several stacks of one app, and stacks losing all their objects: a connection renamed in one
 * stack while another stack's models use it converges with `cdktf deploy '*'` run at most twice,
 * leaving no orphan; a stack that keeps its settings while every Polytomic construct is removed
 * deletes their objects.
 */
import type { AppDescription, Emulator, StackDescription } from "../support/e2e";
import { api, inventory, Project, startEmulator } from "../support/e2e";
import { convergenceProblems } from "../support/converge";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
});

afterAll(async () => {
  await emulator?.stop();
});

/** The seed split in two: connections in "shared", the model and sync in "users". */
function twoStacks(snowflakeName: string): AppDescription {
  const seed = seedStack("unused");
  seed.connections![0].props.name = snowflakeName;
  return {
    stacks: [
      { stack: "shared", connections: seed.connections },
      { stack: "users", models: seed.models, syncs: seed.syncs },
    ],
  };
}

/** The app's stacks merged, for the convergence check of the whole organization. */
function merged(app: AppDescription): StackDescription {
  return {
    stack: "app",
    connections: app.stacks.flatMap((s) => s.connections ?? []),
    models: app.stacks.flatMap((s) => s.models ?? []),
    syncs: app.stacks.flatMap((s) => s.syncs ?? []),
  };
}

test("renaming a connection another stack uses converges within two `cdktf deploy '*'`", async () => {
  await api(emulator, "POST", "/emulator/reset");
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(
    twoStacks("Snowflake Connection"),
  );
  const first = await project.cdktf(["deploy", "--auto-approve", "*"]);
  expect(first.status).toBe(0);
  const { connections } = await inventory(emulator);
  const oldId = connections.find((c) => c.name === "Snowflake Connection").id;

  const renamed = twoStacks("Snowflake (renamed)");
  project.write(renamed);
  const runs: { status: number; output: string }[] = [];
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const run = await project.cdktf(["deploy", "--auto-approve", "*"]);
    runs.push(run);
    expect(run.status).toBe(0);
  }
  expect(runs[0].output).toMatch(/renamed to mark it, and deleted by a later deploy/);
  expect(runs[1].output).toContain(
    `connection "Snowflake Connection" deleted (id ${oldId}), now that nothing uses it`,
  );
  expect(await convergenceProblems(emulator, merged(renamed))).toEqual([]);
  const after = await inventory(emulator);
  expect(after.connections.map((c) => c.id)).not.toContain(oldId);
  expect(after.models[0].connection_id).toBe(
    after.connections.find((c) => c.name === "Snowflake (renamed)").id,
  );
});

test("a stack that keeps its settings but drops every construct deletes their objects", async () => {
  await api(emulator, "POST", "/emulator/reset");
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(seedStack("emptied"));
  expect((await project.deploy("emptied")).status).toBe(0);
  expect((await inventory(emulator)).syncs).toHaveLength(1);
  project.write({ stack: "emptied", settings: {} });
  const result = await project.deploy("emptied");
  expect(result.status).toBe(0);
  expect(await inventory(emulator)).toEqual({ connections: [], models: [], syncs: [] });
});
