/**
 * The deploy lifecycle end to end: real cdktf synth and deploy, real Terraform, the bundled CLI in
 * the provisioners, and the bundled emulator over HTTP on 127.0.0.1. The steps build on each other.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Emulator, RunResult } from "../support/e2e";
import { inventory, Project, requests, startEmulator, writes } from "../support/e2e";
import { SEED_QUERY } from "../support/fixtures";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

const STACK = "e2e";
let emulator: Emulator;
let project: Project;
const outputs: RunResult[] = [];

async function deploy(): Promise<RunResult> {
  const result = await project.deploy(STACK);
  outputs.push(result);
  if (result.status !== 0) throw new Error(`cdktf deploy failed:\n${result.output}`);
  return result;
}

beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
  project = new Project(emulator, { SNOWFLAKE_PASSWORD });
});

afterAll(async () => {
  await emulator?.stop();
});

describe("cdktf deploy of the seed example", () => {
  const ids: Record<string, string> = {};

  test("creates every object with exactly the configured values", async () => {
    project.write(seedStack(STACK));
    await deploy();
    const { connections, models, syncs } = await inventory(emulator);
    expect(connections.map((c) => c.name).sort()).toEqual([
      "Salesforce Connection",
      "Snowflake Connection",
    ]);
    const snowflake = connections.find((c) => c.name === "Snowflake Connection");
    const salesforce = connections.find((c) => c.name === "Salesforce Connection");
    expect(snowflake.type.id).toBe("snowflake");
    expect(snowflake.configuration).toMatchObject({
      account: "uc193736182",
      username: "user",
      dbname: "database",
      warehouse: "warehouse",
      password: "********",
    });
    expect(salesforce.type.id).toBe("salesforce");
    expect(salesforce.configuration).toMatchObject({
      domain: "https://example.my.salesforce.com",
      connect_mode: "browser",
    });
    expect(salesforce.status).toBe("healthy");

    expect(models).toHaveLength(1);
    const [model] = models;
    expect(model).toMatchObject({
      name: "Active Users",
      connection_id: snowflake.id,
      configuration: { query: SEED_QUERY },
    });
    expect(model.fields.map((f: { name: string }) => f.name)).toEqual([
      "last_activity_date",
      "plan",
      "first_name",
      "last_name",
      "email",
    ]);

    expect(syncs).toHaveLength(1);
    const [sync] = syncs;
    const source = (field: string) => ({ model_id: model.id, field });
    expect(sync).toMatchObject({
      name: "Snowflake to Salesforce Sync",
      mode: "create",
      active: true,
      target: { connection_id: salesforce.id, object: "Contact" },
      identity: { source: source("email"), target: "Email", function: "Equality" },
      schedule: { frequency: "continuous" },
    });
    expect(
      sync.fields.map((f: { source: unknown; target: string }) => ({
        source: f.source,
        target: f.target,
      })),
    ).toEqual([
      { source: source("first_name"), target: "FirstName" },
      { source: source("last_name"), target: "LastName" },
    ]);
    Object.assign(ids, {
      snowflake: snowflake.id,
      salesforce: salesforce.id,
      model: model.id,
      sync: sync.id,
    });
  });

  test("redeploying unchanged code reports no changes and sends no write", async () => {
    const before = (await requests(emulator)).length;
    const result = await deploy();
    expect(result.output).toMatch(/No changes/);
    expect(writes((await requests(emulator)).slice(before))).toEqual([]);
  });

  test("changing the query and one mapping updates in place and keeps every id", async () => {
    const description = seedStack(STACK);
    description.models![0].props.query = `${SEED_QUERY.replace("email FROM", "email, MAX(plan) AS top_plan FROM")}`;
    description.syncs![0].props.fields = [
      { source: "first_name", target: "FirstName" },
      { source: "top_plan", target: "Title" },
    ];
    project.write(description);
    await deploy();
    const { connections, models, syncs } = await inventory(emulator);
    expect(connections.map((c) => c.id).sort()).toEqual([ids.snowflake, ids.salesforce].sort());
    expect(models.map((m) => m.id)).toEqual([ids.model]);
    expect(models[0].configuration.query).toContain("MAX(plan) AS top_plan");
    expect(models[0].fields.map((f: { name: string }) => f.name)).toContain("top_plan");
    expect(syncs.map((s) => s.id)).toEqual([ids.sync]);
    expect(
      syncs[0].fields.map((f: { target: string; source: { field: string } }) => [
        f.source.field,
        f.target,
      ]),
    ).toEqual([
      ["first_name", "FirstName"],
      ["top_plan", "Title"],
    ]);
  });

  test("a deploy from a fresh working directory (as in CI) applies only what changed", async () => {
    const description = seedStack(STACK);
    description.models![0].props.query = `${SEED_QUERY.replace("email FROM", "email, MAX(plan) AS top_plan FROM")}`;
    description.syncs![0].props.fields = [
      { source: "first_name", target: "FirstName" },
      { source: "top_plan", target: "Description" },
    ];
    project.write(description);
    rmSync(join(project.dir, "cdktf.out"), { recursive: true, force: true });
    const before = (await requests(emulator)).length;
    const result = await deploy();
    expect(result.output).toContain("every object of the stack was applied: nothing to repair");
    expect(
      writes((await requests(emulator)).slice(before)).map((r) => `${r.method} ${r.path}`),
    ).toEqual([`PUT /api/syncs/${ids.sync}`]);
  });

  test("renaming the model replaces it, repoints the sync, then deletes the old one", async () => {
    const description = seedStack(STACK);
    description.models![0].props.name = "Active Users (renamed)";
    project.write(description);
    const before = (await requests(emulator)).length;
    await deploy();
    const { models, syncs } = await inventory(emulator);
    expect(models.map((m) => m.name)).toEqual(["Active Users (renamed)"]);
    expect(models[0].id).not.toBe(ids.model);
    expect(syncs.map((s) => s.id)).toEqual([ids.sync]);
    expect(syncs[0].identity.source.model_id).toBe(models[0].id);
    const log = writes((await requests(emulator)).slice(before)).map(
      (r) => `${r.method} ${r.path}`,
    );
    const repoint = log.indexOf(`PUT /api/syncs/${ids.sync}`);
    const removal = log.indexOf(`DELETE /api/models/${ids.model}`);
    expect(repoint).toBeGreaterThanOrEqual(0);
    expect(removal).toBeGreaterThan(repoint);
  });

  test("removing the sync from the code deletes it", async () => {
    const description = seedStack(STACK);
    description.models![0].props.name = "Active Users (renamed)";
    description.syncs = [];
    project.write(description);
    await deploy();
    const { connections, models, syncs } = await inventory(emulator);
    expect(syncs).toEqual([]);
    expect(models).toHaveLength(1);
    expect(connections).toHaveLength(2);
  });

  test("removing a model and its connection together deletes the model, then the connection", async () => {
    const description = seedStack(STACK);
    description.connections = description.connections!.filter((c) => c.id !== "Snowflake");
    description.models = [];
    description.syncs = [];
    project.write(description);
    const before = (await requests(emulator)).length;
    await deploy();
    const { connections, models } = await inventory(emulator);
    expect(models).toEqual([]);
    expect(connections.map((c) => c.name)).toEqual(["Salesforce Connection"]);
    const deletes = writes((await requests(emulator)).slice(before)).map(
      (r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, "<id>")}`,
    );
    expect(deletes).toEqual(["DELETE /api/models/<id>", "DELETE /api/connections/<id>"]);
  });

  test("destroy leaves nothing", async () => {
    const result = await project.destroy(STACK);
    outputs.push(result);
    expect(result.status).toBe(0);
    expect(await inventory(emulator)).toEqual({ connections: [], models: [], syncs: [] });
  });

  test("no secret value appears in the synthesized JSON, any state file or the captured output", () => {
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    const texts = [
      ...project.artefacts(),
      ...outputs.map((result, index) => ({ path: `output of run ${index}`, text: result.output })),
      { path: "emulator output", text: emulator.output() },
    ];
    expect(texts.some(({ path }) => path.endsWith(".tfstate"))).toBe(true);
    expect(texts.some(({ path }) => path.endsWith("cdk.tf.json"))).toBe(true);
    for (const secret of [SNOWFLAKE_PASSWORD, emulator.apiKey]) {
      const leaks = texts.filter(({ text }) => text.includes(secret)).map(({ path }) => path);
      expect(leaks).toEqual([]);
    }
  });
});
