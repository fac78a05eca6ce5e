/**
 * The demo app on CDK Terrain (cdktn): the seed example of examples/snowflake-to-salesforce, with
 * App and TerraformStack from cdktn. Deploy with `npx cdktn deploy` with, in the environment:
 * POLYTOMIC_API_KEY, SNOWFLAKE_PASSWORD, and POLYTOMIC_API_URL to target the emulator or an
 * on-premises deployment. It synthesizes the same Terraform JSON as the cdktf example.
 */
import { App, TerraformStack } from "cdktn";
import {
  ModelSync,
  QueryModel,
  SalesforceConnection,
  Secret,
  SnowflakeConnection,
} from "cdktf-polytomic";

const app = new App();
const stack = new TerraformStack(app, "snowflake-to-salesforce");

const snowflake = new SnowflakeConnection(stack, "Snowflake", {
  name: "Snowflake Connection",
  account: "uc193736182",
  username: "user",
  dbname: "database",
  warehouse: "warehouse",
  password: Secret.fromEnv("SNOWFLAKE_PASSWORD"),
});

const salesforce = new SalesforceConnection(stack, "Salesforce", {
  name: "Salesforce Connection",
  domain: "https://example.my.salesforce.com",
});

const users = new QueryModel(stack, "ActiveUsers", {
  name: "Active Users",
  connection: snowflake,
  query:
    "SELECT MAX(last_activity_date) AS last_activity_date, plan, first_name, last_name, email FROM users GROUP BY plan, first_name, last_name, email",
});

new ModelSync(stack, "ContactsSync", {
  name: "Snowflake to Salesforce Sync",
  mode: "create",
  identity: { source: users.field("email"), target: "Email", function: "Equality" },
  fields: [
    { source: users.field("first_name"), target: "FirstName" },
    { source: users.field("last_name"), target: "LastName" },
  ],
  schedule: { frequency: "continuous" },
  target: { connection: salesforce, object: "Contact" },
  testRun: true,
});

app.synth();
