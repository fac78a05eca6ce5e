/**
 * Properties of the sync modes, over generated data (model rows with duplicates, blanks and
 * case variants; Salesforce records already there): `create` never changes an existing record,
 * `update` never creates one, a second `updateOrCreate` run of unchanged data changes nothing,
 * and `remove` deletes exactly the records the model's rows match.
 */
import fc from "fast-check";
import { setTimeout as sleep } from "node:timers/promises";
import { TestEmulator } from "./helpers";

let emu: TestEmulator;
let snowflake: string;
let counter = 0;

beforeAll(async () => {
  emu = await TestEmulator.start();
  snowflake = await emu.snowflake();
});

afterAll(() => emu.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Salesforce records are loose JSON
type Json = any;

interface Row {
  readonly email: string | null;
  readonly first: string;
  readonly last: string | null;
}

const EMAILS = [
  "ada@example.com",
  "ADA@example.com",
  "alan@example.org",
  "grace@example.net",
  "bad-email",
  "kai@example.com",
];
const row = fc.record({
  email: fc.option(fc.constantFrom(...EMAILS), { freq: 6 }),
  first: fc.constantFrom("Ada", "Alan", "Grace", "x".repeat(41)),
  last: fc.option(fc.constantFrom("Lovelace", "Turing", "Hopper", ""), { freq: 5 }),
});
const existing = fc.uniqueArray(
  fc.constantFrom(...EMAILS.filter((email) => email !== "bad-email")),
  {
    maxLength: 4,
    selector: (email) => email.toLowerCase(),
  },
);

const literal = (value: string | null) =>
  value === null ? "NULL" : `'${value.replaceAll("'", "''")}'`;

async function scenario(rows: readonly Row[], emails: readonly string[]) {
  counter += 1;
  const table = `prop_${counter}`;
  const values = rows.map((r) => `(${literal(r.email)}, ${literal(r.first)}, ${literal(r.last)})`);
  const seed = await emu.call("POST", "/emulator/warehouse", {
    key: null,
    contentType: "application/sql",
    raw: `CREATE TABLE ${table} (email VARCHAR, first_name VARCHAR, last_name VARCHAR);${values.length > 0 ? ` INSERT INTO ${table} VALUES ${values.join(", ")}` : ""}`,
  });
  expect(seed.status).toBe(200);
  const target = (
    await emu.ok("POST", "/api/connections", {
      body: {
        name: `SF ${counter}`,
        type: "salesforce",
        configuration: {
          domain: `prop${counter}.my.salesforce.com`,
          connect_mode: "api",
          client_id: "i",
          client_secret: "s",
          oauth_refresh_token: "r",
        },
      },
    })
  ).json.data.id;
  if (emails.length > 0) {
    await emu.ok("POST", `/emulator/salesforce/${target}/Contact`, {
      key: null,
      body: {
        records: emails.map((email) => ({ Email: email, LastName: "Before", FirstName: "Kept" })),
      },
    });
  }
  const model = (
    await emu.ok("POST", "/api/models", {
      body: { name: `M ${counter}`, connection_id: snowflake, configuration: { table } },
    })
  ).json.data;
  const sourceOf = (field: string) => ({ model_id: model.id, field });
  const syncFor = async (mode: string) =>
    (
      await emu.ok("POST", "/api/syncs", {
        body: {
          name: `S ${counter} ${mode}`,
          mode,
          identity: { source: sourceOf("email"), target: "Email", function: "Equality" },
          fields:
            mode === "remove"
              ? []
              : [
                  { source: sourceOf("first_name"), target: "FirstName" },
                  { source: sourceOf("last_name"), target: "LastName" },
                ],
          schedule: { frequency: "manual" },
          target: { connection_id: target, object: "Contact" },
        },
      })
    ).json.data.id as string;
  return { target, syncFor };
}

async function run(sync: string): Promise<Json> {
  const { id } = (await emu.ok("POST", `/api/syncs/${sync}/executions`, { body: {} })).json.data;
  for (;;) {
    const execution = (await emu.ok("GET", `/api/syncs/${sync}/executions/${id}`)).json.data;
    if (execution.status === "completed") return execution;
    if (execution.status === "failed") throw new Error(execution.errors.join("; "));
    await sleep(5);
  }
}

async function contacts(target: string): Promise<Json[]> {
  return (await emu.ok("GET", `/emulator/salesforce/${target}/Contact`, { key: null })).json
    .records;
}

const settings = { numRuns: 15 };

test("create never changes a record that already exists", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(row, { maxLength: 8 }), existing, async (rows, emails) => {
      const { target, syncFor } = await scenario(rows, emails);
      const before = await contacts(target);
      const execution = await run(await syncFor("create"));
      const after = await contacts(target);
      for (const record of before) expect(after).toContainEqual(record);
      expect(after).toHaveLength(before.length + execution.counts.insert);
      expect(execution.counts.update).toBe(0);
    }),
    settings,
  );
});

test("update never creates a record", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(row, { maxLength: 8 }), existing, async (rows, emails) => {
      const { target, syncFor } = await scenario(rows, emails);
      const before = await contacts(target);
      const execution = await run(await syncFor("update"));
      const after = await contacts(target);
      expect(after.map((record) => record.Id)).toEqual(before.map((record) => record.Id));
      expect(execution.counts.insert).toBe(0);
    }),
    settings,
  );
});

test("a second updateOrCreate run of unchanged data changes nothing", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(row, { maxLength: 8 }), existing, async (rows, emails) => {
      const { target, syncFor } = await scenario(rows, emails);
      const sync = await syncFor("updateOrCreate");
      await run(sync);
      const between = await contacts(target);
      const second = await run(sync);
      expect(await contacts(target)).toEqual(between);
      expect(second.counts).toEqual(expect.objectContaining({ insert: 0, update: 0, delete: 0 }));
    }),
    settings,
  );
});

test("remove deletes exactly the records the model's rows match", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(row, { maxLength: 8 }), existing, async (rows, emails) => {
      const { target, syncFor } = await scenario(rows, emails);
      const before = await contacts(target);
      await run(await syncFor("remove"));
      const matched = new Set(rows.map((r) => r.email?.toLowerCase()).filter(Boolean));
      expect(await contacts(target)).toEqual(
        before.filter((record) => !matched.has(record.Email.toLowerCase())),
      );
    }),
    settings,
  );
});
