/**
 * A newcomer's mistakes at synth, each refused with a message naming the construct, the prop, the
 * value (never a secret's) and the fix: a typo that came through an object spread on every
 * construct, a query that writes although `columns` is declared, a credential in `params`, and
 * errors that read as one message each when Node prints them.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PolytomicSettings, PolytomicValidationError } from "../../lib";
import {
  contactsSync,
  errorOf,
  newStack,
  salesforce,
  snowflake,
  usersModel,
} from "../support/fixtures";

describe("a prop key the construct does not know (a typo through an object spread)", () => {
  // Spreads defeat TypeScript's excess-property check, which is how such typos reach synth.
  const typo = <T extends object>(props: T): T => ({ ...props });

  test.each([
    [
      "SnowflakeConnection",
      () => snowflake(newStack(), typo({ dbname: "database", warehose: "COMPUTE_WH" })),
      'SnowflakeConnection "test/Snowflake": warehose is not a prop of SnowflakeConnection (received (a value not shown)). Did you mean "warehouse"?',
    ],
    [
      "SalesforceConnection",
      () =>
        salesforce(newStack(), typo({ domain: "example.my.salesforce.com", connetMode: "api" })),
      'SalesforceConnection "test/Salesforce": connetMode is not a prop of SalesforceConnection (received (a value not shown)). Did you mean "connectMode"?',
    ],
    [
      "QueryModel",
      () => usersModel(newStack(), typo({ name: "Active Users", colums: ["email"] })),
      'QueryModel "test/ActiveUsers": colums is not a prop of QueryModel (received (a value not shown)). Did you mean "columns"?',
    ],
    [
      "ModelSync",
      () =>
        contactsSync(newStack(), () => typo({ name: "Contacts", shedule: { frequency: "daily" } })),
      'ModelSync "test/ContactsSync": shedule is not a prop of ModelSync (received (a value not shown)). Did you mean "schedule"?',
    ],
    [
      "ModelSync, inside a nested prop",
      () =>
        contactsSync(newStack(), () => ({
          schedule: typo({ frequency: "daily", hour: 4, minut: 30 }) as never,
        })),
      'ModelSync "test/ContactsSync": schedule.minut is not a prop of ModelSync schedule (received (a value not shown)). Did you mean "minute"?',
    ],
    [
      "ModelSync, inside a list item",
      () =>
        contactsSync(newStack(), (model) => ({
          fields: [typo({ source: model.field("first_name"), target: "FirstName", nwe: true })],
        })),
      'ModelSync "test/ContactsSync": fields[0].nwe is not a prop of ModelSync fields[0] (received (a value not shown)). Did you mean "new"?',
    ],
    [
      "PolytomicSettings.configure",
      () =>
        PolytomicSettings.configure(
          newStack(),
          typo({ engine: "terraform_data" as const, apiUrll: "https://x.test" }),
        ),
      'apiUrll is not a prop of PolytomicSettings (received (a value not shown)). Did you mean "apiUrl"?',
    ],
  ])("%s", (_construct, build, expected) => {
    expect(errorOf(build)).toContain(expected);
  });
});

describe("SELECT only, also when columns are declared", () => {
  test.each([
    ["DELETE FROM users", "is a DELETE statement"],
    ["SELECT email FROM users; DROP TABLE users", "holds 2 statements"],
    ["CALL purge_all_customers()", "is a CALL statement"],
  ])("%j is refused with columns declared", (query, problem) => {
    const message = errorOf(() => usersModel(newStack(), { query, columns: ["email"] }));
    expect(message).toContain(`QueryModel "test/ActiveUsers": query ${problem}`);
    expect(message).toContain(`(received ${JSON.stringify(query)})`);
    expect(message).toContain(
      "Write the query as one Snowflake SELECT statement: a model only reads.",
    );
  });

  test("a SELECT the parser cannot read still synthesizes with columns declared", () => {
    const model = usersModel(newStack(), {
      query:
        "SELECT email FROM users MATCH_RECOGNIZE (ONE ROW PER MATCH PATTERN (a) DEFINE a AS TRUE)",
      columns: ["email"],
    });
    expect(model.columns).toEqual(["email"]);
  });
});

describe("SnowflakeConnection.params holding a credential", () => {
  test.each([
    ["password=Tr0ub4dor&3", "password"],
    ["role=ANALYST&private_key_file=/keys/rsa.p8", "private_key_file"],
    ["token=ghp_abcdefghijklmnop", "token"],
  ])("%j is refused, pointing at the Secret props, without the value", (params, key) => {
    const message = errorOf(() => snowflake(newStack(), { params }));
    expect(message).toContain(
      `SnowflakeConnection "test/Snowflake": params carries a credential, which would be stored in the plan and the Terraform state (received "a query string setting ${key}=…"). Remove it from params and pass it as a Secret: password, privateKey or privateKeyPassphrase`,
    );
    expect(message).not.toContain(params.split("=").pop());
  });

  test("parameters that are not credentials pass", () => {
    expect(() => snowflake(newStack(), { params: "role=ANALYST&tokenizer=x" })).not.toThrow();
  });
});

describe("errors at synth read cleanly", () => {
  test("the error's issues stay available to code, but are not printed as a dump", () => {
    let caught: unknown;
    try {
      snowflake(newStack(), { account: "https://x.snowflakecomputing.com", username: "" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolytomicValidationError);
    const error = caught as PolytomicValidationError;
    expect(error.subject).toBe('SnowflakeConnection "test/Snowflake"');
    expect(error.issues.map((issue) => issue.property)).toEqual(["account", "username"]);
  });

  test("an app that fails synth prints each problem once, with no dump of issue objects", () => {
    const library = join(__dirname, "..", "..", "dist", "lib", "index.js");
    const app = `
      const { App, TerraformStack } = require("cdktf");
      const { SnowflakeConnection, Secret } = require(${JSON.stringify(library)});
      const stack = new TerraformStack(new App({ outdir: require("os").tmpdir() }), "app");
      new SnowflakeConnection(stack, "Warehouse", {
        name: "Warehouse", account: "https://x.snowflakecomputing.com", username: "",
        dbname: "db", password: Secret.fromEnv("SNOWFLAKE_PASSWORD"),
      });`;
    const run = spawnSync(process.execPath, ["-e", app], {
      cwd: join(__dirname, "..", ".."),
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    const account =
      'SnowflakeConnection "app/Warehouse": account is not a Snowflake account identifier';
    const username = 'SnowflakeConnection "app/Warehouse": username';
    expect(run.stderr.split(account)).toHaveLength(2);
    expect(run.stderr.split(username)).toHaveLength(2);
    expect(run.stderr).not.toMatch(/issues:|property:|problem:|subject:/);
    // The trace keeps the app's own line, not the library's or Node's frames.
    expect(run.stderr).toMatch(/\n\s+at \[eval\]:\d+:\d+/);
    expect(run.stderr).not.toMatch(/at (IssueCollector|new OwnedConnection|Module\._compile)/);
  });
});
