/**
 * The deploy lifecycle end to end: real cdktf synth and deploy, real Terraform, the bundled CLI in
 * the provisioners, and the bundled emulator over HTTP on 127.0.0.1. The plans read are real
 * `terraform show -json` of real plans. The steps build on each other.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Emulator, PlanResult, RunResult } from "../support/e2e";
import {
  inventory,
  plannedActions,
  plannedChange,
  Project,
  requests,
  startEmulator,
  writes,
} from "../support/e2e";
import { SEED_QUERY } from "../support/fixtures";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

const STACK = "e2e";
const SNOWFLAKE = "terraform_data.connection_Snowflake-Connection";
const SALESFORCE = "terraform_data.connection_Salesforce-Connection";
const MODEL = "terraform_data.model_Active-Users";
const SYNC = "terraform_data.sync_Snowflake-to-Salesforce-Sync";
const DEPLOY_STEP = "terraform_data.polytomic_deploy";
const INVENTORY = "terraform_data.polytomic_inventory";
let emulator: Emulator;
let project: Project;
const outputs: RunResult[] = [];
const plans: PlanResult[] = [];

async function deploy(): Promise<RunResult> {
  const result = await project.deploy(STACK);
  outputs.push(result);
  if (result.status !== 0) throw new Error(`cdktf deploy failed:\n${result.output}`);
  return result;
}

async function plan(): Promise<PlanResult> {
  const result = await project.plan(STACK);
  plans.push(result);
  return result;
}

/** The planned actions, with the generation's changing key replaced by `<key>`. */
function actions(planned: PlanResult): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(plannedActions(planned)).map(([address, action]) => [
      address.replace(/polytomic_generation\["[0-9a-f]+"\]/, "polytomic_generation[<key>]"),
      action,
    ]),
  );
}

const EDITED_QUERY = SEED_QUERY.replace("email FROM", "email, MAX(plan) AS top_plan FROM");

beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
  project = new Project(emulator, { SNOWFLAKE_PASSWORD });
});

afterAll(async () => {
  await emulator?.stop();
});

describe("cdktf deploy of the seed example", () => {
  const ids: Record<string, string> = {};

  test("a new stack plans one create per object, showing its settings and no secret", async () => {
    project.write(seedStack(STACK));
    const planned = await plan();
    expect(actions(planned)).toEqual({
      [SNOWFLAKE]: ["create"],
      [SALESFORCE]: ["create"],
      [MODEL]: ["create"],
      [SYNC]: ["create"],
      [INVENTORY]: ["create"],
      "terraform_data.polytomic_generation[<key>]": ["create"],
      [DEPLOY_STEP]: ["create"],
    });
    expect(plannedChange(planned, SNOWFLAKE).after.input).toEqual({
      name: "Snowflake Connection",
      type: "snowflake",
      account: "uc193736182",
      username: "user",
      dbname: "database",
      warehouse: "warehouse",
      password: { env: "SNOWFLAKE_PASSWORD" },
    });
    expect(plannedChange(planned, MODEL).after.input).toEqual({
      name: "Active Users",
      connection: "Snowflake Connection",
      query: SEED_QUERY,
    });
    expect(plannedChange(planned, SYNC).after.input).toMatchObject({
      mode: "create",
      model: "Active Users",
      target: { connection: "Salesforce Connection", object: "Contact" },
      fields: [
        { source: "first_name", target: "FirstName" },
        { source: "last_name", target: "LastName" },
      ],
    });
    expect(planned.text).toContain('query      = "SELECT MAX(last_activity_date)');
  });

  test("creates every object with exactly the configured values", async () => {
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
      sync.fields.map((f: { source: unknown; target: string }) => [f.source, f.target]),
    ).toEqual([
      [source("first_name"), "FirstName"],
      [source("last_name"), "LastName"],
    ]);
    Object.assign(ids, {
      snowflake: snowflake.id,
      salesforce: salesforce.id,
      model: model.id,
      sync: sync.id,
    });
  });

  test("an unchanged stack plans only the deploy step, which writes nothing", async () => {
    expect(actions(await plan())).toEqual({ [DEPLOY_STEP]: ["delete", "create"] });
    const before = (await requests(emulator)).length;
    const result = await deploy();
    expect(result.output).toContain("0 created, 0 updated, 4 unchanged");
    const served = (await requests(emulator)).slice(before);
    expect(writes(served)).toEqual([]);
    // Lists of connections, models and syncs (one page), and one read per sync to compare it.
    expect(served.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        "GET /api/connections",
        "GET /api/models",
        "GET /api/syncs",
        `GET /api/syncs/${ids.sync}`,
      ].sort(),
    );
  });

  test("editing the query and adding a mapping plans two in-place updates with the texts readable", async () => {
    const description = seedStack(STACK);
    description.models![0].props.query = EDITED_QUERY;
    description.syncs![0].props.fields = [
      { source: "first_name", target: "FirstName" },
      { source: "last_name", target: "LastName" },
      { source: "top_plan", target: "Title" },
    ];
    project.write(description);
    const planned = await plan();
    expect(actions(planned)).toEqual({
      [MODEL]: ["update"],
      [SYNC]: ["update"],
      [DEPLOY_STEP]: ["delete", "create"],
    });
    const model = plannedChange(planned, MODEL);
    expect(model.before.input.query).toBe(SEED_QUERY);
    expect(model.after.input.query).toBe(EDITED_QUERY);
    const sync = plannedChange(planned, SYNC);
    expect(sync.after.input.fields).toContainEqual({ source: "top_plan", target: "Title" });
    expect(sync.before.input.fields).not.toContainEqual({ source: "top_plan", target: "Title" });
    expect(planned.text).toContain("will be updated in-place");
    expect(planned.text).toMatch(/\+\s+\{\s+\+ source = "top_plan"\s+\+ target = "Title"\s+\}/);
    expect(planned.text).not.toMatch(
      /(connection|model|sync)_[\w-]+ (will be destroyed|must be replaced)/,
    );
  });

  test("deploying the edit updates both objects in place and keeps every id", async () => {
    const before = (await requests(emulator)).length;
    const result = await deploy();
    expect(result.output).toMatch(/~ model "Active Users" updated \(id [\w-]+\): query/);
    expect(result.output).toMatch(
      /~ sync "Snowflake to Salesforce Sync" updated \(id [\w-]+\): fields/,
    );
    const { connections, models, syncs } = await inventory(emulator);
    expect(connections.map((c) => c.id).sort()).toEqual([ids.snowflake, ids.salesforce].sort());
    expect(models.map((m) => m.id)).toEqual([ids.model]);
    expect(models[0].configuration.query).toBe(EDITED_QUERY);
    expect(syncs.map((s) => s.id)).toEqual([ids.sync]);
    expect(syncs[0].fields.map((f: { target: string }) => f.target)).toEqual([
      "FirstName",
      "LastName",
      "Title",
    ]);
    expect(
      writes((await requests(emulator)).slice(before)).map((r) => `${r.method} ${r.path}`),
    ).toEqual([`PUT /api/models/${ids.model}`, `PUT /api/syncs/${ids.sync}`]);
  });

  test("a deploy from a fresh working directory (as in CI) writes only what changed", async () => {
    const description = seedStack(STACK);
    description.models![0].props.query = EDITED_QUERY;
    description.syncs![0].props.fields = [
      { source: "first_name", target: "FirstName" },
      { source: "last_name", target: "LastName" },
      { source: "top_plan", target: "Description" },
    ];
    project.write(description);
    rmSync(join(project.dir, "cdktf.out"), { recursive: true, force: true });
    const before = (await requests(emulator)).length;
    await deploy();
    expect(
      writes((await requests(emulator)).slice(before)).map((r) => `${r.method} ${r.path}`),
    ).toEqual([`PUT /api/syncs/${ids.sync}`]);
  });

  test("renaming the model plans a destroy of the old name and a create of the new one", async () => {
    const description = seedStack(STACK);
    description.models![0].props.name = "Active Users (renamed)";
    project.write(description);
    const planned = await plan();
    const planActions = actions(planned);
    expect(planActions[MODEL]).toEqual(["delete"]);
    expect(planActions["terraform_data.model_Active-Users-_28_renamed_29_"]).toEqual(["create"]);
    expect(planActions[SYNC]).toEqual(["update"]);
    expect(plannedChange(planned, SYNC).after.input.model).toBe("Active Users (renamed)");
  });

  test("deploying the rename creates the new model, repoints the sync, then deletes the old one", async () => {
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
    const planned = await plan();
    expect(actions(planned)[SYNC]).toEqual(["delete"]);
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

  test("no secret value appears in the synthesized JSON, any state or plan file, or any output", () => {
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    const texts = [
      ...project.artefacts(),
      ...outputs.map((result, index) => ({ path: `output of run ${index}`, text: result.output })),
      ...plans.map((result, index) => ({
        path: `plan ${index}`,
        text: `${result.text}${JSON.stringify(result.json)}`,
      })),
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
