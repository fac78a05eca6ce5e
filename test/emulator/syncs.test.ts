/**
 * Syncs (polytomic-api.md §5): validation of every part of the body, server normalisations,
 * replacement, and target discovery.
 */
import type { Model } from "./helpers";
import { OTHER_KEY, seedSync, TestEmulator } from "./helpers";

let emu: TestEmulator;
let salesforce: string;
let snowflake: string;
let model: Model;

beforeAll(async () => {
  emu = await TestEmulator.start({ catalog: { contacts: ["email", "first_name", "last_name"] } });
  ({ snowflake, salesforce, model } = await emu.seed());
});

afterAll(() => emu.close());

const NIL = "00000000-0000-0000-0000-000000000000";

function sync(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...seedSync(model.id, salesforce), ...overrides };
}

const source = (field: string) => ({ model_id: model.id, field });

async function expectRefused(body: Record<string, unknown>, status: number, message: string) {
  const reply = await emu.call("POST", "/api/syncs", { body });
  expect({ status: reply.status, message: reply.json?.message }).toEqual({
    status,
    message: expect.stringContaining(message),
  });
}

describe("create", () => {
  test("the seed sync is accepted and answered as a SyncResponse", async () => {
    const reply = await emu.call("POST", "/api/syncs", { body: sync() });
    expect(reply.status).toBe(200);
    const data = reply.json.data;
    expect(data).toEqual(
      expect.objectContaining({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: "Snowflake to Salesforce Sync",
        mode: "create",
        active: false,
        model_ids: [model.id],
        schedule: { frequency: "continuous" },
        target: { connection_id: salesforce, object: "Contact" },
        identity: { source: source("email"), target: "Email", function: "Equality" },
        filters: [],
        overrides: [],
        policies: [],
        organization_id: expect.any(String),
        created_by: expect.objectContaining({ type: "user" }),
      }),
    );
    expect(data.fields).toEqual([
      { source: source("first_name"), target: "FirstName" },
      { source: source("last_name"), target: "LastName" },
    ]);
    expect((await emu.ok("GET", `/api/syncs/${data.id}`)).json.data).toEqual(data);
  });

  test.each(["name", "mode", "fields", "schedule", "target"])(
    "a missing %s is a 400",
    async (field) => {
      const body = sync();
      delete body[field];
      await expectRefused(body, 400, `${field} is required`);
    },
  );

  test("target.connection_id is required", async () => {
    await expectRefused(
      sync({ target: { object: "Contact" } }),
      400,
      "target.connection_id is required",
    );
  });

  // Built lazily: the model exists only once beforeAll has run.
  test.each<[string, () => Record<string, unknown>, string]>([
    ["mode", () => ({ mode: "upsert" }), "mode must be one of create, update, updateOrCreate"],
    [
      "identity.function",
      () => ({ identity: { source: source("email"), target: "Email", function: "Fuzzy" } }),
      "identity.function must be one of Equality, ISubstring, OneOf, DomainMatch, HostnameMatch",
    ],
    [
      "filters[0].function",
      () => ({ filters: [{ field: source("plan"), function: "Matches", value: "x" }] }),
      "filters[0].function must be one of Equality",
    ],
    [
      "schedule.frequency",
      () => ({ schedule: { frequency: "yearly" } }),
      "schedule.frequency must be one of manual",
    ],
    [
      "fields[0].sync_mode",
      () => ({ fields: [{ source: source("email"), target: "Email", sync_mode: "always" }] }),
      "fields[0].sync_mode must be one of updateOrCreate, create",
    ],
  ])("an unknown %s is a 400", async (_field, overrides, message) => {
    await expectRefused(sync(overrides()), 400, message);
  });

  test("wrong types and unknown keys at any depth are 400 naming the field", async () => {
    await expectRefused(sync({ active: "yes" }), 400, "active must be a boolean");
    await expectRefused(sync({ fields: {} }), 400, "fields must be an array of objects");
    await expectRefused(
      sync({ schedule: { frequency: "hourly", minute: 15 } }),
      400,
      "schedule.minute must be a string",
    );
    await expectRefused(sync({ colour: "red" }), 400, "unknown field colour");
    await expectRefused(
      sync({ fields: [{ source: { ...source("email"), extra: 1 }, target: "Email" }] }),
      400,
      "unknown field fields[0].source.extra",
    );
    await expectRefused(
      sync({ override_fields: [{ target: "LeadSource", override_value: 7 }] }),
      400,
      "override_fields[0].override_value must be a string",
    );
  });

  test.each(["update", "updateOrCreate", "remove"])(
    "mode %s requires an identity (422)",
    async (mode) => {
      await expectRefused(
        sync({ mode, identity: undefined }),
        422,
        `mode ${mode} requires identity`,
      );
    },
  );

  test("mode create does not require an identity", async () => {
    const body = sync();
    delete body.identity;
    expect((await emu.call("POST", "/api/syncs", { body })).status).toBe(200);
  });

  test("the identity target must support matching, with that function", async () => {
    await expectRefused(
      sync({
        identity: { source: source("first_name"), target: "FirstName", function: "Equality" },
      }),
      422,
      "FirstName cannot be used to match records",
    );
    await expectRefused(
      sync({ identity: { source: source("email"), target: "Email", function: "DomainMatch" } }),
      422,
      "identity.function",
    );
    await expectRefused(
      sync({ identity: { source: source("email"), target: "Emial", function: "Equality" } }),
      422,
      "Contact has no field Emial",
    );
  });
});

describe("references", () => {
  test("sources must be fields of existing models of the organization", async () => {
    await expectRefused(
      sync({ fields: [{ source: { model_id: NIL, field: "email" }, target: "Email" }] }),
      422,
      `fields[0].source.model_id: model ${NIL} not found`,
    );
    await expectRefused(
      sync({ fields: [{ source: source("phone"), target: "Phone" }] }),
      422,
      "fields[0].source.field: phone is not a field of model Active Users",
    );
    const theirs = await emu.snowflake("Theirs", OTHER_KEY);
    const theirModel = (
      await emu.ok("POST", "/api/models", {
        key: OTHER_KEY,
        body: {
          name: "Theirs",
          connection_id: theirs,
          configuration: { query: "SELECT email FROM users" },
        },
      })
    ).json.data;
    await expectRefused(
      sync({ fields: [{ source: { model_id: theirModel.id, field: "email" }, target: "Email" }] }),
      422,
      "not found",
    );
  });

  test("a source names a model field exactly, blank names included", async () => {
    const blank = (
      await emu.ok("POST", "/api/models", {
        body: {
          name: "Blank",
          connection_id: snowflake,
          configuration: { query: 'SELECT email AS " " FROM users' },
        },
      })
    ).json.data;
    const mapped = [{ source: { model_id: blank.id, field: " " }, target: "Email" }];
    const reply = await emu.call("POST", "/api/syncs", {
      body: sync({ fields: mapped, identity: undefined, mode: "create" }),
    });
    expect(reply.status).toBe(200);
    expect(reply.json.data.fields).toEqual(mapped);
    await expectRefused(
      sync({ fields: [{ source: source(""), target: "Email" }] }),
      422,
      "fields[0].source.field:  is not a field of model Active Users",
    );
  });

  test("the target connection and object must exist and support the mode", async () => {
    await expectRefused(
      sync({ target: { connection_id: NIL, object: "Contact" } }),
      422,
      "connection",
    );
    await expectRefused(
      sync({ target: { connection_id: salesforce, object: "Opportunity" } }),
      422,
      "Opportunity is not an object of connection Salesforce (objects: Contact, Lead, Account)",
    );
    await expectRefused(
      sync({ target: { connection_id: salesforce } }),
      400,
      "target.object is required",
    );
    await expectRefused(sync({ mode: "append" }), 422, "mode append is not supported by Contact");
  });

  test("target fields must exist unless the mapping creates them, and be writable", async () => {
    await expectRefused(
      sync({ fields: [{ source: source("plan"), target: "Plan__c" }] }),
      422,
      'fields[0].target: Contact has no field Plan__c (set "new": true',
    );
    const created = await emu.call("POST", "/api/syncs", {
      body: sync({ fields: [{ source: source("plan"), target: "Plan__c", new: true }] }),
    });
    expect(created.status).toBe(200);
    await expectRefused(
      sync({ fields: [{ source: source("email"), target: "Id" }] }),
      422,
      "Id is read-only",
    );
    await expectRefused(
      sync({
        fields: [
          { source: source("first_name"), target: "FirstName" },
          { source: source("last_name"), target: "FirstName" },
        ],
      }),
      422,
      "FirstName is mapped more than once",
    );
  });

  test("Lead and Account are targets with their own standard fields", async () => {
    const lead = await emu.call("POST", "/api/syncs", {
      body: sync({
        target: { connection_id: salesforce, object: "Lead" },
        fields: [{ source: source("plan"), target: "Company" }],
      }),
    });
    expect(lead.status).toBe(200);
    await expectRefused(
      sync({ target: { connection_id: salesforce, object: "Account" } }),
      422,
      "Account has no field FirstName",
    );
  });

  test("a Snowflake target must be a catalog table, mapped onto its columns", async () => {
    const toTable = (object: string, target: string) =>
      sync({
        mode: "append",
        identity: undefined,
        target: { connection_id: snowflake, object, configuration: { write_null_values: true } },
        fields: [{ source: source("email"), target }],
      });
    expect(
      (await emu.call("POST", "/api/syncs", { body: toTable("contacts", "email") })).status,
    ).toBe(200);
    await expectRefused(toTable("contacts", "phone"), 422, "contacts has no field phone");
    await expectRefused(
      toTable("leads", "email"),
      422,
      "leads is not an object of connection Snowflake",
    );
    await expectRefused(
      sync({
        mode: "append",
        identity: undefined,
        target: { connection_id: snowflake, object: "contacts", configuration: { truncate: true } },
      }),
      400,
      "unknown field target.configuration.truncate",
    );
  });

  test("new targets: Snowflake may create a table, Salesforce cannot", async () => {
    const body = sync({
      mode: "append",
      identity: undefined,
      target: { connection_id: snowflake, new_name: "active_users", create: { schema: "public" } },
      fields: [{ source: source("email"), target: "email" }],
    });
    const created = await emu.call("POST", "/api/syncs", { body });
    expect(created.status).toBe(200);
    expect(created.json.data.target).toEqual({
      connection_id: snowflake,
      new_name: "active_users",
    });
    await expectRefused(
      sync({ target: { connection_id: salesforce, new_name: "Audience__c" } }),
      422,
      "can't create targets",
    );
  });

  test("several models must be joined by relations", async () => {
    const other = await emu.model(snowflake, "SELECT id, email AS mail FROM users", "Other");
    const twoModels = sync({
      fields: [
        { source: source("first_name"), target: "FirstName" },
        { source: { model_id: other.id, field: "mail" }, target: "Description" },
      ],
    });
    await expectRefused(twoModels, 422, "is not related to model");
    await emu.ok("PUT", `/api/models/${other.id}`, {
      body: {
        name: "Other",
        connection_id: snowflake,
        configuration: { query: "SELECT id, email AS mail FROM users" },
        relations: [{ from: "mail", to: { model_id: model.id, field: "email" } }],
      },
    });
    const joined = await emu.call("POST", "/api/syncs", { body: twoModels });
    expect(joined.status).toBe(200);
    expect(joined.json.data.model_ids).toEqual([model.id, other.id]);
  });
});

describe("schedules", () => {
  const withSchedule = (schedule: Record<string, unknown>) => sync({ schedule });

  test.each([
    [{ frequency: "manual" }],
    [{ frequency: "hourly", minute: "15" }],
    [{ frequency: "daily", hour: "4", minute: "30" }],
    [{ frequency: "weekly", day_of_week: "1", hour: "09", minute: "00" }],
    [{ frequency: "weekly", day_of_week: "monday", hour: "9", minute: "0" }],
    [
      {
        frequency: "custom",
        minute: "*/15",
        hour: "8-18",
        day_of_month: "*",
        month: "1,6,12",
        day_of_week: "1-5",
      },
    ],
  ])("%j is accepted", async (schedule) => {
    const reply = await emu.call("POST", "/api/syncs", { body: withSchedule(schedule) });
    expect(reply.status).toBe(200);
    expect(reply.json.data.schedule).toEqual(schedule);
  });

  test.each([
    [{ frequency: "manual", hour: "1" }, "schedule.hour is not used with frequency manual"],
    [
      { frequency: "continuous", minute: "5" },
      "schedule.minute is not used with frequency continuous",
    ],
    [{ frequency: "hourly" }, "schedule.minute is required for frequency hourly"],
    [{ frequency: "hourly", minute: "60" }, "schedule.minute must be a whole number from 0 to 59"],
    [{ frequency: "daily", minute: "0" }, "schedule.hour is required for frequency daily"],
    [
      { frequency: "daily", hour: "24", minute: "0" },
      "schedule.hour must be a whole number from 0 to 23",
    ],
    [{ frequency: "daily", hour: "-1", minute: "0" }, "schedule.hour"],
    [{ frequency: "weekly", hour: "1", minute: "0" }, "schedule.day_of_week is required"],
    [
      { frequency: "weekly", day_of_week: "7", hour: "1", minute: "0" },
      "schedule.day_of_week must be",
    ],
    [
      { frequency: "custom", minute: "0", hour: "*", day_of_month: "*", month: "*" },
      "schedule.day_of_week is required",
    ],
    [
      {
        frequency: "custom",
        minute: "61",
        hour: "*",
        day_of_month: "*",
        month: "*",
        day_of_week: "*",
      },
      "schedule.minute must be a cron field",
    ],
    [
      {
        frequency: "custom",
        minute: "0",
        hour: "*",
        day_of_month: "0",
        month: "*",
        day_of_week: "*",
      },
      "schedule.day_of_month",
    ],
    [{ frequency: "runafter" }, "schedule.run_after.sync_ids must name at least one sync"],
  ])("%j is a 400", async (schedule, message) => {
    await expectRefused(withSchedule(schedule), 400, message);
  });

  test("builder, multi and dbtcloud cannot be emulated (422)", async () => {
    for (const frequency of ["builder", "multi", "dbtcloud"]) {
      await expectRefused(
        withSchedule({ frequency }),
        422,
        `schedule.frequency ${frequency} is not supported`,
      );
    }
  });

  test("runafter names existing syncs of the organization and never forms a cycle", async () => {
    const first = (await emu.ok("POST", "/api/syncs", { body: sync() })).json.data;
    await expectRefused(
      withSchedule({ frequency: "runafter", run_after: { sync_ids: [NIL] } }),
      422,
      `sync ${NIL} not found`,
    );
    await expectRefused(
      withSchedule({ frequency: "runafter", run_after: { bulk_sync_ids: [NIL] } }),
      422,
      `bulk sync ${NIL} not found`,
    );
    const schedule = {
      frequency: "runafter",
      run_after: { sync_ids: [first.id] },
      run_after_success_only: true,
    };
    const second = await emu.call("POST", "/api/syncs", { body: withSchedule(schedule) });
    expect(second.status).toBe(200);
    expect(second.json.data.schedule).toEqual({
      ...schedule,
      run_after: { sync_ids: [first.id], bulk_sync_ids: [] },
    });
    const cycle = await emu.call("PUT", `/api/syncs/${first.id}`, {
      body: withSchedule({ frequency: "runafter", run_after: { sync_ids: [second.json.data.id] } }),
    });
    expect(cycle.status).toBe(422);
    expect(cycle.json.message).toContain("cycle");
  });
});

describe("normalisations of §5.5", () => {
  test("override_fields come back inside fields; write-only fields are never returned", async () => {
    const reply = await emu.ok("POST", "/api/syncs", {
      body: sync({
        override_fields: [{ target: "LeadSource", override_value: "Polytomic" }],
        encryption_passphrase: "hunter2",
      }),
    });
    const data = reply.json.data;
    expect(data.fields).toContainEqual({
      target: "LeadSource",
      override_value: "Polytomic",
      source: { model_id: NIL, field: "" },
    });
    expect(data.override_fields).toBeUndefined();
    expect(data.encryption_passphrase).toBeUndefined();
    expect(data.model_ids).toEqual([model.id]);
    const fetched = await emu.ok("GET", `/api/syncs/${data.id}`);
    expect(fetched.text).not.toContain("hunter2");
    expect(fetched.json.data).toEqual(data);
    await expectRefused(
      sync({ override_fields: [{ target: "LeadSource" }] }),
      400,
      "override_value is required",
    );
  });

  test("filters get server labels A, B… and field ids; filter_logic must use those labels", async () => {
    const filters = [
      { field: source("plan"), function: "Equality", value: "pro", label: "Z" },
      { field: source("email"), function: "IsNotNull" },
    ];
    const reply = await emu.ok("POST", "/api/syncs", {
      body: sync({ filters, filter_logic: "A AND (B OR A)" }),
    });
    const planField = model.fields.find((field) => field.name === "plan");
    expect(reply.json.data.filters).toEqual([
      {
        field: source("plan"),
        field_id: planField?.id,
        field_type: "Model",
        function: "Equality",
        value: "pro",
        label: "A",
      },
      expect.objectContaining({ field_type: "Model", function: "IsNotNull", label: "B" }),
    ]);
    await expectRefused(
      sync({ filters, filter_logic: "A AND C" }),
      422,
      "refers to C, which is not a filter label",
    );
    await expectRefused(sync({ filters, filter_logic: "A AND (B" }), 422, "not closed");
    await expectRefused(sync({ filter_logic: "A" }), 422, "none: there are no filters");
  });

  test("filter values must fit the function; target filters need mode update", async () => {
    await expectRefused(
      sync({ filters: [{ field: source("plan"), function: "Between", value: "a" }] }),
      422,
      "Between needs an array of two bounds",
    );
    await expectRefused(
      sync({ filters: [{ field: source("plan"), function: "StringOneOf", value: [] }] }),
      422,
      "StringOneOf needs a non-empty array of strings",
    );
    await expectRefused(
      sync({ filters: [{ field_id: "Email", field_type: "Target", function: "IsNull" }] }),
      422,
      "target filters are only available with mode update",
    );
    const update = await emu.call("POST", "/api/syncs", {
      body: sync({
        mode: "update",
        filters: [{ field_id: "Email", field_type: "Target", function: "IsNull" }],
      }),
    });
    expect(update.status).toBe(200);
    expect(update.json.data.filters).toEqual([
      { field_id: "Email", field_type: "Target", function: "IsNull", label: "A" },
    ]);
  });

  test("overrides resolve their field; field_id wins over field; the override becomes a string", async () => {
    const planField = model.fields.find((field) => field.name === "plan");
    const reply = await emu.ok("POST", "/api/syncs", {
      body: sync({
        overrides: [
          {
            field: source("email"),
            field_id: planField?.id,
            function: "Equality",
            value: "free",
            override: 0,
          },
        ],
      }),
    });
    expect(reply.json.data.overrides).toEqual([
      {
        field: source("plan"),
        field_id: planField?.id,
        function: "Equality",
        value: "free",
        override: "0",
      },
    ]);
    await expectRefused(
      sync({ overrides: [{ field_id: NIL, function: "IsNull" }] }),
      422,
      `overrides[0].field_id: model field ${NIL} not found`,
    );
  });
});

describe("replace and delete", () => {
  test("PUT replaces the whole sync and keeps its id and created_at", async () => {
    const created = (
      await emu.ok("POST", "/api/syncs", {
        body: sync({ filters: [{ field: source("plan"), function: "IsNotNull" }], active: true }),
      })
    ).json.data;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const replaced = await emu.ok("PUT", `/api/syncs/${created.id}`, {
      body: sync({ name: "Renamed", schedule: { frequency: "manual" } }),
    });
    const data = replaced.json.data;
    expect(data.id).toBe(created.id);
    expect(data.created_at).toBe(created.created_at);
    expect(data.updated_at > created.updated_at).toBe(true);
    expect(data.name).toBe("Renamed");
    expect(data.filters).toEqual([]);
    expect(data.active).toBe(false);
    expect((await emu.ok("GET", `/api/syncs/${created.id}`)).json.data).toEqual(data);
    const invalid = await emu.call("PUT", `/api/syncs/${created.id}`, {
      body: sync({ mode: "update", identity: undefined }),
    });
    expect(invalid.status).toBe(422);
    expect((await emu.ok("GET", `/api/syncs/${created.id}`)).json.data).toEqual(data);
  });

  test("DELETE answers 200 with an empty body", async () => {
    const created = (await emu.ok("POST", "/api/syncs", { body: sync() })).json.data;
    const deleted = await emu.call("DELETE", `/api/syncs/${created.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe("");
    expect((await emu.call("GET", `/api/syncs/${created.id}`)).status).toBe(404);
  });
});

describe("target discovery", () => {
  test("a Salesforce connection offers Contact, Lead and Account with their modes", async () => {
    const reply = await emu.ok("GET", `/api/connections/${salesforce}/modelsync/targetobjects`);
    expect(reply.json.data.map((object: { id: string }) => object.id)).toEqual([
      "Contact",
      "Lead",
      "Account",
    ]);
    expect(reply.json.data[0].modes).toContainEqual({
      id: "updateOrCreate",
      requires_identity: true,
      supports_per_field_mode: true,
      supports_target_filters: false,
    });
    expect(reply.json.target_creation).toEqual({ supported: false, properties: [] });
  });

  test("target fields describe an object's standard fields", async () => {
    const reply = await emu.ok(
      "GET",
      `/api/connections/${salesforce}/modelsync/target/fields?target=Contact`,
    );
    const fields = reply.json.data.fields as Array<{ id: string; supports_identity: boolean }>;
    expect(reply.json.data.id).toBe("Contact");
    expect(fields.map((field) => field.id)).toEqual(
      expect.arrayContaining([
        "Email",
        "FirstName",
        "LastName",
        "Phone",
        "Title",
        "AccountId",
        "LeadSource",
        "Description",
        "MailingCity",
      ]),
    );
    expect(fields.find((field) => field.id === "Email")?.supports_identity).toBe(true);
    expect(reply.json.data.fields.find((field: { id: string }) => field.id === "LastName")).toEqual(
      {
        id: "LastName",
        name: "Last Name",
        type: "string",
        source_type: "string",
        required: true,
        createable: true,
        updateable: true,
        filterable: true,
        association: false,
        encryptable: false,
        supports_identity: false,
        identity_functions: [],
      },
    );
    expect(
      reply.json.data.fields.find((field: { id: string }) => field.id === "Email")
        .identity_functions,
    ).toEqual([
      { id: "Equality", label: "Equality" },
      { id: "ISubstring", label: "Contains (case-insensitive)" },
    ]);
    expect(reply.json.data.modes).toContainEqual({
      mode: "updateOrCreate",
      label: "Update or create",
      description: "Update records that exist and create those that do not",
      requires_identity: true,
      supports_field_sync_mode: true,
      supports_target_filters: false,
    });
    expect(reply.json.data.modes.map((mode: { mode: string }) => mode.mode)).toEqual([
      "create",
      "update",
      "updateOrCreate",
      "remove",
    ]);
    expect(reply.json.data.properties).toEqual(
      expect.objectContaining({ supports_field_creation: true, target_creator: false }),
    );
    const lead = await emu.ok(
      "GET",
      `/api/connections/${salesforce}/modelsync/target/fields?target=Lead`,
    );
    expect(lead.json.data.fields.map((field: { id: string }) => field.id)).toEqual(
      expect.arrayContaining(["Email", "FirstName", "LastName", "Company", "Status", "LeadSource"]),
    );
    const account = await emu.ok(
      "GET",
      `/api/connections/${salesforce}/modelsync/target/fields?target=Account`,
    );
    expect(account.json.data.fields.map((field: { id: string }) => field.id)).toEqual(
      expect.arrayContaining([
        "Name",
        "Website",
        "Industry",
        "Phone",
        "NumberOfEmployees",
        "AccountNumber",
      ]),
    );
    expect(
      (await emu.call("GET", `/api/connections/${salesforce}/modelsync/target/fields`)).status,
    ).toBe(404);
    expect(
      (
        await emu.call(
          "GET",
          `/api/connections/${salesforce}/modelsync/target/fields?target=Opportunity`,
        )
      ).status,
    ).toBe(404);
  });

  test("a Snowflake connection offers the catalog's tables and can create targets", async () => {
    const reply = await emu.ok("GET", `/api/connections/${snowflake}/modelsync/targetobjects`);
    expect(reply.json.data.map((object: { id: string }) => object.id)).toEqual([
      "contacts",
      "users",
    ]);
    expect(reply.json.target_creation.supported).toBe(true);
    const users = await emu.ok(
      "GET",
      `/api/connections/${snowflake}/modelsync/target/fields?target=USERS`,
    );
    expect(
      users.json.data.fields.map((field: { id: string; type: string }) => [field.id, field.type]),
    ).toEqual([
      ["id", "number"],
      ["email", "string"],
      ["first_name", "string"],
      ["last_name", "string"],
      ["plan", "string"],
      ["last_activity_date", "datetime"],
      ["created_at", "datetime"],
    ]);
  });
});
