/**
 * No silent takeover: a declared name that exists in Polytomic and was not created by the stack
 * stops the deploy before any write, naming the object and both ways out; `adoptExisting` (on the
 * construct or the stack) takes it over, keeping its id. An object the stack itself created in an
 * interrupted apply is not a takeover.
 */
import type { Emulator } from "../support/e2e";
import { api, inventory, Project, requests, startEmulator, writes } from "../support/e2e";
import { convergenceProblems } from "../support/converge";
import { applyAndKill, once } from "../support/interrupt";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
});

afterAll(async () => {
  await emulator?.stop();
});

/** A connection someone created in Polytomic before the stack existed. */
async function existingSnowflake(): Promise<string> {
  const { status, body } = await api(emulator, "POST", "/api/connections", {
    name: "Snowflake Connection",
    type: "snowflake",
    configuration: { account: "someone-else", username: "them", dbname: "theirs", password: "x" },
    validate: false,
  });
  expect(status).toBe(200);
  return body.data.id;
}

describe("a declared name that already exists in Polytomic", () => {
  let project: Project;
  let id: string;

  beforeAll(async () => {
    await api(emulator, "POST", "/emulator/reset");
    id = await existingSnowflake();
    // Polytomic's created_at and the plan's time differ by at least a second here.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(seedStack("takeover"));
  });

  test("stops the deploy before any write, naming the object and both ways out", async () => {
    const before = (await requests(emulator)).length;
    const result = await project.deploy("takeover");
    expect(result.status).not.toBe(0);
    const output = result.output.replace(/\s+/g, " ");
    expect(output).toContain(
      `SnowflakeConnection "takeover/Snowflake": connection "Snowflake Connection" exists in Polytomic (id ${id}`,
    );
    expect(output).toContain("was not created by this stack");
    expect(output).toContain('set adoptExisting: true on SnowflakeConnection "takeover/Snowflake"');
    expect(output).toContain(
      'SnowflakeConnection.fromConnectionName(scope, id, "Snowflake Connection")',
    );
    expect(writes((await requests(emulator)).slice(before))).toEqual([]);
    const { connections, models, syncs } = await inventory(emulator);
    expect(connections.map((c) => c.id)).toEqual([id]);
    expect(connections[0].configuration.account).toBe("someone-else");
    expect([models, syncs]).toEqual([[], []]);
  });

  test("running it again fails the same way", async () => {
    const before = (await requests(emulator)).length;
    const result = await project.deploy("takeover");
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("was not created by this stack");
    expect(writes((await requests(emulator)).slice(before))).toEqual([]);
  });

  test("adoptExisting on the construct takes it over in place, keeping its id", async () => {
    const description = seedStack("takeover");
    description.connections![0].props.adoptExisting = true;
    project.write(description);
    const result = await project.deploy("takeover");
    expect(result.status).toBe(0);
    expect(result.output).toContain(
      `~ connection "Snowflake Connection" adopted (id ${id}; it existed before this stack declared it)`,
    );
    expect(await convergenceProblems(emulator, description)).toEqual([]);
    const { connections } = await inventory(emulator);
    expect(connections.find((c) => c.name === "Snowflake Connection").id).toBe(id);
  });

  test("destroying the stack then deletes the adopted object too", async () => {
    expect((await project.destroy("takeover")).status).toBe(0);
    expect(await inventory(emulator)).toEqual({ connections: [], models: [], syncs: [] });
  });
});

test("PolytomicSettings adoptExisting lets a whole stack take over what exists", async () => {
  await api(emulator, "POST", "/emulator/reset");
  const id = await existingSnowflake();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const description = { ...seedStack("adopting"), settings: { adoptExisting: true } };
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description);
  const result = await project.deploy("adopting");
  expect(result.status).toBe(0);
  expect(result.output).toContain(`~ connection "Snowflake Connection" adopted (id ${id}`);
  expect(await convergenceProblems(emulator, description)).toEqual([]);
});

test("an object the stack created in an interrupted apply is not a takeover", async () => {
  // Slow answers leave time to kill the apply between the model's creation and the sync's.
  const slow = await startEmulator(["--auto-authorize", "--latency", "400"]);
  try {
    await interruptedCreate(slow);
  } finally {
    await slow.stop();
  }
});

async function interruptedCreate(emulator: Emulator): Promise<void> {
  const description = seedStack("interrupted-create");
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description);
  expect((await project.cdktf(["synth"])).status).toBe(0);
  expect(project.terraform("interrupted-create", ["init", "-input=false"]).status).toBe(0);
  const created = async () =>
    (await requests(emulator)).some((r) => r.method === "POST" && r.path === "/api/models");
  const run = await applyAndKill(project, "interrupted-create", once(created));
  expect(run.killed).toBe(true);
  const partial = await inventory(emulator);
  expect(partial.models).toHaveLength(1);
  expect(partial.syncs).toHaveLength(0);

  const result = await project.deploy("interrupted-create");
  expect(result.status).toBe(0);
  expect(result.output).not.toContain("was not created by this stack");
  expect(await convergenceProblems(emulator, description)).toEqual([]);
}
