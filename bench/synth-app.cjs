// One synth, in its own process so that its time and peak memory are its own:
//   node bench/synth-app.cjs polytomic <objects> <outdir> [on-change] [edit-one] [drop-one] [lift-env-check]
//   node bench/synth-app.cjs floor <objects> <outdir> <sizes.json>
// `polytomic` declares <objects> Polytomic objects with the library (shape.cjs: 2 connections, one
// model per ten syncs): `on-change` configures reconcile "on-change", `edit-one` changes one
// sync's mapping, `drop-one` leaves one sync out, `lift-env-check` ignores the error of the
// library's environment-size check (which rejects stacks of about 1700 syncs or more though they
// fit; see RESULTS.md). `floor` synthesizes as many bare terraform_data resources whose inputs
// are strings of the JSON sizes listed in sizes.json, with the minimal class
// $BENCH_TERRAFORM_DATA exports (no validation, no provisioner, no dependency).
// Prints {"phases": {"load", "construct", "synth"}} (milliseconds of each) on stdout.
const { performance } = require("node:perf_hooks");
const { readFileSync } = require("node:fs");
const { App, LocalBackend, TerraformStack } = require("cdktf");
const { shape } = require("./shape.cjs");

const phases = {};
let phaseStarted = 0;
/** Ends the current phase under `name`; the first phase starts with the process. */
function endPhase(name) {
  const now = performance.now();
  phases[name] = Math.round(now - phaseStarted);
  phaseStarted = now;
}

const [mode, countText, outdir, ...rest] = process.argv.slice(2);
const objects = Number(countText);
const app = new App({ outdir, skipValidation: false });
const stack = new TerraformStack(app, "bench");
new LocalBackend(stack, { path: "terraform.tfstate" });

/** Ignores only the environment-size check's error, so that its cost stays in the synth. */
function liftEnvironmentCheck(construct) {
  const validations = construct.node._validations;
  for (let i = 0; i < validations.length; i += 1) {
    const original = validations[i];
    validations[i] = {
      validate: () =>
        original
          .validate()
          .filter((problem) => !problem.includes("more than the one environment variable")),
    };
  }
}

if (mode === "polytomic") {
  const variants = new Set(rest);
  const {
    ModelSync,
    PolytomicSettings,
    QueryModel,
    SalesforceConnection,
    Secret,
    SnowflakeConnection,
  } = require("cdktf-polytomic");
  endPhase("load");
  if (variants.has("on-change")) PolytomicSettings.configure(stack, { reconcile: "on-change" });
  const { models: modelCount, syncs } = shape(objects);
  const snowflake = new SnowflakeConnection(stack, "Snowflake", {
    name: "Warehouse",
    account: "uc193736182",
    username: "loader",
    dbname: "analytics",
    password: Secret.fromEnv("SNOWFLAKE_PASSWORD"),
  });
  const salesforce = new SalesforceConnection(stack, "Salesforce", {
    name: "CRM",
    domain: "crm.my.salesforce.com",
  });
  const models = Array.from(
    { length: modelCount },
    (_, i) =>
      new QueryModel(stack, `Model${i}`, {
        name: `Users region ${i}`,
        connection: snowflake,
        query: `SELECT id, email, first_name, last_name, plan, company FROM users WHERE region = 'r${i}'`,
      }),
  );
  for (let i = 0; i < syncs; i += 1) {
    // The last sync is the one `drop-one` removes, the first the one `edit-one` changes.
    if (i === syncs - 1 && variants.has("drop-one")) continue;
    const model = models[i % models.length];
    new ModelSync(stack, `Sync${i}`, {
      name: `Sync ${i}`,
      mode: "updateOrCreate",
      identity: { source: model.field("email"), target: "Email" },
      fields: [
        { source: model.field("first_name"), target: "FirstName" },
        { source: model.field("last_name"), target: "LastName" },
        {
          source: model.field(i === 0 && variants.has("edit-one") ? "company" : "plan"),
          target: "Title",
        },
      ],
      schedule: { frequency: "daily", hour: i % 24, minute: 30 },
      target: { connection: salesforce, object: "Contact" },
    });
  }
  if (variants.has("lift-env-check")) {
    const polytomic = stack.node.tryFindChild("Polytomic");
    if (!polytomic) throw new Error("the stack has no Polytomic construct");
    liftEnvironmentCheck(polytomic);
  }
} else if (mode === "floor") {
  const { frameworkOf, resourceClasses } = require(process.env.BENCH_TERRAFORM_DATA);
  const { TerraformData } = resourceClasses(frameworkOf(stack).framework);
  const sizes = JSON.parse(readFileSync(rest[0], "utf8"));
  endPhase("load");
  sizes.slice(0, objects).forEach((size, i) => {
    new TerraformData(stack, `r${i}`, { input: "x".repeat(Math.max(0, size - 2)) });
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
endPhase("construct");
app.synth();
endPhase("synth");
process.stdout.write(JSON.stringify({ phases }));
