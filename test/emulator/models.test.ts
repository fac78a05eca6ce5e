/**
 * Models (polytomic-api.md §4): fields derived from the SELECT list, `*` expanded from the catalog,
 * 422 when the emulator cannot know the columns, references checked, PUT replacement.
 */
import { SEED_QUERY, TestEmulator } from "./helpers";

let emu: TestEmulator;
let snowflake: string;

beforeAll(async () => {
  emu = await TestEmulator.start({ catalog: { orders: ["order_id", "user_id", "total"] } });
  snowflake = await emu.snowflake();
});

afterAll(() => emu.close());

function createModel(body: Record<string, unknown>) {
  return emu.call("POST", "/api/models", {
    body: { name: "Model", connection_id: snowflake, ...body },
  });
}

const names = (fields: readonly { name: string }[]) => fields.map((field) => field.name);

test("fields are derived from the query's SELECT list, aliases winning", async () => {
  const reply = await createModel({ configuration: { query: SEED_QUERY } });
  expect(reply.status).toBe(200);
  const model = reply.json.data;
  expect(model).toEqual(
    expect.objectContaining({
      name: "Model",
      connection_id: snowflake,
      type: "snowflake",
      configuration: { query: SEED_QUERY },
      version: 1,
      tracking_columns: [],
      labels: [],
      relations: [],
    }),
  );
  expect(names(model.fields)).toEqual([
    "last_activity_date",
    "plan",
    "first_name",
    "last_name",
    "email",
  ]);
  expect(model.fields[2]).toEqual(
    expect.objectContaining({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "first_name",
      label: "First Name",
      type: "string",
      remote_type: "varchar",
      user_added: false,
    }),
  );
  expect((await emu.ok("GET", `/api/models/${model.id}`)).json.data).toEqual(model);
  expect((await emu.ok("GET", "/api/models")).json.data).toContainEqual(model);
});

test("* and t.* are expanded from the catalog, in SELECT order", async () => {
  const star = await createModel({ configuration: { query: "SELECT * FROM users" } });
  expect(names(star.json.data.fields)).toEqual([
    "id",
    "email",
    "first_name",
    "last_name",
    "plan",
    "last_activity_date",
    "created_at",
  ]);
  const qualified = await createModel({
    configuration: {
      query: "SELECT o.total, u.* FROM analytics.public.USERS u JOIN orders o ON u.id = o.user_id",
    },
  });
  expect(names(qualified.json.data.fields).slice(0, 3)).toEqual(["total", "id", "email"]);
  const table = await createModel({ configuration: { table: "orders" } });
  expect(names(table.json.data.fields)).toEqual(["order_id", "user_id", "total"]);
});

test.each([
  [
    "a star over a table missing from the catalog",
    "SELECT * FROM invoices",
    "table invoices is not in the emulator's catalog",
  ],
  ["a star over a subquery", "SELECT * FROM (SELECT 1 AS a) s", "subquery"],
  ["an unknown star qualifier", "SELECT x.* FROM users u", "x.* does not name a table"],
  [
    "an unnamed expression",
    "SELECT id, COUNT(*) FROM users GROUP BY id",
    "SELECT item 2 (COUNT(*)) has no name",
  ],
  ["an unparseable query", "SELEKT id FROM users", "cannot parse the query"],
  ["a statement that is not a SELECT", "UPDATE users SET plan = 1", "must be a SELECT"],
  ["a duplicated column", "SELECT id, * FROM users", "returns the column id more than once"],
])("%s is a 422 saying the columns cannot be determined", async (_case, query, reason) => {
  const reply = await createModel({ configuration: { query } });
  expect(reply.status).toBe(422);
  expect(reply.json.message).toContain(reason);
  if (!reason.includes("more than once")) {
    expect(reply.json.message).toContain("the emulator cannot determine the model's columns");
  }
});

test("configuration must hold exactly one of query, table or view, with known keys", async () => {
  for (const configuration of [
    {},
    { query: "SELECT id FROM users", table: "users" },
    { sql: "x" },
  ]) {
    expect((await createModel({ configuration })).status).toBe(400);
  }
});

test("identifier and tracking_columns must name fields of the model", async () => {
  const ok = await createModel({
    configuration: { query: SEED_QUERY },
    identifier: "email",
    tracking_columns: ["last_activity_date"],
  });
  expect(ok.status).toBe(200);
  expect(ok.json.data.identifier).toBe("email");
  const badIdentifier = await createModel({
    configuration: { query: SEED_QUERY },
    identifier: "id",
  });
  expect(badIdentifier.status).toBe(422);
  expect(badIdentifier.json.message).toContain("identifier: id is not a field of the model");
  const badTracking = await createModel({
    configuration: { query: SEED_QUERY },
    tracking_columns: ["updated_at"],
  });
  expect(badTracking.status).toBe(422);
});

test("fields selects derived columns; additional_fields adds user fields", async () => {
  const reply = await createModel({
    configuration: { query: SEED_QUERY },
    fields: ["email", "plan"],
    additional_fields: [{ name: "score", type: "number", label: "Score" }],
  });
  expect(reply.status).toBe(200);
  expect(
    reply.json.data.fields.map((f: { name: string; user_added: boolean }) => [
      f.name,
      f.user_added,
    ]),
  ).toEqual([
    ["plan", false],
    ["email", false],
    ["score", true],
  ]);
  expect((await createModel({ configuration: { query: SEED_QUERY }, fields: ["id"] })).status).toBe(
    422,
  );
  const badType = await createModel({
    configuration: { query: SEED_QUERY },
    additional_fields: [{ name: "x", type: "decimal", label: "X" }],
  });
  expect(badType.status).toBe(400);
});

test("the source connection must exist, be Snowflake and be healthy", async () => {
  const missing = await createModel({
    connection_id: "0b7e5d4e-0000-4000-8000-000000000000",
    configuration: { query: SEED_QUERY },
  });
  expect(missing.status).toBe(422);
  const salesforce = await emu.salesforce();
  expect(
    (await createModel({ connection_id: salesforce, configuration: { query: SEED_QUERY } })).status,
  ).toBe(422);
  const broken = await emu.ok("POST", "/api/connections", {
    body: {
      name: "Broken",
      type: "snowflake",
      validate: false,
      configuration: { account: "a", username: "u", dbname: "d" },
    },
  });
  const unhealthy = await createModel({
    connection_id: broken.json.data.id,
    configuration: { query: SEED_QUERY },
  });
  expect(unhealthy.status).toBe(422);
  expect(unhealthy.json.message).toContain("not healthy");
});

test("relations must point at fields of existing models", async () => {
  const users = (await createModel({ configuration: { query: "SELECT id, email FROM users" } }))
    .json.data;
  const orders = await createModel({
    configuration: { table: "orders" },
    relations: [{ from: "user_id", to: { model_id: users.id, field: "id" } }],
  });
  expect(orders.status).toBe(200);
  expect(orders.json.data.relations).toEqual([
    { from: "user_id", to: { model_id: users.id, field: "id" } },
  ]);
  const badField = await createModel({
    configuration: { table: "orders" },
    relations: [{ from: "user_id", to: { model_id: users.id, field: "uid" } }],
  });
  expect(badField.status).toBe(422);
});

test("unknown or wrongly typed body fields are 400 naming the field; async=true is refused", async () => {
  const unknown = await createModel({ configuration: { query: SEED_QUERY }, colour: "red" });
  expect(unknown.json).toEqual({
    status: 400,
    message: "unknown field colour",
    metadata: { field: "colour" },
  });
  const typed = await createModel({
    configuration: { query: SEED_QUERY },
    tracking_columns: "email",
  });
  expect(typed.status).toBe(400);
  expect(typed.json.message).toContain("tracking_columns must be an array of strings");
  const enricher = await createModel({ configuration: { query: SEED_QUERY }, enricher: {} });
  expect(enricher.status).toBe(400);
  const asyncReply = await emu.call("POST", "/api/models?async=true", {
    body: { name: "M", connection_id: snowflake, configuration: { query: SEED_QUERY } },
  });
  expect(asyncReply.status).toBe(400);
  expect(asyncReply.json.message).toContain("async=true is not supported");
  expect((await emu.call("GET", "/api/models?async=false")).status).toBe(200);
});

test("PUT re-derives fields, keeps ids of unchanged names and bumps version", async () => {
  const model = (
    await createModel({ configuration: { query: "SELECT id, email FROM users" }, identifier: "id" })
  ).json.data;
  const reply = await emu.ok("PUT", `/api/models/${model.id}`, {
    body: {
      name: "Renamed",
      connection_id: snowflake,
      configuration: { query: "SELECT email, plan FROM users" },
    },
  });
  const updated = reply.json.data;
  expect(updated.id).toBe(model.id);
  expect(updated.version).toBe(2);
  expect(updated.name).toBe("Renamed");
  expect(updated.identifier).toBeUndefined();
  expect(names(updated.fields)).toEqual(["email", "plan"]);
  expect(updated.fields[0].id).toBe(model.fields[1].id);
  expect(updated.fields[1].id).not.toBe(model.fields[0].id);
  expect(updated.created_at).toBe(model.created_at);
});

test("DELETE removes the model", async () => {
  const model = (await createModel({ configuration: { query: "SELECT id FROM users" } })).json.data;
  expect((await emu.call("DELETE", `/api/models/${model.id}`)).status).toBe(200);
  expect((await emu.call("GET", `/api/models/${model.id}`)).status).toBe(404);
});
