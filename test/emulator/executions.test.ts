/**
 * Sync executions (polytomic-api.md §5.1, §12): a started execution runs the model's query in the
 * warehouse and writes to the emulated Salesforce by the sync's mode, mappings, filters and
 * overrides; records Salesforce refuses are counted and logged with the field and the reason;
 * test executions check a sample and write nothing; one execution at a time per sync.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { TEST_SAMPLE_SIZE } from "../../lib/emulator/executions/run";
import type { Model } from "./helpers";
import { SEED_QUERY, seedSync, TestEmulator } from "./helpers";

let emu: TestEmulator;
let snowflake: string;
let salesforce: string;
let table = 0;

beforeAll(async () => {
  emu = await TestEmulator.start();
  snowflake = await emu.snowflake();
  salesforce = await emu.salesforce();
});

afterAll(() => emu.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows and records are loose JSON
type Json = any;

async function sql(statements: string): Promise<void> {
  const reply = await emu.call("POST", "/emulator/warehouse", {
    key: null,
    raw: statements,
    contentType: "application/sql",
  });
  if (reply.status !== 200) throw new Error(`seed failed: ${reply.text}`);
}

async function query(text: string): Promise<Json[][]> {
  return (await emu.ok("POST", "/emulator/warehouse/query", { key: null, body: { sql: text } }))
    .json.rows;
}

/** A fresh copy of the built-in users table, so tests can change their data freely. */
async function peopleTable(): Promise<string> {
  table += 1;
  const name = `people_${table}`;
  await sql(`CREATE TABLE ${name} AS SELECT * FROM users ORDER BY id`);
  return name;
}

/** A Salesforce connection of its own (its own organization, so its own records). */
async function freshSalesforce(): Promise<string> {
  table += 1;
  const reply = await emu.ok("POST", "/api/connections", {
    body: {
      name: `Salesforce ${table}`,
      type: "salesforce",
      configuration: {
        domain: `org${table}.my.salesforce.com`,
        connect_mode: "api",
        client_id: "id",
        client_secret: "secret",
        oauth_refresh_token: "refresh",
      },
    },
  });
  return reply.json.data.id;
}

async function modelOf(query: string, extra: Record<string, unknown> = {}): Promise<Model> {
  const reply = await emu.ok("POST", "/api/models", {
    body: {
      name: `Model ${++table}`,
      connection_id: snowflake,
      configuration: { query },
      ...extra,
    },
  });
  return reply.json.data;
}

const source = (model: Model, field: string) => ({ model_id: model.id, field });

function contactSync(model: Model, target: string, overrides: Record<string, unknown> = {}) {
  return {
    ...seedSync(model.id, target),
    name: `Sync ${++table}`,
    schedule: { frequency: "manual" },
    ...overrides,
  };
}

async function createSync(body: Record<string, unknown>): Promise<string> {
  return (await emu.ok("POST", "/api/syncs", { body })).json.data.id;
}

async function settle(syncId: string, executionId: string): Promise<Json> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const reply = await emu.ok("GET", `/api/syncs/${syncId}/executions/${executionId}`);
    if (["completed", "failed", "canceled", "interrupted"].includes(reply.json.data.status)) {
      return reply.json.data;
    }
    await sleep(10);
  }
  throw new Error(`execution ${executionId} never ended`);
}

async function run(syncId: string, body: Record<string, unknown> = {}): Promise<Json> {
  const started = await emu.ok("POST", `/api/syncs/${syncId}/executions`, { body });
  expect(started.json.data).toEqual({
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    status: "created",
    created_at: expect.any(String),
  });
  return settle(syncId, started.json.data.id);
}

async function log(syncId: string, executionId: string, type: string): Promise<Json[]> {
  const reply = await emu.ok("GET", `/api/syncs/${syncId}/executions/${executionId}/${type}`);
  const urls: string[] = reply.json.data.urls;
  if (urls.length === 0) return [];
  const response = await request(urls[0]);
  expect(response.statusCode).toBe(200);
  return (await response.body.json()) as Json[];
}

async function records(instance: string, object = "Contact"): Promise<Json[]> {
  return (await emu.ok("GET", `/emulator/salesforce/${instance}/${object}`, { key: null })).json
    .records;
}

async function emailsOf(people: string, ids: readonly number[]): Promise<string[]> {
  const rows = await query(
    `SELECT email FROM ${people} WHERE id IN (${ids.join(", ")}) ORDER BY id`,
  );
  return rows.map(([email]) => email);
}

describe("the seed sync (create, matched on email)", () => {
  let sync: string;
  let target: string;
  let first: Json;

  beforeAll(async () => {
    target = await freshSalesforce();
    const model = await emu.model(snowflake, SEED_QUERY);
    sync = await createSync(contactSync(model, target));
    first = await run(sync);
  });

  test("moves the rows into Contact; refused records are counted, duplicates warned", async () => {
    const [[rows]] = await query("SELECT count(*) FROM users");
    expect(first).toEqual(
      expect.objectContaining({
        type: "manual",
        status: "completed",
        errors: [],
        started_at: expect.any(String),
        completed_at: expect.any(String),
      }),
    );
    // docs/EMULATOR.md: 12 missing last names, 5 over-long names, 6 invalid emails, 8 duplicates.
    expect(first.counts).toEqual({
      total: rows,
      insert: rows - 23 - 8,
      update: 0,
      upserts: 0,
      delete: 0,
      error: 23,
      warnings: 8,
    });
    const contacts = await records(target);
    expect(contacts).toHaveLength(first.counts.insert);
    for (const contact of contacts) {
      expect(contact.Id).toMatch(/^003[A-Za-z0-9]{15}$/);
      expect(contact.LastName).toEqual(expect.any(String));
      expect(contact.FirstName.length).toBeLessThanOrEqual(40);
    }
    expect(new Set(contacts.map((c) => c.Email.toLowerCase())).size).toBe(contacts.length);
  });

  test("each refused record is logged with its identity, the field and Salesforce's reason", async () => {
    const errors = await log(sync, first.id, "errors");
    const byEmail = (email: string) => errors.filter((entry) => entry.identity === email);
    const [missing, long, invalid] = await Promise.all([
      emailsOf("users", [23]),
      emailsOf("users", [52]),
      emailsOf("users", [19]),
    ]);
    expect(byEmail(missing[0])).toEqual([
      expect.objectContaining({
        field: "LastName",
        code: "REQUIRED_FIELD_MISSING",
        message: "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]",
        record: expect.objectContaining({ LastName: null, Email: missing[0] }),
      }),
    ]);
    expect(byEmail(long[0])).toEqual([
      expect.objectContaining({
        field: "FirstName",
        code: "STRING_TOO_LONG",
        message: expect.stringContaining("(max length=40)"),
      }),
    ]);
    expect(byEmail(invalid[0])).toEqual([
      expect.objectContaining({
        field: "Email",
        code: "INVALID_EMAIL_ADDRESS",
        message: "INVALID_EMAIL_ADDRESS: Email: invalid email address: not-an-email",
      }),
    ]);
    const refused = new Set(errors.map((entry) => entry.identity));
    expect(refused.size).toBe(first.counts.error);
    const warnings = await log(sync, first.id, "warnings");
    expect(warnings).toHaveLength(8);
    expect(warnings[0].message).toContain("another record of the model has the same email");
    const inserts = await log(sync, first.id, "inserts");
    expect(inserts).toHaveLength(first.counts.insert);
    expect(inserts[0]).toEqual(
      expect.objectContaining({ id: expect.stringMatching(/^003/), identity: expect.any(String) }),
    );
  });

  test("the status reports the last execution; a second run of unchanged data creates nothing", async () => {
    const status = await emu.ok("GET", `/api/syncs/${sync}/status`);
    expect(status.json.data).toEqual({ last_execution: first });
    const before = await records(target);
    const second = await run(sync);
    expect(second.counts).toEqual(
      expect.objectContaining({ insert: 0, update: 0, delete: 0, error: 23, warnings: 8 }),
    );
    expect(await records(target)).toEqual(before);
    const list = await emu.ok("GET", `/api/syncs/${sync}/executions`);
    expect(list.json.data.map((execution: Json) => execution.id)).toEqual([second.id, first.id]);
    const ascending = await emu.ok("GET", `/api/syncs/${sync}/executions?ascending=true`);
    expect(ascending.json.data.map((execution: Json) => execution.id)).toEqual([
      first.id,
      second.id,
    ]);
  });
});

describe("modes", () => {
  test("create never updates a record its identity matches, even after the data changed", async () => {
    const people = await peopleTable();
    const target = await freshSalesforce();
    const model = await modelOf(`SELECT id, email, first_name, last_name FROM ${people}`);
    const sync = await createSync(contactSync(model, target));
    await run(sync);
    const [email] = await emailsOf(people, [1]);
    const before = (await records(target)).find((contact) => contact.Email === email);
    await sql(`UPDATE ${people} SET last_name = 'Changed' WHERE id = 1`);
    const again = await run(sync);
    expect(again.counts).toEqual(
      expect.objectContaining({ total: 1 + 23 + 8, insert: 0, update: 0 }),
    );
    expect((await records(target)).find((contact) => contact.Email === email)).toEqual(before);
  });

  test("updateOrCreate updates what changed, creates what is new, and an unchanged rerun does nothing", async () => {
    const people = await peopleTable();
    const target = await freshSalesforce();
    const model = await modelOf(`SELECT id, email, first_name, last_name FROM ${people}`);
    const sync = await createSync(contactSync(model, target, { mode: "updateOrCreate" }));
    const first = await run(sync);
    expect(first.counts.upserts).toBe(first.counts.insert);
    await sql(
      `UPDATE ${people} SET last_name = 'Changed' WHERE id = 1; INSERT INTO ${people} VALUES (1000, 'new.person@example.com', 'New', 'Person', 'pro', DATE '2025-01-01', TIMESTAMP '2024-01-01 00:00:00')`,
    );
    const second = await run(sync);
    expect(second.counts).toEqual(
      expect.objectContaining({ insert: 1, update: 1, upserts: 2, delete: 0 }),
    );
    const [email] = await emailsOf(people, [1]);
    const contacts = await records(target);
    expect(contacts.find((contact) => contact.Email === email).LastName).toBe("Changed");
    expect(contacts.some((contact) => contact.Email === "new.person@example.com")).toBe(true);
    const third = await run(sync);
    expect(third.counts).toEqual(expect.objectContaining({ insert: 0, update: 0, delete: 0 }));
    expect(await records(target)).toEqual(contacts);
    const resync = await run(sync, { resync: true });
    expect(resync.counts.total).toBeGreaterThan(third.counts.total);
    expect(resync.counts).toEqual(expect.objectContaining({ insert: 0, update: 0 }));
  });

  test("update only updates existing records: the others are warned about, never created", async () => {
    const people = await peopleTable();
    const target = await freshSalesforce();
    const existing = await emailsOf(people, [1, 2, 3]);
    const created = await emu.ok("POST", `/emulator/salesforce/${target}/Contact`, {
      key: null,
      body: { records: existing.map((email) => ({ Email: email.toUpperCase(), LastName: "Old" })) },
    });
    expect(created.json.ids).toHaveLength(3);
    const model = await modelOf(`SELECT email, first_name, last_name FROM ${people}`);
    const sync = await createSync(contactSync(model, target, { mode: "update" }));
    const execution = await run(sync);
    expect(execution.counts).toEqual(expect.objectContaining({ update: 3, insert: 0 }));
    const contacts = await records(target);
    expect(contacts).toHaveLength(3);
    expect(contacts.map((contact) => contact.LastName)).not.toContain("Old");
    expect(contacts.map((contact) => contact.Id)).toEqual(created.json.ids);
    const warnings = await log(sync, execution.id, "warnings");
    expect(
      warnings.some((entry) => entry.message.includes("mode update never creates records")),
    ).toBe(true);
  });

  test("remove deletes the records the model's rows match", async () => {
    const people = await peopleTable();
    const target = await freshSalesforce();
    const emails = await emailsOf(people, [1, 2, 3, 4]);
    await emu.ok("POST", `/emulator/salesforce/${target}/Contact`, {
      key: null,
      body: { records: emails.map((email) => ({ Email: email, LastName: "Gone" })) },
    });
    const model = await modelOf(`SELECT email FROM ${people} WHERE id IN (1, 3)`);
    const sync = await createSync(contactSync(model, target, { mode: "remove", fields: [] }));
    const execution = await run(sync);
    expect(execution.counts).toEqual(expect.objectContaining({ delete: 2, insert: 0 }));
    expect((await records(target)).map((contact) => contact.Email)).toEqual([emails[1], emails[3]]);
    expect((await log(sync, execution.id, "deletes")).map((entry) => entry.identity)).toEqual([
      emails[0],
      emails[2],
    ]);
  });

  test("modes Salesforce cannot take are refused when the sync is saved", async () => {
    const model = await modelOf("SELECT email, last_name FROM users");
    for (const mode of ["replace", "append", "snapshot"]) {
      const reply = await emu.call("POST", "/api/syncs", {
        body: contactSync(model, salesforce, { mode }),
      });
      expect(reply.status).toBe(422);
      expect(reply.json.message).toContain(`mode ${mode} is not supported by Contact`);
    }
  });
});

describe("mappings, filters and overrides", () => {
  test("override_fields set constants; a per-field create mode never overwrites a value", async () => {
    const people = await peopleTable();
    const target = await freshSalesforce();
    const model = await modelOf(
      `SELECT email, first_name, last_name, plan FROM ${people} WHERE id <= 5`,
    );
    const sync = await createSync(
      contactSync(model, target, {
        mode: "updateOrCreate",
        fields: [
          { source: source(model, "last_name"), target: "LastName" },
          { source: source(model, "plan"), target: "Title", sync_mode: "create" },
        ],
        override_fields: [{ target: "LeadSource", override_value: "Polytomic" }],
      }),
    );
    await run(sync);
    await sql(`UPDATE ${people} SET plan = 'changed', last_name = 'New' WHERE id = 1`);
    await run(sync);
    const [email] = await emailsOf(people, [1]);
    const contact = (await records(target)).find((record) => record.Email === email);
    expect(contact.LeadSource).toBe("Polytomic");
    expect(contact.LastName).toBe("New");
    expect(contact.Title).not.toBe("changed");
  });

  test("model filters and filter_logic select rows; overrides replace values on a condition", async () => {
    const people = await peopleTable();
    const target = await freshSalesforce();
    const model = await modelOf(
      `SELECT id, email, first_name, last_name, plan FROM ${people} WHERE id <= 40`,
    );
    const sync = await createSync(
      contactSync(model, target, {
        fields: [
          { source: source(model, "first_name"), target: "FirstName" },
          { source: source(model, "last_name"), target: "LastName" },
        ],
        filters: [
          { field: source(model, "plan"), function: "Equality", value: "pro" },
          { field: source(model, "id"), function: "LessThanEqual", value: 20 },
          { field: source(model, "plan"), function: "Equality", value: "enterprise" },
        ],
        filter_logic: "(A OR C) AND B",
        overrides: [{ field: source(model, "last_name"), function: "IsNull", override: "Unknown" }],
      }),
    );
    const execution = await run(sync);
    const expected = await query(
      `SELECT email, coalesce(last_name, 'Unknown') FROM ${people} WHERE id <= 20 AND plan IN ('pro', 'enterprise') ORDER BY id`,
    );
    const contacts = await records(target);
    expect(contacts.map((contact) => contact.Email).sort()).toEqual(
      expected
        .map(([email]) => email)
        .filter((email) => email.includes("@") && !email.startsWith("@"))
        .sort(),
    );
    expect(execution.counts.total).toBe(expected.length);
    for (const contact of contacts) expect(contact.LastName).not.toBeNull();
  });

  test("target filters (mode update) restrict which records may be updated", async () => {
    const people = await peopleTable();
    const target = await freshSalesforce();
    const emails = await emailsOf(people, [1, 2]);
    await emu.ok("POST", `/emulator/salesforce/${target}/Contact`, {
      key: null,
      body: {
        records: [
          { Email: emails[0], LastName: "Old", LeadSource: "Web" },
          { Email: emails[1], LastName: "Old", LeadSource: "Partner" },
        ],
      },
    });
    const model = await modelOf(`SELECT email, last_name FROM ${people} WHERE id <= 2`);
    const sync = await createSync(
      contactSync(model, target, {
        mode: "update",
        fields: [{ source: source(model, "last_name"), target: "LastName" }],
        filters: [
          { field_id: "LeadSource", field_type: "Target", function: "Equality", value: "Web" },
        ],
      }),
    );
    const execution = await run(sync);
    expect(execution.counts.update).toBe(1);
    const contacts = await records(target);
    expect(contacts.find((c) => c.Email === emails[0]).LastName).not.toBe("Old");
    expect(contacts.find((c) => c.Email === emails[1]).LastName).toBe("Old");
  });

  test("types and references follow Salesforce: a number field refuses text, a lookup needs a record", async () => {
    await sql(
      "CREATE TABLE companies (name VARCHAR, size VARCHAR, parent VARCHAR); INSERT INTO companies VALUES ('Acme', '120', NULL), ('Globex', 'many', NULL), ('Initech', '5', '001Em0000000000ZZZ')",
    );
    const target = await freshSalesforce();
    const model = await emu.ok("POST", "/api/models", {
      body: { name: "Companies", connection_id: snowflake, configuration: { table: "companies" } },
    });
    const companies: Model = model.json.data;
    const sync = await createSync({
      name: "Companies to Account",
      mode: "create",
      fields: [
        { source: source(companies, "name"), target: "Name" },
        { source: source(companies, "size"), target: "NumberOfEmployees" },
        { source: source(companies, "parent"), target: "ParentId" },
      ],
      schedule: { frequency: "manual" },
      target: { connection_id: target, object: "Account" },
    });
    const execution = await run(sync);
    expect(execution.counts).toEqual(expect.objectContaining({ insert: 1, error: 2 }));
    const errors = await log(sync, execution.id, "errors");
    expect(errors.map((entry) => [entry.field, entry.code])).toEqual([
      ["NumberOfEmployees", "INVALID_TYPE_ON_FIELD_IN_RECORD"],
      ["ParentId", "INVALID_CROSS_REFERENCE_KEY"],
    ]);
    const [account] = await records(target, "Account");
    expect(account).toEqual(expect.objectContaining({ Name: "Acme", NumberOfEmployees: 120 }));
    expect(account.Id).toMatch(/^001/);
  });
});

describe("test executions", () => {
  test(`check the first ${TEST_SAMPLE_SIZE} records and write nothing`, async () => {
    const target = await freshSalesforce();
    const model = await emu.model(snowflake, SEED_QUERY);
    const sync = await createSync(contactSync(model, target));
    const execution = await run(sync, { test: true });
    expect(execution.type).toBe("test");
    expect(execution.counts).toEqual(
      expect.objectContaining({ total: TEST_SAMPLE_SIZE, insert: TEST_SAMPLE_SIZE, error: 0 }),
    );
    expect(await records(target)).toEqual([]);
    expect((await log(sync, execution.id, "records")).map((entry) => entry.operation)).toEqual(
      Array(TEST_SAMPLE_SIZE).fill("insert"),
    );
    const real = await run(sync);
    expect(real.counts.insert).toBeGreaterThan(TEST_SAMPLE_SIZE);
  });

  test("a sync that maps nothing to a required field fails its test, naming the field and the records", async () => {
    const target = await freshSalesforce();
    const model = await emu.model(snowflake, SEED_QUERY);
    const sync = await createSync(
      contactSync(model, target, {
        fields: [{ source: source(model, "first_name"), target: "FirstName" }],
      }),
    );
    const execution = await run(sync, { test: true });
    expect(execution.counts).toEqual(
      expect.objectContaining({ error: TEST_SAMPLE_SIZE, insert: 0 }),
    );
    const errors = await log(sync, execution.id, "errors");
    expect(new Set(errors.map((entry) => entry.field))).toEqual(new Set(["LastName"]));
    expect(errors[0].identity).toEqual(expect.stringContaining("@"));
    expect(await records(target)).toEqual([]);
  });

  test("identities select which records an execution handles", async () => {
    const target = await freshSalesforce();
    const model = await emu.model(snowflake, SEED_QUERY);
    const sync = await createSync(contactSync(model, target));
    const emails = await emailsOf("users", [5, 6]);
    const execution = await run(sync, { identities: emails.map((e) => e.toUpperCase()) });
    expect(execution.counts).toEqual(expect.objectContaining({ total: 2, insert: 2 }));
    expect((await records(target)).map((contact) => contact.Email).sort()).toEqual(emails.sort());
    const noIdentity = await createSync(
      contactSync(model, target, { identity: undefined, name: "No identity" }),
    );
    const refused = await emu.call("POST", `/api/syncs/${noIdentity}/executions`, {
      body: { identities: ["x"] },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain("has no identity");
  });
});

describe("failures", () => {
  test("a model whose query no longer runs fails the execution with the warehouse's reason", async () => {
    await sql(
      "CREATE TABLE fragile (email VARCHAR, last_name VARCHAR); INSERT INTO fragile VALUES ('a@example.com', 'A')",
    );
    const target = await freshSalesforce();
    const model = await modelOf("SELECT email, last_name FROM fragile");
    const sync = await createSync(
      contactSync(model, target, {
        fields: [{ source: source(model, "last_name"), target: "LastName" }],
      }),
    );
    await sql("DROP TABLE fragile");
    const execution = await run(sync);
    expect(execution.status).toBe("failed");
    expect(execution.errors).toEqual([
      expect.stringContaining("Object 'FRAGILE' does not exist or not authorized."),
    ]);
    expect(await records(target)).toEqual([]);
  });

  test("syncs into Snowflake tables are not run by the emulator, and it says so", async () => {
    await sql("CREATE TABLE sink (email VARCHAR)");
    const model = await modelOf("SELECT email FROM users");
    const sync = await createSync({
      name: "To warehouse",
      mode: "create",
      fields: [{ source: source(model, "email"), target: "email" }],
      schedule: { frequency: "manual" },
      target: { connection_id: snowflake, object: "sink" },
    });
    const reply = await emu.call("POST", `/api/syncs/${sync}/executions`, { body: {} });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toContain("runs executions of syncs into Salesforce only");
  });

  test("the start body is checked; unknown syncs and executions are 404", async () => {
    const model = await emu.model(snowflake, SEED_QUERY);
    const sync = await createSync(contactSync(model, salesforce));
    for (const body of [{ test: "yes" }, { identities: "x" }, { force: true }]) {
      expect((await emu.call("POST", `/api/syncs/${sync}/executions`, { body })).status).toBe(400);
    }
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await emu.call("POST", `/api/syncs/${missing}/executions`, { body: {} })).status).toBe(
      404,
    );
    expect((await emu.call("GET", `/api/syncs/${sync}/executions/${missing}`)).status).toBe(404);
    expect((await emu.call("GET", `/api/syncs/${missing}/status`)).status).toBe(404);
  });
});

describe("one execution at a time", () => {
  let slow: TestEmulator;

  beforeAll(async () => {
    slow = await TestEmulator.start({ executionDelayMs: 300 });
  });

  afterAll(() => slow.close());

  test("a start while one is in progress is 409; the status shows it; cancelling ends it", async () => {
    const { model, salesforce: target } = await slow.seed();
    const sync = (await slow.ok("POST", "/api/syncs", { body: seedSync(model.id, target) })).json
      .data.id;
    const first = (await slow.ok("POST", `/api/syncs/${sync}/executions`, { body: {} })).json.data;
    const second = await slow.call("POST", `/api/syncs/${sync}/executions`, {
      body: { test: true },
    });
    expect(second.status).toBe(409);
    expect(second.json.message).toContain(`already has an execution in progress (id ${first.id}`);
    const status = await slow.ok("GET", `/api/syncs/${sync}/status`);
    expect(status.json.data.current_execution).toEqual(
      expect.objectContaining({ id: first.id, status: "created" }),
    );
    const cancel = await slow.ok("POST", `/api/syncs/${sync}/executions/${first.id}/cancel`);
    expect(cancel.json.data).toEqual({ message: "Cancellation requested" });
    await sleep(400);
    const ended = (await slow.ok("GET", `/api/syncs/${sync}/executions/${first.id}`)).json.data;
    expect(ended.status).toBe("canceled");
    expect(
      (await slow.ok("GET", `/emulator/salesforce/${target}/Contact`, { key: null })).json.records,
    ).toEqual([]);
    const late = await slow.call("POST", `/api/syncs/${sync}/executions/${first.id}/cancel`);
    expect(late.status).toBe(400);
    expect(late.json.message).toContain("has already ended (status canceled)");
    const next = (await slow.ok("POST", `/api/syncs/${sync}/executions`, { body: {} })).json.data;
    expect((await slow.ok("POST", `/api/syncs/${sync}/cancel`)).json.data.message).toBe(
      "Cancellation requested",
    );
    await sleep(400);
    expect(
      (await slow.ok("GET", `/api/syncs/${sync}/executions/${next.id}`)).json.data.status,
    ).toBe("canceled");
    expect((await slow.ok("POST", `/api/syncs/${sync}/cancel`)).json.data.message).toBe(
      "No execution is in progress",
    );
  });

  test("deleting a sync cancels its execution and forgets its executions", async () => {
    const { model, salesforce: target } = await slow.seed();
    const sync = (await slow.ok("POST", "/api/syncs", { body: seedSync(model.id, target) })).json
      .data.id;
    const started = (await slow.ok("POST", `/api/syncs/${sync}/executions`, { body: {} })).json
      .data;
    expect((await slow.call("DELETE", `/api/syncs/${sync}`)).status).toBe(200);
    expect((await slow.call("GET", `/api/syncs/${sync}/executions/${started.id}`)).status).toBe(
      404,
    );
    await sleep(400);
    expect(
      (await slow.ok("GET", `/emulator/salesforce/${target}/Contact`, { key: null })).json.records,
    ).toEqual([]);
  });
});

describe("log files", () => {
  test("URLs are signed and short-lived; a tampered one is refused; the file endpoint redirects", async () => {
    const target = await freshSalesforce();
    const model = await emu.model(snowflake, SEED_QUERY);
    const sync = await createSync(contactSync(model, target));
    const execution = await run(sync);
    const reply = await emu.ok("GET", `/api/syncs/${sync}/executions/${execution.id}/errors`);
    const [url] = reply.json.data.urls;
    expect(new Date(reply.json.data.expires).getTime()).toBeGreaterThan(Date.now());
    const tampered = await request(
      url.replace(
        /signature=(.)/,
        (_: string, first: string) => `signature=${first === "0" ? "1" : "0"}`,
      ),
    );
    expect(tampered.statusCode).toBe(403);
    await tampered.body.dump();
    const wrongType = await request(url.replace("/errors/errors.json", "/records/errors.json"));
    expect(wrongType.statusCode).toBe(403);
    await wrongType.body.dump();
    const redirect = await emu.call(
      "GET",
      `/api/syncs/${sync}/executions/${execution.id}/errors/errors.json`,
    );
    expect(redirect.status).toBe(302);
    const followed = await request(String(redirect.headers.location));
    expect(((await followed.body.json()) as Json[]).length).toBeGreaterThan(0);
    const none = await emu.ok("GET", `/api/syncs/${sync}/executions/${execution.id}/deletes`);
    expect(none.json.data).toEqual({ urls: [] });
    expect(
      (await emu.call("GET", `/api/syncs/${sync}/executions/${execution.id}/secrets`)).status,
    ).toBe(400);
  });
});
