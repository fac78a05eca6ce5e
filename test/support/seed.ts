/** The seed example as an end-to-end stack description (see examples/snowflake-to-salesforce). */
import type { StackDescription } from "./e2e";
import { SEED_QUERY } from "./fixtures";

export const SNOWFLAKE_PASSWORD = "Sn0wflake-e2e-secret-Value!";

export function seedStack(stack = "e2e"): StackDescription {
  return {
    stack,
    connections: [
      {
        id: "Snowflake",
        type: "snowflake",
        props: {
          name: "Snowflake Connection",
          account: "uc193736182",
          username: "user",
          dbname: "database",
          warehouse: "warehouse",
          password: { secretEnv: "SNOWFLAKE_PASSWORD" },
        },
      },
      {
        id: "Salesforce",
        type: "salesforce",
        props: { name: "Salesforce Connection", domain: "https://example.my.salesforce.com" },
      },
    ],
    models: [
      {
        id: "ActiveUsers",
        connection: "Snowflake",
        props: { name: "Active Users", query: SEED_QUERY },
      },
    ],
    syncs: [
      {
        id: "ContactsSync",
        model: "ActiveUsers",
        target: { connection: "Salesforce", object: "Contact" },
        props: {
          name: "Snowflake to Salesforce Sync",
          mode: "create",
          identity: { source: "email", target: "Email", function: "Equality" },
          fields: [
            { source: "first_name", target: "FirstName" },
            { source: "last_name", target: "LastName" },
          ],
          schedule: { frequency: "continuous" },
        },
      },
    ],
  };
}
