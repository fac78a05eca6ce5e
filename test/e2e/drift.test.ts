/**
 * Changes made in Polytomic outside the code, through the API as a person in the UI would, are
 * repaired by the next deploy (ids kept where the object still exists); with `reconcile:
 * "on-change"` they wait for the next change of the code.
 */
import type { AnyJson, Emulator } from "../support/e2e";
import {
  api,
  data,
  editSync,
  inventory,
  plannedActions,
  Project,
  requests,
  startEmulator,
  writes,
} from "../support/e2e";
import { convergenceProblems } from "../support/converge";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
});

afterAll(async () => {
  await emulator?.stop();
});

async function deployed(project: Project, stack: string): Promise<string> {
  const result = await project.deploy(stack);
  if (result.status !== 0) throw new Error(`cdktf deploy failed:\n${result.output}`);
  return result.output;
}

describe("with the default reconcile mode", () => {
  const stack = "drift";
  let project: Project;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await api(emulator, "POST", "/emulator/reset");
    project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(seedStack(stack));
    await deployed(project, stack);
    const { connections, models, syncs } = await inventory(emulator);
    ids.salesforce = connections.find((c) => c.name === "Salesforce Connection").id;
    ids.model = models[0].id;
    ids.sync = syncs[0].id;
  });

  test("a sync paused, rescheduled and remapped in the UI is restored, keeping its id", async () => {
    await editSync(emulator, "Snowflake to Salesforce Sync", (sync) => {
      sync.active = false;
      sync.schedule = { frequency: "daily", hour: "5", minute: "0" };
      sync.fields = sync.fields.filter((f: AnyJson) => f.target !== "LastName");
    });
    const output = await deployed(project, stack);
    expect(output).toMatch(
      /~ sync "Snowflake to Salesforce Sync" updated \(id [\w-]+\): fields, schedule, active/,
    );
    expect(await convergenceProblems(emulator, seedStack(stack))).toEqual([]);
    expect((await inventory(emulator)).syncs[0].id).toBe(ids.sync);
  });

  test("a connection renamed in the UI gets its name back and keeps its id", async () => {
    const connection = await data(emulator, `/api/connections/${ids.salesforce}`);
    const { status } = await api(emulator, "PUT", `/api/connections/${ids.salesforce}`, {
      name: "Salesforce (old)",
      configuration: connection.configuration,
      validate: false,
    });
    expect(status).toBe(200);
    const output = await deployed(project, stack);
    expect(output).toContain(
      `~ connection "Salesforce Connection" restored (id ${ids.salesforce}; renamed "Salesforce (old)" in Polytomic)`,
    );
    expect(await convergenceProblems(emulator, seedStack(stack))).toEqual([]);
  });

  test("a model deleted in the UI is created again and its sync repointed", async () => {
    expect((await api(emulator, "DELETE", `/api/models/${ids.model}`)).status).toBe(200);
    const output = await deployed(project, stack);
    expect(output).toMatch(/\+ model "Active Users" created/);
    expect(output).toMatch(/~ sync "Snowflake to Salesforce Sync" updated .*: model$/m);
    expect(await convergenceProblems(emulator, seedStack(stack))).toEqual([]);
    const { models, syncs } = await inventory(emulator);
    expect(models[0].id).not.toBe(ids.model);
    expect(syncs[0].id).toBe(ids.sync);
  });

  test("a sync deleted in the UI is created again", async () => {
    expect((await api(emulator, "DELETE", `/api/syncs/${ids.sync}`)).status).toBe(200);
    const output = await deployed(project, stack);
    expect(output).toMatch(/\+ sync "Snowflake to Salesforce Sync" created/);
    expect(await convergenceProblems(emulator, seedStack(stack))).toEqual([]);
  });
});

describe('with reconcile: "on-change"', () => {
  const stack = "quiet";
  let project: Project;
  const description = () => ({ ...seedStack(stack), settings: { reconcile: "on-change" } });

  beforeAll(async () => {
    await api(emulator, "POST", "/emulator/reset");
    project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description());
    await deployed(project, stack);
  });

  test("an unchanged stack plans no change at all", async () => {
    expect(plannedActions(await project.plan(stack))).toEqual({});
  });

  test("drift waits for the next change of the code, which repairs it too", async () => {
    await editSync(emulator, "Snowflake to Salesforce Sync", (sync) => {
      sync.schedule = { frequency: "manual" };
    });
    const before = (await requests(emulator)).length;
    await deployed(project, stack);
    expect(writes((await requests(emulator)).slice(before))).toEqual([]);
    expect((await inventory(emulator)).syncs[0].schedule).toEqual({ frequency: "manual" });

    const changed = description();
    changed.models![0].props.query = `${String(changed.models![0].props.query)} `;
    project.write(changed);
    const output = await deployed(project, stack);
    expect(output).toMatch(/~ model "Active Users" updated .*: query/);
    expect(output).toMatch(/~ sync "Snowflake to Salesforce Sync" updated .*: schedule/);
    expect(await convergenceProblems(emulator, changed)).toEqual([]);
  });
});
