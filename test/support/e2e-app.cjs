// A cdktf app for end-to-end tests, built from a JSON description (the file named by
// POLYTOMIC_E2E_STACK) so that a test can change "the code" between deploys. It uses the built
// package, as a user's app would.
const { readFileSync } = require("node:fs");
const { App, TerraformStack } = require("cdktf");
const polytomic = require("cdktf-polytomic");

const description = JSON.parse(readFileSync(process.env.POLYTOMIC_E2E_STACK, "utf8"));
const app = new App();
const stack = new TerraformStack(app, description.stack);
if (description.settings) polytomic.PolytomicSettings.configure(stack, description.settings);

/** `{ "secretEnv": "NAME" }` becomes Secret.fromEnv("NAME"). */
function withSecrets(props) {
  return Object.fromEntries(
    Object.entries(props).map(([key, value]) => [
      key,
      value && typeof value === "object" && "secretEnv" in value
        ? polytomic.Secret.fromEnv(value.secretEnv)
        : value,
    ]),
  );
}

const objects = {};
for (const { id, type, props } of description.connections ?? []) {
  const Construct =
    type === "snowflake" ? polytomic.SnowflakeConnection : polytomic.SalesforceConnection;
  objects[id] = props.imported
    ? Construct.fromConnectionName(stack, id, props.name)
    : new Construct(stack, id, withSecrets(props));
}
for (const { id, connection, props } of description.models ?? []) {
  objects[id] = new polytomic.QueryModel(stack, id, { ...props, connection: objects[connection] });
}
for (const { id, model, target, props } of description.syncs ?? []) {
  const m = objects[model];
  const source = (entry) => ({ ...entry, source: m.field(entry.source) });
  const schedule = props.schedule.runAfter
    ? { ...props.schedule, runAfter: props.schedule.runAfter.map((other) => objects[other]) }
    : props.schedule;
  objects[id] = new polytomic.ModelSync(stack, id, {
    ...props,
    identity: props.identity && source(props.identity),
    fields: props.fields.map(source),
    filters: props.filters && props.filters.map(source),
    schedule,
    target: { connection: objects[target.connection], object: target.object },
  });
}
app.synth();
