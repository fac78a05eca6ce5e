/**
 * A stack wired to the rest of an infra repo by Terraform values: the Snowflake account, database,
 * warehouse and table come from variables, the password from a sensitive variable, and the
 * connection and sync wait for the resource that grants Polytomic its access. In a real repo those
 * would be Snowflake provider resources (`database.name`, `user.name`, a `random_password`); here
 * `terraform_data` stands for the grant, so the example runs with no provider to download.
 *
 * Deploy with the variables set, e.g.
 *   TF_VAR_snowflake_account=… TF_VAR_snowflake_database=… TF_VAR_snowflake_warehouse=… \
 *   TF_VAR_snowflake_password=… cdktf deploy terraform-values
 */
import { App, DataResource, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import {
  ModelSync,
  QueryModel,
  SalesforceConnection,
  Secret,
  SnowflakeConnection,
} from "cdktf-polytomic";

const app = new App();
const stack = new TerraformStack(app, "terraform-values");

const variable = (name: string, description: string, sensitive = false) =>
  new TerraformVariable(stack, name, { type: "string", description, sensitive });
const account = variable("snowflake_account", "Snowflake account identifier");
const database = variable("snowflake_database", "database Polytomic reads");
const warehouse = variable("snowflake_warehouse", "warehouse Polytomic's queries run on");
const password = variable("snowflake_password", "password of the POLYTOMIC user", true);
const table = new TerraformVariable(stack, "users_table", {
  type: "string",
  default: "users",
  description: "table the Active Users model reads",
});

// Stands for the Snowflake user and grants Polytomic needs (snowflake_user, snowflake_grant_…).
const grant = new DataResource(stack, "polytomic_grant", {
  input: { database: database.stringValue, user: "POLYTOMIC" },
});

const snowflake = new SnowflakeConnection(stack, "Snowflake", {
  name: "Warehouse",
  account: account.stringValue,
  username: "POLYTOMIC",
  dbname: database.stringValue,
  warehouse: warehouse.stringValue,
  password: Secret.fromTerraform(password.stringValue),
  dependsOn: [grant],
});

const salesforce = new SalesforceConnection(stack, "Salesforce", {
  name: "Salesforce",
  domain: "https://example.my.salesforce.com",
});

// The table is a Terraform value; the SELECT list is not, so synth still derives the columns.
const users = new QueryModel(stack, "ActiveUsers", {
  name: "Active Users",
  connection: snowflake,
  query: `SELECT email, first_name, last_name FROM ${table.stringValue} WHERE plan <> 'free'`,
});

new ModelSync(stack, "Contacts", {
  name: "Active Users to Contacts",
  mode: "create",
  fields: [
    { source: users.field("email"), target: "Email" },
    { source: users.field("first_name"), target: "FirstName" },
    { source: users.field("last_name"), target: "LastName" },
  ],
  schedule: { frequency: "daily", hour: 4, minute: 30 },
  target: { connection: salesforce, object: "Contact" },
  dependsOn: [grant],
});

// Names are known at synth; Polytomic's ids are not Terraform values (see the README).
new TerraformOutput(stack, "model_name", { value: users.modelName });

app.synth();
