/**
 * Terraform values (tokens) in props at synth: every prop but `name` may be one; the declaration
 * shows it as the Terraform expression it is, the deploy step receives its value, and synth still
 * checks what is concrete (a query whose table is a variable still has its SELECT list checked).
 */
import type { TerraformStack } from "cdktf";
import { TerraformVariable, Token } from "cdktf";
import { ModelSync, QueryModel, Secret } from "../../lib";
import { VALUES_ENV, SECRETS_ENV } from "../../lib/core/contract";
import { errorOf, newStack, salesforce, snowflake, usersModel } from "../support/fixtures";
import type { Json } from "../support/synth";
import {
  declarationOf,
  fullSynth,
  provisioners,
  resources,
  stackFileIn,
  synthJson,
} from "../support/synth";

const text = (stack: TerraformStack, name: string) =>
  new TerraformVariable(stack, name, { type: "string" }).stringValue;
const number = (stack: TerraformStack, name: string) =>
  new TerraformVariable(stack, name, { type: "number" }).numberValue;

const deployStep = (json: Json) => resources(json, "terraform_data").polytomic_deploy;

test("connection props of every kind take Terraform values, shown as expressions in the plan", () => {
  const stack = newStack();
  snowflake(stack, {
    account: text(stack, "account"),
    username: text(stack, "username"),
    dbname: text(stack, "dbname"),
    warehouse: text(stack, "warehouse"),
    params: `role=${text(stack, "role")}`,
  });
  salesforce(stack, {
    domain: text(stack, "domain"),
    redirectUrl: text(stack, "redirect"),
  });
  const json = synthJson(stack);
  expect(declarationOf(json, "Snowflake Connection")).toMatchObject({
    account: "${var.account}",
    username: "${var.username}",
    dbname: "${var.dbname}",
    warehouse: "${var.warehouse}",
    params: "role=${var.role}",
  });
  expect(declarationOf(json, "Salesforce Connection")).toMatchObject({
    domain: "${var.domain}",
    redirectUrl: "${var.redirect}",
  });
  // The deploy step receives each value, in the order of the stack file's placeholders.
  expect(provisioners(deployStep(json))[0].environment[VALUES_ENV]).toBe(
    "${jsonencode([var.account, var.username, var.dbname, var.warehouse, var.role, var.domain, var.redirect])}",
  );
});

test("sync props take Terraform values: target object, field targets, identity, schedule numbers", () => {
  const stack = newStack();
  const model = usersModel(stack);
  new ModelSync(stack, "Sync", {
    name: "Sync",
    mode: "update",
    identity: { source: model.field("email"), target: text(stack, "identity_target") },
    fields: [{ source: model.field("first_name"), target: text(stack, "first_name_field") }],
    schedule: { frequency: "daily", hour: number(stack, "hour"), minute: number(stack, "minute") },
    target: { connection: salesforce(stack), object: text(stack, "object") },
    active: new TerraformVariable(stack, "active", { type: "bool" }).booleanValue,
  });
  const declaration = declarationOf(synthJson(stack), "Sync");
  expect(declaration).toMatchObject({
    identity: { source: "email", target: "${var.identity_target}" },
    fields: [{ source: "first_name", target: "${var.first_name_field}" }],
    schedule: { frequency: "daily", hour: "${var.hour}", minute: "${var.minute}" },
    target: { object: "${var.object}" },
    active: "${var.active}",
  });
});

test("a query with a Terraform value in FROM or WHERE still derives its columns", () => {
  const stack = newStack();
  const table = text(stack, "table");
  const plan = text(stack, "plan");
  const model = usersModel(stack, {
    query: `SELECT email, first_name FROM ${table} WHERE plan = '${plan}' LIMIT ${Token.asString(number(stack, "limit"))}`,
  });
  expect(model.columns).toEqual(["email", "first_name"]);
  expect(errorOf(() => model.field("emial"))).toContain('Did you mean "email"?');
  const { dir, json } = fullSynth(stack);
  expect(declarationOf(json, "Active Users").query).toBe(
    "SELECT email, first_name FROM ${var.table} WHERE plan = '${var.plan}' LIMIT ${var.limit}",
  );
  const [object] = stackFileIn(dir).objects.filter((o) => o.declaration.kind === "model");
  expect((object.declaration as { query: unknown }).query).toEqual({
    $concat: [
      "SELECT email, first_name FROM ",
      { $value: 0 },
      " WHERE plan = '",
      { $value: 1 },
      "' LIMIT ",
      { $value: 2 },
    ],
  });
});

test("a number written into text without Token.asString is refused, with the fix", () => {
  const stack = newStack();
  const limit = number(stack, "limit");
  const message = errorOf(() =>
    usersModel(stack, { query: `SELECT email FROM users LIMIT ${limit}` }),
  );
  expect(message).toContain(
    'QueryModel "test/ActiveUsers": query holds a Terraform number written into the text with ${…}',
  );
  expect(message).toContain("Token.asString(limit.numberValue)");
});

test("a SELECT list that depends on a Terraform value needs declared columns", () => {
  const stack = newStack();
  const column = text(stack, "column");
  const message = errorOf(() => usersModel(stack, { query: `SELECT ${column}, email FROM users` }));
  expect(message).toContain(
    'QueryModel "test/ActiveUsers": query has a SELECT list that depends on a Terraform value, so its columns are not known before apply',
  );
  expect(message).toContain('declare its output with columns: ["id", "email", ...]');
  const other = newStack();
  const declared = new QueryModel(other, "Declared", {
    name: "Declared",
    connection: snowflake(other),
    query: `SELECT ${text(other, "other")}, email FROM users`,
    columns: ["plan", "email"],
  });
  expect(declared.columns).toEqual(["plan", "email"]);
});

test("concrete parts are still validated beside a Terraform value", () => {
  const stack = newStack();
  const message = errorOf(() =>
    usersModel(stack, { query: `DELETE FROM ${text(stack, "table")}` }),
  );
  expect(message).toContain("query is a DELETE statement; a model's query must be a SELECT");
  const schedule = errorOf(
    () =>
      new ModelSync(stack, "Sync", {
        name: "Sync",
        mode: "create",
        fields: [{ source: usersModel(newStack()).field("email"), target: "Email" }],
        schedule: { frequency: "daily", hour: 24, minute: number(stack, "minute") },
        target: { connection: salesforce(stack), object: "Contact" },
      }),
  );
  expect(schedule).toContain("schedule.hour must be a whole number from 0 to 23 (received 24)");
});

test("Secret.fromTerraform reaches only the deploy step's environment, never a declaration", () => {
  const stack = newStack();
  const password = new TerraformVariable(stack, "password", { type: "string", sensitive: true });
  snowflake(stack, { password: Secret.fromTerraform(password.stringValue) });
  const { dir, json } = fullSynth(stack);
  const declaration = declarationOf(json, "Snowflake Connection");
  expect(declaration.password).toEqual({ terraform: 0, expression: "Terraform value #0" });
  const [deploy, report] = provisioners(deployStep(json));
  expect(deploy.environment[SECRETS_ENV]).toBe("${jsonencode([var.password])}");
  // Terraform hides the deploy step's output: a second provisioner without secrets prints it.
  expect(report.command).toBe("report");
  expect(JSON.stringify(report.environment)).not.toContain("var.password");
  const elsewhere = JSON.stringify({ ...json, resource: undefined });
  expect(elsewhere).not.toContain("var.password");
  const everywhereButTheStep = JSON.stringify(
    Object.entries(resources(json, "terraform_data")).filter(([id]) => id !== "polytomic_deploy"),
  );
  expect(everywhereButTheStep).not.toContain("var.password");
  const [connection] = stackFileIn(dir).objects;
  expect((connection.declaration as { password: unknown }).password).toEqual({
    terraform: 0,
    expression: "var.password",
  });
});

test("a stack without secrets from Terraform has no report step", () => {
  const stack = newStack();
  snowflake(stack);
  expect(provisioners(deployStep(synthJson(stack))).map((p) => p.command)).toEqual(["deploy"]);
});
