// One synth, in its own process so that wall time and peak memory are its own:
//   node bench/synth-app.cjs polytomic <syncs> <outdir>
//   node bench/synth-app.cjs floor|floor-cdktf <syncs> <outdir> <sizes.json>
// `polytomic` synthesizes N syncs (N/10 models, 2 connections) with the library; `floor` as many
// bare terraform_data resources (the library's hand-written class) with provisioners carrying as
// much configuration; `floor-cdktf` the same with cdktf's DataResource, which runs
// `terraform version` once per resource.
// Prints {"maxRssKb": ...} on stdout.
const { readFileSync } = require("node:fs");
const { App, DataResource, LocalBackend, TerraformStack } = require("cdktf");

const [mode, countText, outdir, sizesFile] = process.argv.slice(2);
const syncs = Number(countText);
const app = new App({ outdir, skipValidation: false });
const stack = new TerraformStack(app, "bench");
new LocalBackend(stack, { path: "terraform.tfstate" });

if (mode === "polytomic") {
  const {
    ModelSync,
    QueryModel,
    SalesforceConnection,
    Secret,
    SnowflakeConnection,
  } = require("cdktf-polytomic");
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
    { length: Math.max(1, syncs / 10) },
    (_, i) =>
      new QueryModel(stack, `Model${i}`, {
        name: `Users region ${i}`,
        connection: snowflake,
        query: `SELECT id, email, first_name, last_name, plan, company FROM users WHERE region = 'r${i}'`,
      }),
  );
  for (let i = 0; i < syncs; i += 1) {
    const model = models[i % models.length];
    new ModelSync(stack, `Sync${i}`, {
      name: `Sync ${i}`,
      mode: "updateOrCreate",
      identity: { source: model.field("email"), target: "Email" },
      fields: [
        { source: model.field("first_name"), target: "FirstName" },
        { source: model.field("last_name"), target: "LastName" },
        { source: model.field("plan"), target: "Title" },
      ],
      schedule: { frequency: "daily", hour: i % 24, minute: 30 },
      target: { connection: salesforce, object: "Contact" },
    });
  }
} else {
  const { TerraformData } = require(process.env.BENCH_TERRAFORM_DATA);
  const Resource = mode === "floor-cdktf" ? DataResource : TerraformData;
  const sizes = JSON.parse(readFileSync(sizesFile, "utf8"));
  sizes.forEach((size, i) => {
    new Resource(stack, `Resource${i}`, {
      triggersReplace: { spec_sha256: "0".repeat(64) },
      provisioners: [
        {
          type: "local-exec",
          interpreter: ["node", "cli.cjs"],
          command: "upsert",
          environment: { SPEC: "x".repeat(size) },
        },
      ],
    });
  });
}
app.synth();
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
