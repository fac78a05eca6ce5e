/**
 * Synth-time validation: each rule has a failing input here, and each message names the construct
 * path, the property, the value received and the fix.
 */
import { TerraformVariable, Testing } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { ModelSync, PolytomicSettings, QueryModel, Secret, SnowflakeConnection } from "../../lib";
import { MAX_ENV_STRING_BYTES } from "../../lib/core/contract";
import {
  contactsSync,
  errorOf,
  newStack,
  salesforce,
  snowflake,
  usersModel,
} from "../support/fixtures";
import { declarationOf, synthJson, testApp } from "../support/synth";

describe("model columns and sync sources", () => {
  test("model.field() throws at once for an unknown column and suggests the nearest", () => {
    const model = usersModel(newStack());
    const message = errorOf(() => model.field("emial"));
    expect(message).toContain(
      'QueryModel "test/ActiveUsers": field("emial") names no column of model "Active Users"',
    );
    expect(message).toContain('(received "emial")');
    expect(message).toContain('Did you mean "email"?');
  });

  test("a sync's sources must all come from one model", () => {
    const stack = newStack();
    const users = usersModel(stack);
    const other = new QueryModel(stack, "Other", {
      name: "Other",
      connection: snowflake(stack, { name: "S2" }, "S2"),
      query: "SELECT email, country FROM accounts",
    });
    const message = errorOf(() =>
      contactsSync(
        stack,
        () => ({
          filters: [{ source: other.field("country"), function: "Equality", value: "FR" }],
        }),
        { model: users },
      ),
    );
    expect(message).toContain(
      'ModelSync "test/ContactsSync": filters[0].source comes from model "Other", but the sync reads "Active Users"',
    );
    expect(message).toContain("a sync reads one model");
  });

  test("a source that is not a model field is refused", () => {
    const message = errorOf(() =>
      contactsSync(newStack(), () => ({
        fields: [{ source: "email" as never, target: "Email2" }],
      })),
    );
    expect(message).toContain('fields[0].source is not a model field (received "email")');
    expect(message).toContain('Pass model.field("column")');
  });

  test("a forged field reference naming a missing column is refused with a suggestion", () => {
    const stack = newStack();
    const model = usersModel(stack);
    const message = errorOf(() =>
      contactsSync(
        stack,
        () => ({ identity: { source: { model, name: "emails" }, target: "Email" } }),
        { model },
      ),
    );
    expect(message).toContain(
      'identity.source is not a column of model "Active Users" (received "emails"). Did you mean "email"?',
    );
  });
});

describe("sync rules", () => {
  test.each(["update", "updateOrCreate", "remove"] as const)(
    "identity is required for mode %s",
    (mode) => {
      const message = errorOf(() =>
        contactsSync(newStack(), () => ({ mode, identity: undefined })),
      );
      expect(message).toContain(`identity is required for mode "${mode}"`);
      expect(message).toContain("Add identity:");
    },
  );

  test.each(["create", "replace", "append"] as const)("mode %s needs no identity", (mode) => {
    expect(() => contactsSync(newStack(), () => ({ mode, identity: undefined }))).not.toThrow();
  });

  test("an unknown mode is refused with a suggestion", () => {
    const message = errorOf(() => contactsSync(newStack(), () => ({ mode: "upsert" as never })));
    expect(message).toContain('mode is not a sync mode (received "upsert")');
    expect(message).toContain('"updateOrCreate"');
  });

  test("an unknown identity function is refused", () => {
    const message = errorOf(() =>
      contactsSync(newStack(), (m) => ({
        identity: { source: m.field("email"), target: "Email", function: "equality" as never },
      })),
    );
    expect(message).toContain(
      'identity.function is not an identity function (received "equality"). Did you mean "Equality"?',
    );
  });

  test("fields may be empty only for remove", () => {
    expect(errorOf(() => contactsSync(newStack(), () => ({ fields: [] })))).toContain(
      "fields is empty",
    );
    expect(() => contactsSync(newStack(), () => ({ mode: "remove", fields: [] }))).not.toThrow();
  });

  test("two mappings to one target, or a field mapped onto the identity target, are refused", () => {
    expect(
      errorOf(() =>
        contactsSync(newStack(), (m) => ({
          fields: [
            { source: m.field("first_name"), target: "FirstName" },
            { source: m.field("plan"), target: "FirstName" },
          ],
        })),
      ),
    ).toContain('fields map more than one value to the same target field (received "FirstName")');
    expect(
      errorOf(() =>
        contactsSync(newStack(), (m) => ({
          fields: [{ source: m.field("email"), target: "Email" }],
        })),
      ),
    ).toContain('fields map a field to the identity\'s target field too (received "Email")');
  });

  test("filters: known functions, values where needed, none where not", () => {
    const message = errorOf(() =>
      contactsSync(newStack(), (m) => ({
        filters: [
          { source: m.field("plan"), function: "Equals" as never, value: "pro" },
          { source: m.field("plan"), function: "Equality" },
          { source: m.field("plan"), function: "IsNull", value: "x" },
          { source: m.field("plan"), function: "Between", value: 3 },
          { source: m.field("plan"), function: "StringOneOf", value: [] },
        ],
      })),
    );
    expect(message).toContain('filters[0].function is not a filter function (received "Equals")');
    expect(message).toContain("filters[1].value does not fit: Equality needs a value");
    expect(message).toContain(
      'filters[2].value does not fit: IsNull takes no value (received "x")',
    );
    expect(message).toContain(
      "filters[3].value does not fit: Between needs an array of two bounds (received 3)",
    );
    expect(message).toContain(
      "filters[4].value does not fit: StringOneOf needs a non-empty array of strings",
    );
  });

  test("filter logic must use existing labels and be well formed", () => {
    const withLogic = (filterLogic: string) =>
      errorOf(() =>
        contactsSync(newStack(), (m) => ({
          filters: [
            { source: m.field("plan"), function: "Equality", value: "pro" },
            { source: m.field("email"), function: "IsNotNull" },
          ],
          filterLogic,
        })),
      );
    expect(withLogic("A AND C")).toContain(
      'filterLogic refers to C, which is not a filter label (labels: A, B) (received "A AND C")',
    );
    expect(withLogic("A AND (B")).toContain("has a parenthesis that is not closed");
    expect(withLogic("A B")).toContain("has an unexpected B");
    expect(withLogic("A & B")).toContain("has an unexpected character at position 3");
    expect(() =>
      contactsSync(newStack(), (m) => ({
        filters: [
          { source: m.field("plan"), function: "Equality", value: "pro" },
          { source: m.field("email"), function: "IsNotNull" },
        ],
        filterLogic: "A OR (B AND A)",
      })),
    ).not.toThrow();
  });

  test("a per-field sync mode applies only to update and updateOrCreate syncs", () => {
    const fields = (m: QueryModel) => [
      { source: m.field("first_name"), target: "FirstName", syncMode: "create" as const },
    ];
    expect(errorOf(() => contactsSync(newStack(), (m) => ({ fields: fields(m) })))).toContain(
      'fields[0].syncMode does not apply to mode "create" (received "create")',
    );
    expect(() =>
      contactsSync(newStack(), (m) => ({ mode: "updateOrCreate", fields: fields(m) })),
    ).not.toThrow();
  });

  test("override values must be constants", () => {
    expect(
      errorOf(() =>
        contactsSync(newStack(), () => ({
          overrideFields: [{ target: "LeadSource", value: { a: 1 } as never }],
        })),
      ),
    ).toContain("overrideFields[0].value must be a string, number or boolean");
  });

  test("the target object is required", () => {
    const stack = newStack();
    expect(
      errorOf(() =>
        contactsSync(stack, () => ({
          target: { connection: salesforce(stack, { name: "S" }, "S"), object: " " },
        })),
      ),
    ).toContain('target.object is blank (received " ")');
  });
});

describe("schedules", () => {
  const withSchedule = (schedule: object) =>
    errorOf(() => contactsSync(newStack(), () => ({ schedule: schedule as never })));

  test("an unknown frequency is refused with a suggestion", () => {
    expect(withSchedule({ frequency: "dayly" })).toContain(
      'schedule.frequency is not a schedule frequency (received "dayly"). Did you mean "daily"?',
    );
  });

  test.each([
    [{ frequency: "hourly" }, "schedule.minute is required for this frequency"],
    [{ frequency: "daily", minute: 0 }, "schedule.hour is required for this frequency"],
    [
      { frequency: "weekly", hour: 9, minute: 0 },
      "schedule.dayOfWeek is required for this frequency",
    ],
    [
      { frequency: "custom", minute: "*/15", hour: "*", dayOfMonth: "*", month: "*" },
      "schedule.dayOfWeek is required",
    ],
  ])("fields required by the frequency must be present: %j", (schedule, expected) => {
    expect(withSchedule(schedule)).toContain(expected);
  });

  test.each([
    [
      { frequency: "hourly", minute: 60 },
      "schedule.minute must be a whole number from 0 to 59 (received 60)",
    ],
    [
      { frequency: "daily", hour: 24, minute: 0 },
      "schedule.hour must be a whole number from 0 to 23 (received 24)",
    ],
    [
      { frequency: "daily", hour: 4.5, minute: 0 },
      "schedule.hour must be a whole number from 0 to 23 (received 4.5)",
    ],
    [
      { frequency: "weekly", dayOfWeek: 7, hour: 9, minute: 0 },
      "schedule.dayOfWeek must be a whole number from 0 to 6 (received 7)",
    ],
    [
      { frequency: "daily", hour: "4", minute: 0 },
      'schedule.hour must be a whole number from 0 to 23 (received "4")',
    ],
    [
      {
        frequency: "custom",
        minute: "*/0",
        hour: "*",
        dayOfMonth: "32",
        month: "1-13",
        dayOfWeek: "*",
      },
      "schedule.minute must be a whole number from 0 to 59 or a cron field",
    ],
  ])("fields must be in range: %j", (schedule, expected) => {
    expect(withSchedule(schedule)).toContain(expected);
  });

  test.each([
    [
      { frequency: "continuous", hour: 3 },
      'schedule.hour does not apply to a "continuous" schedule',
    ],
    [{ frequency: "manual", minute: 0 }, 'schedule.minute does not apply to a "manual" schedule'],
    [
      { frequency: "daily", hour: 4, minute: 30, dayOfWeek: 1 },
      'schedule.dayOfWeek does not apply to a "daily" schedule',
    ],
    [
      { frequency: "hourly", minute: 5, month: 2 },
      'schedule.month does not apply to a "hourly" schedule',
    ],
  ])("fields that do not apply to the frequency must be absent: %j", (schedule, expected) => {
    expect(withSchedule(schedule)).toContain(expected);
  });

  test("valid schedules are declared as written", () => {
    const stack = newStack();
    const model = usersModel(stack);
    const target = salesforce(stack);
    const make = (id: string, schedule: object) =>
      contactsSync(stack, () => ({ name: id, schedule: schedule as never }), { model, target, id });
    const daily = make("daily", { frequency: "daily", hour: 4, minute: 30 });
    make("weekly", { frequency: "weekly", dayOfWeek: 1, hour: 9, minute: 0 });
    make("custom", {
      frequency: "custom",
      minute: "*/15",
      hour: "8-18",
      dayOfMonth: "*",
      month: "1,6",
      dayOfWeek: 1,
    });
    make("after", { frequency: "runafter", runAfter: [daily] });
    const json = synthJson(stack);
    expect(declarationOf(json, "daily").schedule).toEqual({
      frequency: "daily",
      hour: 4,
      minute: 30,
    });
    expect(declarationOf(json, "weekly").schedule).toEqual({
      frequency: "weekly",
      dayOfWeek: 1,
      hour: 9,
      minute: 0,
    });
    expect(declarationOf(json, "custom").schedule).toEqual({
      frequency: "custom",
      minute: "*/15",
      hour: "8-18",
      dayOfMonth: "*",
      month: "1,6",
      dayOfWeek: 1,
    });
    expect(declarationOf(json, "after").schedule).toEqual({
      frequency: "runafter",
      runAfter: ["daily"],
    });
  });

  test("runafter needs syncs, and only runafter takes them", () => {
    expect(withSchedule({ frequency: "runafter", runAfter: [] })).toContain(
      "schedule.runAfter must list at least one sync",
    );
    const stack = newStack();
    const first = contactsSync(stack);
    expect(
      errorOf(() =>
        contactsSync(
          stack,
          () => ({
            name: "Second",
            schedule: { frequency: "daily", hour: 1, minute: 0, runAfter: [first] },
          }),
          {
            id: "Second",
            model: usersModel(
              stack,
              { name: "M2", connection: snowflake(stack, { name: "S2" }, "S2") },
              "M2",
            ),
            target: salesforce(stack, { name: "SF2" }, "SF2"),
          },
        ),
      ),
    ).toContain('schedule.runAfter does not apply to a "daily" schedule');
  });

  test("runAfter syncs must belong to the same app", () => {
    const otherApp = testApp();
    const foreign = contactsSync(newStack(otherApp, "other"));
    const message = errorOf(() =>
      contactsSync(newStack(), () => ({
        schedule: { frequency: "runafter", runAfter: [foreign] },
      })),
    );
    expect(message).toContain(
      'ModelSync "test/ContactsSync": schedule.runAfter[0] belongs to another cdktf App (received "other/ContactsSync")',
    );
  });

  test("runAfter a sync of another stack of the app orders the stacks", () => {
    const app = testApp();
    const upstream = newStack(app, "upstream");
    const first = contactsSync(upstream);
    const downstream = newStack(app, "downstream");
    contactsSync(downstream, () => ({
      name: "After",
      schedule: { frequency: "runafter", runAfter: [first] },
    }));
    expect(downstream.dependencies).toContain(upstream);
  });
});

describe("names", () => {
  test.each([
    ["SnowflakeConnection", (stack: ReturnType<typeof newStack>) => snowflake(stack, { name: "" })],
    [
      "SalesforceConnection",
      (stack: ReturnType<typeof newStack>) => salesforce(stack, { name: "   " }),
    ],
    ["QueryModel", (stack: ReturnType<typeof newStack>) => usersModel(stack, { name: "" })],
    [
      "ModelSync",
      (stack: ReturnType<typeof newStack>) => contactsSync(stack, () => ({ name: "" })),
    ],
  ])("%s names must not be blank", (type, build) => {
    const message = errorOf(() => build(newStack()));
    expect(message).toMatch(new RegExp(`^${type} "test/[^"]+": name is blank`));
    expect(message).toContain("identity in Polytomic");
  });

  test("names are unique per kind within a stack", () => {
    const stack = newStack();
    snowflake(stack);
    const message = errorOf(() => salesforce(stack, { name: "Snowflake Connection" }));
    expect(message).toContain(
      'SalesforceConnection "test/Salesforce": name is already used by "test/Snowflake"; a name identifies one connection in a stack (received "Snowflake Connection")',
    );
  });

  test("an owned object may not reuse the name of an imported one", () => {
    const stack = newStack();
    salesforce(stack);
    expect(
      errorOf(() =>
        SnowflakeConnection.fromConnectionName(stack, "Imported", "Salesforce Connection"),
      ),
    ).toContain('SnowflakeConnection "test/Imported": name is already used by "test/Salesforce"');
  });

  test("two stacks of an app may not own one name against the same API", () => {
    const app = testApp();
    const first = newStack(app, "first");
    const second = newStack(app, "second");
    snowflake(first);
    snowflake(second);
    expect(() => Testing.synth(first, true)).toThrow(
      /Stacks "first" and "second" both declare the connection "Snowflake Connection" for the same Polytomic API/,
    );
    const third = newStack(app, "third");
    PolytomicSettings.configure(third, { apiUrl: "https://polytomic.internal.example.com" });
    snowflake(third);
    expect(() => Testing.synth(third, true)).not.toThrow();
  });

  test("one name may serve different kinds", () => {
    const stack = newStack();
    const connection = snowflake(stack, { name: "Users" });
    expect(() => usersModel(stack, { name: "Users", connection })).not.toThrow();
  });
});

describe("connections", () => {
  test("Snowflake needs exactly one authentication method", () => {
    expect(errorOf(() => snowflake(newStack(), { password: undefined }))).toContain(
      "password or privateKey is required",
    );
    expect(errorOf(() => snowflake(newStack(), { privateKey: Secret.fromEnv("KEY") }))).toContain(
      "password and privateKey are both set",
    );
    expect(
      errorOf(() => snowflake(newStack(), { privateKeyPassphrase: Secret.fromEnv("PASS") })),
    ).toContain("privateKeyPassphrase only applies to key-pair authentication");
    expect(() =>
      snowflake(newStack(), {
        password: undefined,
        privateKey: Secret.fromEnv("KEY"),
        privateKeyPassphrase: Secret.fromEnv("PASS"),
      }),
    ).not.toThrow();
  });

  test("a secret given as a plain string is refused without echoing it", () => {
    const message = errorOf(() => snowflake(newStack(), { password: "hunter2-plain" as never }));
    expect(message).toContain("password must be a Secret reference (received (a value not shown))");
    expect(message).toContain('Secret.fromEnv("VARIABLE_NAME")');
    expect(message).not.toContain("hunter2-plain");
  });

  test("Secret.fromEnv refuses names that are not environment variables, without echoing them", () => {
    const message = errorOf(() => Secret.fromEnv("p@ssw0rd-value"));
    expect(message).toContain("Secret.fromEnv: the argument is not an environment variable name");
    expect(message).not.toContain("p@ssw0rd-value");
  });

  test("Secret.fromEnv refuses a secret's value passed in place of its variable's name", () => {
    process.env.LEAK_CANARY_SECRET = "Sup3rSecretToken";
    try {
      const message = errorOf(() => Secret.fromEnv(process.env.LEAK_CANARY_SECRET!));
      expect(message).toContain(
        "the argument is the value of an environment variable, not a variable name",
      );
      expect(message).not.toContain("Sup3rSecretToken");
    } finally {
      delete process.env.LEAK_CANARY_SECRET;
    }
  });

  test("a Snowflake account is an identifier, not a URL", () => {
    expect(
      errorOf(() => snowflake(newStack(), { account: "https://x.snowflakecomputing.com" })),
    ).toContain(
      'account is not a Snowflake account identifier (received "https://x.snowflakecomputing.com")',
    );
  });

  test.each([
    [{ clientId: Secret.fromEnv("ID") }, 'clientId does not apply to connect mode "browser"'],
    [
      { connectMode: "code" as const, clientSecret: Secret.fromEnv("S") },
      'clientSecret does not apply to connect mode "code"',
    ],
    [
      {
        connectMode: "api" as const,
        clientId: Secret.fromEnv("ID"),
        clientSecret: Secret.fromEnv("S"),
      },
      'refreshToken is required for connect mode "api"',
    ],
    [
      { clientId: Secret.fromEnv("ID"), clientSecret: Secret.fromEnv("S") },
      'refreshToken is required for connect mode "api"',
    ],
    [
      { connectMode: "clientcredentials" as const, clientId: Secret.fromEnv("ID") },
      'clientSecret is required for connect mode "clientcredentials"',
    ],
    [
      {
        connectMode: "clientcredentials" as const,
        clientId: Secret.fromEnv("ID"),
        clientSecret: Secret.fromEnv("S"),
        refreshToken: Secret.fromEnv("R"),
      },
      'refreshToken does not apply to connect mode "clientcredentials"',
    ],
    [
      { connectMode: "oauth" as never },
      'connectMode is not a Salesforce connect mode (received "oauth")',
    ],
    [{ domain: "not a domain" }, 'domain is not a Salesforce domain (received "not a domain")'],
    [{ redirectUrl: "javascript:alert(1)" }, "redirectUrl is not an http(s) URL"],
  ])("Salesforce mode and credentials must agree: %#", (overrides, expected) => {
    expect(errorOf(() => salesforce(newStack(), overrides))).toContain(expected);
  });

  test("client id and secret imply the api mode", () => {
    const stack = newStack();
    salesforce(stack, {
      clientId: Secret.fromEnv("ID"),
      clientSecret: Secret.fromEnv("S"),
      refreshToken: Secret.fromEnv("R"),
    });
    const declaration = declarationOf(synthJson(stack), "Salesforce Connection");
    expect(declaration.connectMode).toBe("api");
    expect(declaration).toMatchObject({
      clientId: { env: "ID" },
      clientSecret: { env: "S" },
      refreshToken: { env: "R" },
    });
  });
});

describe("query models", () => {
  test("SELECT * needs declared columns", () => {
    const message = errorOf(() => usersModel(newStack(), { query: "SELECT * FROM users" }));
    expect(message).toContain(
      "query selects * (item 1), whose columns cannot be known before Snowflake runs it",
    );
    expect(message).toContain("declare its output with columns:");
    const model = usersModel(newStack(), {
      query: "SELECT * FROM users",
      columns: ["id", "email"],
    });
    expect(model.columns).toEqual(["id", "email"]);
  });

  test("an expression without alias is named as Snowflake names it, and a sync may map it", () => {
    const stack = newStack();
    const model = usersModel(stack, {
      query: "SELECT email, first_name, last_name, count(*), max(id) + 1 FROM users GROUP BY ALL",
    });
    expect(model.columns).toEqual(["email", "first_name", "last_name", "COUNT(*)", "MAX(ID) + 1"]);
    contactsSync(
      stack,
      (users) => ({ fields: [{ source: users.field("COUNT(*)"), target: "Description" }] }),
      { model },
    );
    expect(errorOf(() => model.field("count(*)"))).toContain('Did you mean "COUNT(*)"?');
  });

  test("a parse error and several statements are refused", () => {
    expect(errorOf(() => usersModel(newStack(), { query: "SELECT id,\nFROM users" }))).toContain(
      "cannot parse the query at line 2",
    );
    expect(
      errorOf(() => usersModel(newStack(), { query: "SELECT id FROM users; DROP TABLE users" })),
    ).toContain("holds 2 statements");
  });

  test("a NUL character, which SQL text cannot carry, is refused with where it is", () => {
    const message = errorOf(() =>
      usersModel(newStack(), { query: "SELECT id FROM users WHERE note <> '\u0000'" }),
    );
    expect(message).toContain("query holds a NUL character (U+0000) at offset 36");
    expect(message).toContain("write CHR(0)");
  });

  test("duplicate output columns are refused", () => {
    expect(
      errorOf(() => usersModel(newStack(), { query: "SELECT email, EMAIL FROM users" })),
    ).toContain('names the same output column twice (received "email")');
  });

  test("identifier and tracking columns must be columns of the query", () => {
    const message = errorOf(() =>
      usersModel(newStack(), { identifier: "emial", trackingColumns: ["plan", "updated"] }),
    );
    expect(message).toContain(
      'identifier is not a column of the query (received "emial"). Did you mean "email"?',
    );
    expect(message).toContain(
      'trackingColumns[1] is not a column of the query (received "updated")',
    );
  });

  test("a model runs on a Snowflake connection", () => {
    const stack = newStack();
    expect(errorOf(() => usersModel(stack, { connection: salesforce(stack) }))).toContain(
      'QueryModel "test/ActiveUsers": connection is not a Snowflake connection (received "test/Salesforce")',
    );
  });
});

describe("props of the wrong shape", () => {
  test.each([
    ["filters as an object", { filters: {} }, "filters must be a list (received {})"],
    [
      "runAfter as a string",
      { schedule: { frequency: "runafter", runAfter: "x" } },
      'schedule.runAfter must be a list (received "x")',
    ],
    [
      "an override that is null",
      { overrideFields: [null] },
      "overrideFields[0] must be an object (received null)",
    ],
    [
      "identity as a string",
      { identity: "email" },
      'identity must be an object (received "email")',
    ],
    ["no schedule", { schedule: undefined }, "schedule is required"],
  ])("%s is a validation error, not a TypeError", (_label, overrides, expected) => {
    const message = errorOf(() => contactsSync(newStack(), () => overrides as never));
    expect(message).toContain(`ModelSync "test/ContactsSync": ${expected}`);
  });

  test("missing props are a validation error for every construct", () => {
    const stack = newStack();
    expect(errorOf(() => new ModelSync(stack, "S", undefined as never))).toContain(
      'ModelSync "test/S": props must be an object',
    );
    expect(errorOf(() => new QueryModel(stack, "M", undefined as never))).toContain(
      'QueryModel "test/M": props must be an object',
    );
    expect(errorOf(() => new SnowflakeConnection(stack, "C", null as never))).toContain(
      'SnowflakeConnection "test/C": props must be an object',
    );
  });

  test("settings of the wrong type are validation errors", () => {
    expect(
      errorOf(() => PolytomicSettings.configure(newStack(), { apiUrl: 5 as never })),
    ).toContain("apiUrl is not an absolute URL (received 5)");
    expect(
      errorOf(() => PolytomicSettings.configure(newStack(), { apiUrl: "https://x.test/?a=1" })),
    ).toContain("apiUrl has a query string or fragment");
  });

  test.each(["*/100", "007", "1-"])(
    "the cron field %j is refused at synth as the API refuses it",
    (minute) => {
      const message = errorOf(() =>
        contactsSync(newStack(), () => ({
          schedule: {
            frequency: "custom",
            minute,
            hour: "*",
            dayOfMonth: "*",
            month: "*",
            dayOfWeek: "*",
          },
        })),
      );
      expect(message).toContain(
        `schedule.minute must be a whole number from 0 to 59 or a cron field (received ${JSON.stringify(minute)})`,
      );
    },
  );
});

describe("stack-wide rules", () => {
  test("a name that is a Terraform value is refused: a name is known at synth", () => {
    const stack = newStack();
    const variable = new TerraformVariable(stack, "name", { type: "string" });
    const message = errorOf(() => snowflake(stack, { name: variable.stringValue }));
    expect(message).toContain(
      'SnowflakeConnection "test/Snowflake": name is known only at apply, but a connection\'s name is its identity',
    );
    expect(message).toContain("Write the name as a string in the code");
  });

  test("names too long for the deploy step's environment are refused at synth", () => {
    const stack = newStack();
    snowflake(stack, { name: "x".repeat(MAX_ENV_STRING_BYTES) });
    expect(() => Testing.synth(stack, true)).toThrow(
      /declares 1 connection\(s\) whose names take about \d+ bytes, more than the one environment variable/,
    );
  });

  test("settings are validated, and set once per stack before its first object", () => {
    expect(
      errorOf(() =>
        PolytomicSettings.configure(newStack(), { apiUrl: "ftp://x", engine: "tofu" as never }),
      ),
    ).toMatch(/apiUrl is not an http\(s\) URL[\s\S]*engine is not an engine \(received "tofu"\)/);
    const stack = newStack();
    snowflake(stack);
    expect(errorOf(() => PolytomicSettings.configure(stack, {}))).toContain(
      "already has Polytomic constructs, which were created with the default settings. Call PolytomicSettings.configure(stack, {...}) before creating the stack's first Polytomic construct",
    );
  });

  test("a second NullProvider beside the engine's is reported at synth", () => {
    const stack = newStack();
    PolytomicSettings.configure(stack, { engine: "null_resource" });
    snowflake(stack);
    new NullProvider(stack, "Mine");
    expect(() => Testing.synth(stack, true)).toThrow(/more than one NullProvider/);
  });

  test("ModelSync runs after the syncs it names, by name", () => {
    const stack = newStack();
    const first = contactsSync(stack);
    const second = new ModelSync(stack, "Second", {
      name: "Second",
      mode: "create",
      fields: [
        {
          source: usersModel(
            stack,
            { name: "M2", connection: snowflake(stack, { name: "S2" }, "S2") },
            "M2",
          ).field("email"),
          target: "Email",
        },
      ],
      schedule: { frequency: "runafter", runAfter: [first] },
      target: { connection: salesforce(stack, { name: "SF2" }, "SF2"), object: "Contact" },
    });
    expect(second.syncName).toBe("Second");
    expect(declarationOf(synthJson(stack), "Second").schedule).toEqual({
      frequency: "runafter",
      runAfter: ["Snowflake to Salesforce Sync"],
    });
  });
});
