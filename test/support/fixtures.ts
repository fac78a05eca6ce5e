/** Small builders for the seed objects, so each test states only what it varies. */
import { TerraformStack } from "cdktf";
import type { App } from "cdktf";
import type {
  IConnection,
  ModelSyncProps,
  QueryModelProps,
  SalesforceConnectionProps,
  SnowflakeConnectionProps,
} from "../../lib";
import {
  ModelSync,
  QueryModel,
  SalesforceConnection,
  Secret,
  SnowflakeConnection,
} from "../../lib";
import { testApp } from "./synth";

export const SEED_QUERY =
  "SELECT MAX(last_activity_date) AS last_activity_date, plan, first_name, last_name, email FROM users GROUP BY plan, first_name, last_name, email";

export function newStack(app: App = testApp(), id = "test"): TerraformStack {
  return new TerraformStack(app, id);
}

export function snowflake(
  stack: TerraformStack,
  overrides: Partial<SnowflakeConnectionProps> = {},
  id = "Snowflake",
) {
  return new SnowflakeConnection(stack, id, {
    name: "Snowflake Connection",
    account: "uc193736182",
    username: "user",
    dbname: "database",
    password: Secret.fromEnv("SNOWFLAKE_PASSWORD"),
    ...overrides,
  });
}

export function salesforce(
  stack: TerraformStack,
  overrides: Partial<SalesforceConnectionProps> = {},
  id = "Salesforce",
) {
  return new SalesforceConnection(stack, id, {
    name: "Salesforce Connection",
    domain: "https://example.my.salesforce.com",
    ...overrides,
  });
}

export function usersModel(
  stack: TerraformStack,
  overrides: Partial<QueryModelProps> = {},
  id = "ActiveUsers",
) {
  return new QueryModel(stack, id, {
    name: "Active Users",
    connection: overrides.connection ?? snowflake(stack),
    query: SEED_QUERY,
    ...overrides,
  });
}

/** The seed sync; `props` receives the model so overrides can reference its fields. */
export function contactsSync(
  stack: TerraformStack,
  props: (model: QueryModel) => Partial<ModelSyncProps> = () => ({}),
  options: { model?: QueryModel; target?: IConnection; id?: string } = {},
) {
  const model = options.model ?? usersModel(stack);
  return new ModelSync(stack, options.id ?? "ContactsSync", {
    name: "Snowflake to Salesforce Sync",
    mode: "create",
    identity: { source: model.field("email"), target: "Email", function: "Equality" },
    fields: [
      { source: model.field("first_name"), target: "FirstName" },
      { source: model.field("last_name"), target: "LastName" },
    ],
    schedule: { frequency: "continuous" },
    target: { connection: options.target ?? salesforce(stack), object: "Contact" },
    ...props(model),
  });
}

/** Runs `build` and returns the message of the error it throws (fails the test if none). */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a validation error, but construction succeeded");
}
