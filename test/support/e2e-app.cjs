// A cdktf app for end-to-end tests, built from a JSON description (the file named by
// POLYTOMIC_E2E_STACK) so that a test can change "the code" between deploys. It uses the built
// package, as a user's app would. The description is one stack, or `{ "stacks": [...] }`; objects
// are referred to by id, across stacks too. POLYTOMIC_E2E_FRAMEWORK=cdktn makes it a CDK Terrain
// app (test/support/cdktn.ts copies it where cdktn resolves).
const { readFileSync } = require("node:fs");
const { App, HttpBackend, TerraformStack, TerraformVariable } = require(
  process.env.POLYTOMIC_E2E_FRAMEWORK || "cdktf",
);
const polytomic = require("cdktf-polytomic");

const description = JSON.parse(readFileSync(process.env.POLYTOMIC_E2E_STACK, "utf8"));
const app = new App();
const objects = {};

/**
 * `{ "secretEnv": "NAME" }` becomes Secret.fromEnv("NAME"), `{ "secretVar": "name" }`
 * Secret.fromTerraform of a sensitive variable, `{ "var": "name" }` a variable's value, and
 * `{ "template": ["text ", { "var": "name" }, " text"] }` a string around variables.
 */
function valueOf(stack, value) {
  if (Array.isArray(value)) return value.map((item) => valueOf(stack, item));
  if (!value || typeof value !== "object") return value;
  if ("secretEnv" in value) return polytomic.Secret.fromEnv(value.secretEnv);
  if ("secretVar" in value)
    return polytomic.Secret.fromTerraform(variable(stack, value.secretVar, true).stringValue);
  if ("var" in value) {
    const v = variable(stack, value.var, false, value.type);
    return value.type === "number" ? v.numberValue : v.stringValue;
  }
  if ("template" in value)
    return value.template
      .map((part) => (typeof part === "string" ? part : valueOf(stack, part)))
      .join("");
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, valueOf(stack, v)]));
}

function variable(stack, name, sensitive, type = "string") {
  return (
    stack.node.tryFindChild(`var-${name}`) ??
    new TerraformVariable(stack, `var-${name}`, { type, sensitive })
  );
}

function build(spec) {
  const stack = new TerraformStack(app, spec.stack);
  if (spec.httpBackend) new HttpBackend(stack, { address: spec.httpBackend });
  if (spec.settings) polytomic.PolytomicSettings.configure(stack, spec.settings);
  for (const { id, type, props } of spec.connections ?? []) {
    const Construct =
      type === "snowflake" ? polytomic.SnowflakeConnection : polytomic.SalesforceConnection;
    objects[id] = props.imported
      ? Construct.fromConnectionName(stack, id, props.name)
      : new Construct(stack, id, valueOf(stack, props));
  }
  for (const { id, connection, props } of spec.models ?? []) {
    objects[id] = new polytomic.QueryModel(stack, id, {
      ...valueOf(stack, props),
      connection: objects[connection],
    });
  }
  for (const { id, model, target, props } of spec.syncs ?? []) {
    const m = objects[model];
    const resolved = valueOf(stack, props);
    const source = (entry) => ({ ...entry, source: m.field(entry.source) });
    const schedule = resolved.schedule.runAfter
      ? {
          ...resolved.schedule,
          runAfter: resolved.schedule.runAfter.map((other) => objects[other]),
        }
      : resolved.schedule;
    objects[id] = new polytomic.ModelSync(stack, id, {
      ...resolved,
      identity: resolved.identity && source(resolved.identity),
      fields: resolved.fields.map(source),
      filters: resolved.filters && resolved.filters.map(source),
      schedule,
      target: { connection: objects[target.connection], object: valueOf(stack, target.object) },
    });
  }
}

for (const spec of description.stacks ?? [description]) build(spec);
app.synth();
