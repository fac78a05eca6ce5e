/**
 * End to end through cdktf deploy, a stack wired to the rest of an infra repo by Terraform values
 * (examples/terraform-values): the Snowflake account, database, warehouse and the model's table
 * come from variables set with TF_VAR_…, the password from a sensitive variable through
 * Secret.fromTerraform, and the connection and sync depend on a terraform_data resource. Polytomic
 * receives the resolved values; a changed variable updates the objects in place; the deploy step's
 * output, which Terraform hides because it carries the secret, is printed after it; the secret
 * appears nowhere.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Emulator, RunResult } from "../support/e2e";
import {
  api,
  collect,
  inventory,
  plannedActions,
  plannedChange,
  Project,
  requests,
  ROOT,
  startEmulator,
  writes,
} from "../support/e2e";
import { SNOWFLAKE_PASSWORD } from "../support/seed";

const STACK = "terraform-values";
const APP = `${join(ROOT, "node_modules", ".bin", "tsx")} ${join(ROOT, "examples", STACK, "main.ts")}`;

const variables = (overrides: Record<string, string> = {}): Record<string, string> => ({
  TF_VAR_snowflake_account: "acme-eu1",
  TF_VAR_snowflake_database: "analytics",
  TF_VAR_snowflake_warehouse: "REPORTING",
  TF_VAR_snowflake_password: SNOWFLAKE_PASSWORD,
  ...overrides,
});

function succeeded(result: RunResult): RunResult {
  if (result.status !== 0) throw new Error(`cdktf failed:\n${result.output}`);
  return result;
}

/** Terraform's saved plans hold variable values, sensitive ones included, by Terraform's design. */
const isSavedPlan = (path: string) => ["plan", "tfplan"].includes(basename(path));

describe("Terraform values in props", () => {
  let emulator: Emulator;
  let project: Project;
  const outputs: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator(["--auto-authorize"]);
    project = new Project(emulator, {}, APP);
  });
  afterAll(() => emulator.stop());

  test("reach Polytomic resolved, after the resources they depend on", async () => {
    const result = succeeded(await project.deploy(STACK, variables()));
    outputs.push(result.output);
    const { connections, models, syncs } = await inventory(emulator);
    const snowflake = connections.find((c) => c.name === "Warehouse");
    expect(snowflake.configuration).toMatchObject({
      account: "acme-eu1",
      username: "POLYTOMIC",
      dbname: "analytics",
      warehouse: "REPORTING",
    });
    expect(snowflake.status).toBe("healthy");
    expect(models.map((m) => [m.name, m.configuration.query])).toEqual([
      ["Active Users", "SELECT email, first_name, last_name FROM users WHERE plan <> 'free'"],
    ]);
    expect(syncs.map((s) => [s.name, s.schedule])).toEqual([
      ["Active Users to Contacts", { frequency: "daily", hour: "4", minute: "30" }],
    ]);

    // The connection and the sync wait for the resource they depend on.
    const json = JSON.parse(readFileSync(join(project.stackDir(STACK), "cdk.tf.json"), "utf8"))
      .resource.terraform_data;
    expect(json.connection_Warehouse.depends_on).toContain("terraform_data.polytomic_grant");
    expect(json["sync_Active-Users-to-Contacts"].depends_on).toContain(
      "terraform_data.polytomic_grant",
    );
    const granted = result.output.indexOf("polytomic_grant (polytomic_grant): Creation complete");
    expect(granted).toBeGreaterThan(-1);
    expect(granted).toBeLessThan(result.output.search(/polytomic_deploy\)?: Provisioning/));
  });

  test("the deploy step's hidden output is printed after it", () => {
    const output = outputs[0];
    expect(output).toContain("(output suppressed due to sensitive value in config)");
    const report = output.slice(output.indexOf('"report"]'));
    expect(report).toContain('+ connection "Warehouse" created (id ');
    expect(report).toContain('+ sync "Active Users to Contacts" created (id ');
    expect(report).toContain("cdktf-polytomic: 4 created, 0 updated, 0 unchanged");
  });

  test("a changed value plans as an in-place update and updates the object, keeping its id", async () => {
    const before = await inventory(emulator);
    const changed = variables({
      TF_VAR_snowflake_warehouse: "ANALYTICS_WH",
      TF_VAR_users_table: "analytics.public.users",
    });
    const plan = await project.plan(STACK, changed);
    outputs.push(plan.text);
    const actions = plannedActions(plan);
    expect(actions["terraform_data.connection_Warehouse"]).toEqual(["update"]);
    expect(actions["terraform_data.model_Active-Users"]).toEqual(["update"]);
    expect(plannedChange(plan, "terraform_data.connection_Warehouse").after.input).toMatchObject({
      warehouse: "ANALYTICS_WH",
    });
    expect(plannedChange(plan, "terraform_data.model_Active-Users").after.input.query).toBe(
      "SELECT email, first_name, last_name FROM analytics.public.users WHERE plan <> 'free'",
    );
    // What the stack's resources hold (`variables`, Terraform's echo of the inputs, aside).
    const { resource_changes, planned_values, prior_state } = plan.json;
    expect(JSON.stringify({ resource_changes, planned_values, prior_state })).not.toContain(
      SNOWFLAKE_PASSWORD,
    );

    const result = succeeded(await project.deploy(STACK, changed));
    outputs.push(result.output);
    expect(result.output).toMatch(/~ connection "Warehouse" updated \(id [\w-]+\): warehouse/);
    expect(result.output).toMatch(/~ model "Active Users" updated \(id [\w-]+\): query/);
    const after = await inventory(emulator);
    const ids = (state: typeof before) =>
      [...state.connections, ...state.models, ...state.syncs].map((o) => o.id).sort();
    expect(ids(after)).toEqual(ids(before));
    expect(after.connections.find((c) => c.name === "Warehouse").configuration.warehouse).toBe(
      "ANALYTICS_WH",
    );
    expect(after.models[0].configuration.query).toContain("FROM analytics.public.users");
  });

  test("a resolved value that breaks a synth rule fails the deploy with synth's message, writing nothing", async () => {
    const before = writes(await requests(emulator)).length;
    const result = await project.deploy(
      STACK,
      variables({ TF_VAR_users_table: "users; DROP TABLE users" }),
    );
    outputs.push(result.output);
    expect(result.status).not.toBe(0);
    expect(result.output.replace(/\s+/g, " ")).toContain(
      'QueryModel "terraform-values/ActiveUsers": query holds 2 statements',
    );
    expect(writes(await requests(emulator)).length).toBe(before);
  });

  test("a changed secret from Terraform is sent on the next deploy, with no code change", async () => {
    const rotated = "Rotated-but-not-the-warehouse-password!";
    const result = await project.deploy(STACK, variables({ TF_VAR_snowflake_password: rotated }));
    outputs.push(result.output);
    // The emulated warehouse accepts only its own password: the refusal shows the new one was sent.
    expect(result.status).not.toBe(0);
    expect(result.output.replace(/\s+/g, " ")).toMatch(
      /connection "Warehouse": PUT \/api\/connections\/[\w-]+ failed: 4\d\d/,
    );
    expect(result.output).not.toContain(rotated);
    succeeded(await project.deploy(STACK, variables()));
  });

  test("polytomic-cdktf diff finds the resolved values in the state: nothing differs", async () => {
    const result = await collect(
      spawn(process.execPath, [join(ROOT, "dist", "cli.cjs"), "diff"], {
        cwd: project.dir,
        env: project.environment(),
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    outputs.push(result.output);
    expect(result.output).toMatch(
      new RegExp(`Stack "${STACK}" \\(cdktf\\.out/stacks/${STACK}\\): \\d+ unchanged\n`),
    );
    expect(result.output).toContain("No differences");
    expect(result.status).toBe(0);
  });

  test("the secret appears in no file and no output", () => {
    for (const file of project.files().filter((path) => !isSavedPlan(path))) {
      expect({ file, leaked: readFileSync(file, "latin1").includes(SNOWFLAKE_PASSWORD) }).toEqual({
        file,
        leaked: false,
      });
    }
    for (const output of outputs) expect(output).not.toContain(SNOWFLAKE_PASSWORD);
  });
});

test("with secrets from Terraform, a Salesforce connection to authorise fails the deploy at once, naming where", async () => {
  const emulator = await startEmulator();
  try {
    const project = new Project(emulator, {}, APP);
    const first = await project.deploy(STACK, variables());
    expect(first.status).not.toBe(0);
    const output = first.output.replace(/\s+/g, " ");
    const salesforce = (await inventory(emulator)).connections.find((c) => c.name === "Salesforce");
    expect(output).toContain(
      `Salesforce connection "Salesforce" (id ${salesforce.id}) is not authorised yet: open ${emulator.url}/oauth/salesforce/${salesforce.id} in a browser to authorise it, then run cdktf deploy again`,
    );
    expect((await inventory(emulator)).syncs).toEqual([]);
    const consent = await fetch(`${emulator.url}/oauth/salesforce/${salesforce.id}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "confirm=1",
    });
    expect(consent.status).toBe(200);
    succeeded(await project.deploy(STACK, variables()));
    expect((await inventory(emulator)).syncs.map((s) => s.name)).toEqual([
      "Active Users to Contacts",
    ]);
    expect((await api(emulator, "GET", "/api/me")).status).toBe(200);
  } finally {
    await emulator.stop();
  }
});
