/**
 * Models (polytomic-api.md §4): fields come from running the source in the embedded warehouse
 * (names as Snowflake gives them, types from the engine), what Snowflake would refuse is a 400
 * naming it, references are checked, PUT replaces, `?async=true` answers a job, and the list is
 * paginated newest first.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { SEED_QUERY, SNOWFLAKE_PASSWORD, TestEmulator } from "./helpers";

let emu: TestEmulator;
let snowflake: string;

beforeAll(async () => {
  emu = await TestEmulator.start({
    catalog: {
      orders: {
        columns: { order_id: "NUMBER", user_id: "NUMBER", total: "NUMBER(10,2)" },
        rows: [
          [1, 1, 19.5],
          [2, 1, 5],
          [3, 2, 42.25],
        ],
      },
    },
  });
  snowflake = await emu.snowflake();
});

afterAll(() => emu.close());

function createModel(body: Record<string, unknown>, query = "") {
  return emu.call("POST", `/api/models${query}`, {
    body: { name: "Model", connection_id: snowflake, ...body },
  });
}

const names = (fields: readonly { name: string }[]) => fields.map((field) => field.name);
const types = (fields: readonly { name: string; type: string; remote_type: string }[]) =>
  fields.map((field) => [field.name, field.type, field.remote_type]);

test("fields are the query's output columns, aliases winning, typed by the warehouse", async () => {
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
  expect(types(model.fields)).toEqual([
    ["last_activity_date", "datetime", "date"],
    ["plan", "string", "varchar"],
    ["first_name", "string", "varchar"],
    ["last_name", "string", "varchar"],
    ["email", "string", "varchar"],
  ]);
  expect(model.fields[2]).toEqual(
    expect.objectContaining({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "first_name",
      label: "First Name",
      user_added: false,
    }),
  );
  expect((await emu.ok("GET", `/api/models/${model.id}`)).json.data).toEqual(model);
  expect((await emu.ok("GET", "/api/models")).json.data).toContainEqual(model);
});

test("* expands to the table's columns; tables resolve as Snowflake resolves names", async () => {
  const star = await createModel({ configuration: { query: "SELECT * FROM users" } });
  expect(types(star.json.data.fields)).toEqual([
    ["id", "number", "number"],
    ["email", "string", "varchar"],
    ["first_name", "string", "varchar"],
    ["last_name", "string", "varchar"],
    ["plan", "string", "varchar"],
    ["last_activity_date", "datetime", "date"],
    ["created_at", "datetime", "timestamp_ntz"],
  ]);
  // The connection's dbname is "database": its PUBLIC schema holds the warehouse's tables.
  const qualified = await createModel({
    configuration: {
      query:
        "SELECT o.total, u.* FROM database.public.USERS u JOIN public.orders o ON u.id = o.user_id",
    },
  });
  expect(names(qualified.json.data.fields).slice(0, 3)).toEqual(["total", "id", "email"]);
  expect(qualified.json.data.fields[0].type).toBe("number");
  const table = await createModel({ configuration: { table: "orders" } });
  expect(names(table.json.data.fields)).toEqual(["order_id", "user_id", "total"]);
  const inSchema = await createModel({ configuration: { schema: "public", table: "orders" } });
  expect(inSchema.status).toBe(200);
  const sub = await createModel({ configuration: { query: "SELECT * FROM (SELECT 1 AS a) s" } });
  expect(types(sub.json.data.fields)).toEqual([["a", "number", "number"]]);
});

test("models saved at once against a database not yet seen all get their fields", async () => {
  const connection = await emu.ok("POST", "/api/connections", {
    body: {
      name: "Analytics",
      type: "snowflake",
      configuration: {
        account: "uc193736182",
        username: "user",
        dbname: "marketing",
        password: SNOWFLAKE_PASSWORD,
      },
    },
  });
  const replies = await Promise.all(
    [1, 2, 3, 4, 5].map((n) =>
      createModel({
        name: `Concurrent ${n}`,
        connection_id: connection.json.data.id,
        configuration: { query: "SELECT id FROM marketing.public.users" },
      }),
    ),
  );
  expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200]);
  expect(replies.map((reply) => names(reply.json.data.fields))).toEqual(
    Array.from({ length: 5 }, () => ["id"]),
  );
});

test("unnamed columns are named as Snowflake names them; quoted names keep their case", async () => {
  const reply = await createModel({
    configuration: {
      query: 'SELECT plan, count(*), MAX(id) + 1, plan AS "Plan Name" FROM users GROUP BY plan',
    },
  });
  expect(reply.status).toBe(200);
  expect(types(reply.json.data.fields)).toEqual([
    ["plan", "string", "varchar"],
    ["COUNT(*)", "number", "number"],
    ["MAX(ID) + 1", "number", "number"],
    ["Plan Name", "string", "varchar"],
  ]);
});

test("common Snowflake syntax runs: QUALIFY, IFF, ILIKE, GROUP BY ALL, :: casts", async () => {
  const reply = await createModel({
    configuration: {
      query:
        "SELECT email, IFF(plan = 'pro', 1, 0) AS is_pro, id::varchar AS id_text FROM users WHERE email ILIKE '%EXAMPLE%' QUALIFY ROW_NUMBER() OVER (PARTITION BY plan ORDER BY id) = 1",
    },
  });
  expect(reply.status).toBe(200);
  expect(types(reply.json.data.fields)).toEqual([
    ["email", "string", "varchar"],
    ["is_pro", "number", "number"],
    ["id_text", "string", "varchar"],
  ]);
  const grouped = await createModel({
    configuration: { query: "SELECT plan, COUNT(*) AS n FROM users GROUP BY ALL" },
  });
  expect(names(grouped.json.data.fields)).toEqual(["plan", "n"]);
});

test.each([
  [
    "an unknown column",
    "SELECT nonexistent_col FROM users",
    "SQL compilation error: error line 1 at position 7: invalid identifier 'NONEXISTENT_COL'",
  ],
  [
    "an unknown table",
    "SELECT * FROM invoices",
    "SQL compilation error: Object 'INVOICES' does not exist or not authorized.",
  ],
  [
    "an unknown database",
    "SELECT id FROM analytics.public.users",
    "Database 'ANALYTICS' does not exist or not authorized.",
  ],
  ["an unparseable query", "SELEKT id FROM users", 'syntax error at or near "SELEKT"'],
  ["a statement that is not a SELECT", "UPDATE users SET plan = 1", "must be a SELECT"],
  ["two statements", "SELECT 1 AS a; SELECT 2 AS b", "holds 2 statements"],
  ["a duplicated column", "SELECT id, * FROM users", "returns the column id more than once"],
  [
    "a query reading the file system",
    "SELECT * FROM read_csv('/etc/passwd')",
    "file system operations are disabled",
  ],
])("%s is a 400 naming the problem", async (_case, query, reason) => {
  const reply = await createModel({ configuration: { query } });
  expect(reply.status).toBe(400);
  expect(reply.json.message).toContain(reason);
  expect(reply.json.metadata).toEqual({ field: "configuration.query" });
  expect(reply.json.message).toMatch(/^configuration\.query: /);
});

test("a table that does not exist is a 400 naming it", async () => {
  const reply = await createModel({ configuration: { table: "invoices" } });
  expect(reply.status).toBe(400);
  expect(reply.json.message).toContain("Object 'INVOICES' does not exist or not authorized.");
  const bad = await createModel({ configuration: { table: "users; DROP TABLE users" } });
  expect(bad.status).toBe(400);
  expect(bad.json.message).toContain("is not a table name");
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
  expect(badIdentifier.status).toBe(400);
  expect(badIdentifier.json.message).toContain("identifier: id is not a field of the model");
  const badTracking = await createModel({
    configuration: { query: SEED_QUERY },
    tracking_columns: ["updated_at"],
  });
  expect(badTracking.status).toBe(400);
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
    400,
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
  expect(missing.status).toBe(400);
  const salesforce = await emu.salesforce();
  expect(
    (await createModel({ connection_id: salesforce, configuration: { query: SEED_QUERY } })).status,
  ).toBe(400);
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
  expect(unhealthy.status).toBe(400);
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
  expect(badField.status).toBe(400);
});

test("unknown or wrongly typed body fields are 400 naming the field", async () => {
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
  const policies = await createModel({ configuration: { query: SEED_QUERY }, policies: ["p1"] });
  expect(policies.json).toEqual({
    status: 400,
    message: "policy p1 not found",
    metadata: { field: "policies" },
  });
  expect((await emu.call("GET", "/api/models?async=maybe")).status).toBe(400);
});

async function job(type: string, id: string) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const reply = await emu.ok("GET", `/api/jobs/${type}/${id}`);
    if (reply.json.data.status === "done" || reply.json.data.status === "failed") {
      return reply.json.data;
    }
    await sleep(20);
  }
  throw new Error(`job ${id} never finished`);
}

describe("async=true", () => {
  test("a create answers a job at once; polled, it is done with the model as result", async () => {
    const reply = await createModel({ configuration: { query: SEED_QUERY } }, "?async=true");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      job: {
        job_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: "createmodel",
        status: "created",
      },
    });
    const done = await job("createmodel", reply.json.job.job_id);
    expect(done).toEqual({
      job_id: reply.json.job.job_id,
      type: "createmodel",
      status: "done",
      result: expect.objectContaining({ name: "Model", version: 1 }),
    });
    const stored = await emu.ok("GET", `/api/models/${done.result.id}`);
    expect(names(stored.json.data.fields)).toEqual([
      "last_activity_date",
      "plan",
      "first_name",
      "last_name",
      "email",
    ]);
  });

  test("a source the warehouse refuses fails the job with the same message, creating nothing", async () => {
    const before = (await emu.ok("GET", "/api/models")).json.data.length;
    const reply = await createModel(
      { configuration: { query: "SELECT nope FROM users" } },
      "?async=true",
    );
    const failed = await job("createmodel", reply.json.job.job_id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("invalid identifier 'NOPE'");
    expect(failed.result).toBeUndefined();
    expect((await emu.ok("GET", "/api/models")).json.data.length).toBe(before);
  });

  test("an update answers an updatemodel job; a bad body is still refused at once", async () => {
    const model = (await createModel({ configuration: { query: "SELECT id FROM users" } })).json
      .data;
    const reply = await emu.ok("PUT", `/api/models/${model.id}?async=true`, {
      body: { name: "Renamed", connection_id: snowflake, configuration: { query: SEED_QUERY } },
    });
    expect(reply.json.job.type).toBe("updatemodel");
    const done = await job("updatemodel", reply.json.job.job_id);
    expect(done.result).toEqual(
      expect.objectContaining({ id: model.id, name: "Renamed", version: 2 }),
    );
    const refused = await emu.call("PUT", `/api/models/${model.id}?async=true`, {
      body: { name: "X", connection_id: snowflake, configuration: {} },
    });
    expect(refused.status).toBe(400);
    expect((await emu.call("GET", `/api/jobs/createmodel/${reply.json.job.job_id}`)).status).toBe(
      404,
    );
    expect((await emu.call("GET", `/api/jobs/makecoffee/${reply.json.job.job_id}`)).status).toBe(
      400,
    );
  });
});

test("the list is newest first and paginated with limit and page_token", async () => {
  const fresh = await TestEmulator.start();
  try {
    const connection = await fresh.snowflake();
    const ids: string[] = [];
    for (const name of ["First", "Second", "Third"]) {
      const reply = await fresh.ok("POST", "/api/models", {
        body: { name, connection_id: connection, configuration: { query: "SELECT id FROM users" } },
      });
      ids.push(reply.json.data.id);
      await sleep(5);
    }
    const first = await fresh.ok("GET", "/api/models?limit=2");
    expect(first.json.data.map((model: { name: string }) => model.name)).toEqual([
      "Third",
      "Second",
    ]);
    const token = first.json.pagination.next_page_token;
    expect(typeof token).toBe("string");
    const second = await fresh.ok("GET", `/api/models?limit=2&page_token=${token}`);
    expect(second.json.data.map((model: { name: string }) => model.name)).toEqual(["First"]);
    expect(second.json.pagination).toEqual({});
    expect((await fresh.ok("GET", "/api/models")).json.data).toHaveLength(3);
    expect((await fresh.call("GET", "/api/models?page_token=garbage")).status).toBe(400);
  } finally {
    await fresh.close();
  }
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
  const refused = await emu.call("PUT", `/api/models/${model.id}`, {
    body: {
      name: "X",
      connection_id: snowflake,
      configuration: { query: "SELECT nope FROM users" },
    },
  });
  expect(refused.status).toBe(400);
  expect((await emu.ok("GET", `/api/models/${model.id}`)).json.data.version).toBe(2);
});

test("DELETE removes the model", async () => {
  const model = (await createModel({ configuration: { query: "SELECT id FROM users" } })).json.data;
  expect((await emu.call("DELETE", `/api/models/${model.id}`)).status).toBe(200);
  expect((await emu.call("GET", `/api/models/${model.id}`)).status).toBe(404);
});
