/**
 * User text (names, queries, target fields) reaches the synthesized stack only inside base64, so
 * no quoting, shell or Terraform template syntax in it can change what Terraform or the shell does.
 */
import { readFileSync } from "node:fs";
import {
  ModelSync,
  QueryModel,
  SalesforceConnection,
  Secret,
  SnowflakeConnection,
} from "../../lib";
import { decodeSpec } from "../../lib/core/canonical-json";
import { SPEC_ENV } from "../../lib/core/contract";
import { newStack } from "../support/fixtures";
import type { Json } from "../support/synth";
import {
  ALLOWED_EXPRESSION,
  expressions,
  strings,
  appliesByName,
  applySpec,
  filesUnder,
  fullSynth,
  provisioners,
  resources,
} from "../support/synth";
import { validate } from "../support/terraform";

const HOSTILE = `it's "quoted" \`whoami\` $(touch /tmp/pwned) \${var.x} %{ if true }x%{ endif }\nnext line ☃ ünïcödé`;
const QUERY = `SELECT email, 'a ${HOSTILE.replace(/'/g, "''")}' AS note, "naïve ☃ $(x) \`y\` \${z}" FROM users -- \${comment} $(c)\nWHERE plan <> 'x'`;
/** Fragments that only the raw hostile text contains (lifecycle keys keep its safe characters). */
const MARKERS = [
  "`whoami`",
  "$(touch",
  "${var.x}",
  "%{",
  "☃",
  "ünïcödé",
  "it's",
  "naïve",
  "${comment}",
  "\\nnext line",
];

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

  test("appear in the synthesized stack only inside base64", () => {
    for (const marker of MARKERS) expect(text).not.toContain(marker);
    for (const value of strings(json)) {
      for (const expression of expressions(value)) expect(expression).toMatch(ALLOWED_EXPRESSION);
    }
  });

  test("round-trip byte-identical through the specs", () => {
    const applies = appliesByName(json);
    const model = applySpec(applies[`Model ${HOSTILE}`]);
    expect(model.query).toBe(QUERY);
    expect(model.columns).toEqual(["email", "note", "naïve ☃ $(x) `y` ${z}"]);
    const sync = applySpec(applies[`Sync ${HOSTILE}`]);
    expect(sync.target).toEqual({
      connection: `Salesforce ${HOSTILE}`,
      object: `Contact ${HOSTILE}`,
    });
    expect(sync.fields[0].target).toBe(`Description ${HOSTILE}`);
    expect(sync.filters[0].value).toBe(HOSTILE);
    expect(sync.override_fields[0].value).toBe(HOSTILE);
    const lifecycleNames = Object.values(
      resources(json, "terraform_data").polytomic_models.for_each as Record<
        string,
        { spec: string }
      >,
    ).map((entry) => (decodeSpec(entry.spec) as Json).name);
    expect(lifecycleNames).toEqual([`Model ${HOSTILE}`]);
  });

  test("lifecycle keys keep only safe characters", () => {
    for (const id of ["polytomic_connections", "polytomic_models", "polytomic_syncs"]) {
      for (const key of Object.keys(resources(json, "terraform_data")[id].for_each)) {
        expect(key).toMatch(/^[A-Za-z0-9 _.-]+-[0-9a-f]{8}$/);
      }
    }
  });

  test("pass terraform validate", () => {
    const result = validate(dir);
    expect(result.output).toContain("The configuration is valid");
    expect(result.status).toBe(0);
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
      expect(readFileSync(`${dir}/cdk.tf.json`, "utf8")).not.toContain("SNOWFLAKE_PASSWORD");
      const specs = Object.values(
        appliesByName(JSON.parse(readFileSync(`${dir}/cdk.tf.json`, "utf8"))),
      ).map(applySpec);
      expect(
        specs.find((spec) => spec.kind === "connection" && spec.type === "snowflake")?.secrets,
      ).toEqual({
        password: "SNOWFLAKE_PASSWORD",
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
    expect(destroyers).toHaveLength(3);
    for (const provisioner of destroyers) {
      const refs = expressions(JSON.stringify(provisioner));
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).toMatch(/^\$\{self\./);
      expect(Object.keys(provisioner.environment)).toEqual([SPEC_ENV]);
    }
  });
});
