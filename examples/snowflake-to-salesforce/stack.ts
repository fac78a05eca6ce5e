/**
 * Polytomic's own example as a cdktf stack: a Snowflake query ("Active Users") synced into
 * Salesforce Contact, matching on email and mapping first and last name, on a continuous schedule.
 * The deploy tests the sync before it counts as done (testRun).
 */
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { PolytomicSettingsProps } from "cdktf-polytomic";
import {
  ModelSync,
  PolytomicSettings,
  QueryModel,
  SalesforceConnection,
  Secret,
  SnowflakeConnection,
} from "cdktf-polytomic";

export interface SnowflakeToSalesforceProps {
  /** Stack-wide Polytomic settings (API URL, engine…); defaults suit app.polytomic.com. */
  readonly polytomic?: PolytomicSettingsProps;
}

export class SnowflakeToSalesforce extends TerraformStack {
  constructor(scope: Construct, id: string, props: SnowflakeToSalesforceProps = {}) {
    super(scope, id);
    if (props.polytomic) PolytomicSettings.configure(this, props.polytomic);

    const snowflake = new SnowflakeConnection(this, "Snowflake", {
      name: "Snowflake Connection",
      account: "uc193736182",
      username: "user",
      dbname: "database",
      warehouse: "warehouse",
      password: Secret.fromEnv("SNOWFLAKE_PASSWORD"),
    });

    const salesforce = new SalesforceConnection(this, "Salesforce", {
      name: "Salesforce Connection",
      domain: "https://example.my.salesforce.com",
    });

    const users = new QueryModel(this, "ActiveUsers", {
      name: "Active Users",
      connection: snowflake,
      query:
        "SELECT MAX(last_activity_date) AS last_activity_date, plan, first_name, last_name, email FROM users GROUP BY plan, first_name, last_name, email",
    });

    new ModelSync(this, "ContactsSync", {
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
  }
}
