/**
 * User text (names, queries, target fields) appears in the synthesized stack readably, as escaped
 * literals: Terraform reads it back byte-identical, and no quoting, shell or template syntax in it
 * changes what Terraform or the shell does.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import {
  ModelSync,
  QueryModel,
  SalesforceConnection,
  Secret,
  SnowflakeConnection,
} from "../../lib";
import { newStack } from "../support/fixtures";
import type { Json } from "../support/synth";
import {
  ALLOWED_EXPRESSION,
  expressions,
  strings,
  declarationOf,
  filesUnder,
  fullSynth,
  provisioners,
  resources,
  stackFileIn,
} from "../support/synth";
import { TERRAFORM_ENV, terraform, validate } from "../support/terraform";

const HOSTILE = `it's "quoted" \`whoami\` $(touch /tmp/pwned) \${var.x} %{ if true }x%{ endif }\nnext line ☃ ünïcödé \u0600\u{110BD}`;
const QUERY = `SELECT email, 'a ${HOSTILE.replace(/'/g, "''")}' AS note, "naïve ☃ $(x) \`y\` \${z}" FROM users -- \${comment} $(c)\nWHERE plan <> 'x'`;
function hostileStack() {
  const stack = newStack();
  const snowflake = new SnowflakeConnection(stack, "Snowflake", {
    name: `Snowflake ${HOSTILE}`,
    account: "uc193736182",
    username: "user",
    dbname: "database",
    password: Secret.fromEnv("SNOWFLAKE_PASSWORD"),
  });
  const salesforce = new SalesforceConnection(stack, "Salesforce", {
    name: `Salesforce ${HOSTILE}`,
    domain: "example.my.salesforce.com",
  });
  const model = new QueryModel(stack, "Model", {
    name: `Model ${HOSTILE}`,
    connection: snowflake,
    query: QUERY,
  });
  new ModelSync(stack, "Sync", {
    name: `Sync ${HOSTILE}`,
    mode: "updateOrCreate",
    identity: { source: model.field("email"), target: "Email" },
    fields: [
      { source: model.field("note"), target: `Description ${HOSTILE}`, new: true },
      { source: model.field("naïve ☃ $(x) `y` ${z}"), target: "Title" },
    ],
    filters: [{ source: model.field("note"), function: "StringContains", value: HOSTILE }],
    overrideFields: [{ target: "LeadSource", value: HOSTILE }],
    schedule: { frequency: "manual" },
    target: { connection: salesforce, object: `Contact ${HOSTILE}` },
  });
  return stack;
}

describe("hostile strings", () => {
  const { dir, json } = fullSynth(hostileStack());
  const text = readFileSync(`${dir}/cdk.tf.json`, "utf8");

  test("appear in the synthesized stack only as escaped literals, never as expressions", () => {
    for (const value of strings(json)) {
      for (const expression of expressions(value)) expect(expression).toMatch(ALLOWED_EXPRESSION);
    }
    expect(text).toContain("$${var.x}");
    expect(text).toContain("%%{ if true }");
  });

  test("read back byte-identical by Terraform, as the plan shows them", () => {
    expect(terraform(dir, "init", "-backend=false", "-input=false", "-no-color").status).toBe(0);
    const plan = spawnSync(
      "terraform",
      ["plan", "-input=false", "-no-color", "-refresh=false", "-state=/dev/null", "-out=tfplan"],
      { cwd: dir, env: TERRAFORM_ENV, encoding: "utf8" },
    );
    expect(plan.status).toBe(0);
    const shown = JSON.parse(
      spawnSync("terraform", ["show", "-json", "tfplan"], {
        cwd: dir,
        env: TERRAFORM_ENV,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      }).stdout,
    );
    // Each declaration's input is JSON text; Terraform has read it, escapes undone.
    const inputs = Object.fromEntries(
      shown.planned_values.root_module.resources
        .filter((r: Json) => typeof r.values.triggers_replace === "string")
        .map((r: Json) => JSON.parse(r.values.input))
        .map((input: Json) => [input.name, input]),
    );
    expect(inputs[`Model ${HOSTILE}`].query).toBe(QUERY);
    expect(inputs[`Sync ${HOSTILE}`]).toMatchObject({
      target: { connection: `Salesforce ${HOSTILE}`, object: `Contact ${HOSTILE}` },
      fields: [
        { source: "note", target: `Description ${HOSTILE}`, new: true },
        { source: "naïve ☃ $(x) `y` ${z}", target: "Title" },
      ],
      filters: [{ source: "note", function: "StringContains", value: HOSTILE }],
      overrideFields: [{ target: "LeadSource", value: HOSTILE }],
    });
    expect(existsSync("/tmp/pwned")).toBe(false);
  });

  test("reach the stack file as written", () => {
    const file = stackFileIn(dir);
    const model = file.objects.find((o) => o.declaration.name === `Model ${HOSTILE}`);
    expect(model?.declaration).toMatchObject({ query: QUERY });
    expect(declarationOf(json, `Model ${HOSTILE}`).query).toContain("$${z}");
  });

  test("give Terraform addresses of safe characters only, one per name", () => {
    const addresses = Object.keys(resources(json, "terraform_data"));
    for (const address of addresses) expect(address).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  test("pass terraform validate", () => {
    expect(validate(dir)).toMatchObject({ status: 0 });
  });
});

describe("the synthesized stack", () => {
  test("holds no secret value, only the names of the variables", () => {
    const secret = "sn0wflake-Pa$$word-do-not-leak";
    const previous = process.env.SNOWFLAKE_PASSWORD;
    process.env.SNOWFLAKE_PASSWORD = secret;
    try {
      const { dir } = fullSynth(hostileStack());
      const files = filesUnder(`${dir}/..`);
      expect(files.length).toBeGreaterThan(1);
      for (const file of files) expect(readFileSync(file, "utf8")).not.toContain(secret);
      const json = JSON.parse(readFileSync(`${dir}/cdk.tf.json`, "utf8"));
      expect(declarationOf(json, `Snowflake ${HOSTILE}`).password).toEqual({
        env: "SNOWFLAKE_PASSWORD",
      });
    } finally {
      if (previous === undefined) delete process.env.SNOWFLAKE_PASSWORD;
      else process.env.SNOWFLAKE_PASSWORD = previous;
    }
  });

  test("destroy-time provisioners reference only self", () => {
    const { json } = fullSynth(hostileStack());
    const destroyers = Object.values(resources(json, "terraform_data")).flatMap((resource) =>
      provisioners(resource).filter((provisioner) => provisioner.when === "destroy"),
    );
    expect(destroyers).toHaveLength(2);
    for (const provisioner of destroyers) {
      const refs = expressions(JSON.stringify(provisioner));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toMatch(/^\$\{self\./);
    }
  });
});
