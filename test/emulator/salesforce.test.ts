/**
 * The emulated Salesforce: records per organization (login host), Salesforce's rules on every
 * write, the test routes that list and create records, and the domains a connection may name.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idSuffix, recordId } from "../../lib/emulator/salesforce/ids";
import { seedSync, TestEmulator } from "./helpers";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});

afterAll(() => emu.close());

function create(instance: string, object: string, records: unknown[]) {
  return emu.call("POST", `/emulator/salesforce/${encodeURIComponent(instance)}/${object}`, {
    key: null,
    body: { records },
  });
}

async function list(instance: string, object: string) {
  return (await emu.ok("GET", `/emulator/salesforce/${instance}/${object}`, { key: null })).json
    .records;
}

test("records get 18-character ids with the object's prefix and Salesforce's checksum", async () => {
  const reply = await create("ids.my.salesforce.com", "Lead", [
    { LastName: "Lovelace", Company: "Analytical Engines" },
  ]);
  expect(reply.status).toBe(200);
  const [id] = reply.json.ids;
  expect(id).toMatch(/^00Q[A-Za-z0-9]{15}$/);
  expect(id.slice(15)).toBe(idSuffix(id.slice(0, 15)));
  // Salesforce's own example: 001A0000006Vm9r → suffix IAC.
  expect(idSuffix("001A0000006Vm9r")).toBe("IAC");
  expect(recordId("003", 1)).not.toBe(recordId("003", 2));
  const [lead] = await list("ids.my.salesforce.com", "Lead");
  expect(lead).toEqual({
    Id: id,
    OwnerId: expect.stringMatching(/^005/),
    LastName: "Lovelace",
    Company: "Analytical Engines",
    CreatedDate: expect.any(String),
    LastModifiedDate: expect.any(String),
  });
});

test.each([
  [
    "a required field missing",
    "Contact",
    { FirstName: "Ada" },
    "REQUIRED_FIELD_MISSING",
    "Required fields are missing: [LastName]",
  ],
  [
    "both required Lead fields missing",
    "Lead",
    { Email: "a@example.com" },
    "REQUIRED_FIELD_MISSING",
    "Required fields are missing: [LastName, Company]",
  ],
  [
    "text over the field's length",
    "Contact",
    { LastName: "x".repeat(81) },
    "STRING_TOO_LONG",
    "Last Name: data value too large",
  ],
  [
    "an invalid email",
    "Contact",
    { LastName: "L", Email: "john doe@example.com" },
    "INVALID_EMAIL_ADDRESS",
    "Email: invalid email address: john doe@example.com",
  ],
  [
    "text in a number field",
    "Account",
    { Name: "A", NumberOfEmployees: "lots" },
    "INVALID_TYPE_ON_FIELD_IN_RECORD",
    "Employees: value not of required type: lots",
  ],
  [
    "a malformed date",
    "Contact",
    { LastName: "L", Birthdate: "2024-02-30" },
    "INVALID_TYPE_ON_FIELD_IN_RECORD",
    "Birthdate: value not of required type",
  ],
  [
    "a lookup to no record",
    "Contact",
    { LastName: "L", AccountId: "001Em0000000009ZZZ" },
    "INVALID_CROSS_REFERENCE_KEY",
    "Account ID: invalid cross reference id",
  ],
  [
    "a field the object does not have",
    "Contact",
    { LastName: "L", Shoe_Size__c: 42 },
    "INVALID_FIELD",
    "No such column 'Shoe_Size__c' on entity 'Contact'",
  ],
  [
    "a field Salesforce maintains",
    "Contact",
    { LastName: "L", Id: "003Em0000000001IAA" },
    "INVALID_FIELD_FOR_INSERT_UPDATE",
    "Unable to create/update fields: Id",
  ],
])(
  "%s is refused as Salesforce refuses it, and nothing is created",
  async (_case, object, record, code, message) => {
    const instance = "rules.my.salesforce.com";
    const before = (await list(instance, object)).length;
    const reply = await create(
      instance,
      object,
      [{ LastName: "Fine", Name: "Fine", Company: "Fine" }, record].map((r, i) =>
        i === 0 ? pick(object, r) : r,
      ),
    );
    expect(reply.status).toBe(400);
    expect(reply.json.metadata.errors).toEqual([
      expect.objectContaining({ index: 1, code, message: expect.stringContaining(message) }),
    ]);
    expect(reply.json.message).toContain(`records[1]: ${code}`);
    expect(await list(instance, object)).toHaveLength(before);
  },
);

/** A valid record of `object` from a superset of required fields. */
function pick(object: string, record: Record<string, unknown>) {
  const required: Record<string, string[]> = {
    Contact: ["LastName"],
    Lead: ["LastName", "Company"],
    Account: ["Name"],
  };
  return Object.fromEntries(required[object].map((field) => [field, record[field]]));
}

test("values are stored as Salesforce stores them", async () => {
  const instance = "types.my.salesforce.com";
  const account = await create(instance, "Account", [
    { Name: "Acme", NumberOfEmployees: "120", AnnualRevenue: 1.5e6, Website: "https://acme.test" },
  ]);
  const [accountId] = account.json.ids;
  await create(instance, "Contact", [
    {
      LastName: "Lovelace",
      Email: "",
      Birthdate: "1815-12-10T00:00:00Z",
      HasOptedOutOfEmail: "true",
      AccountId: accountId.slice(0, 15),
    },
  ]);
  const [stored] = await list(instance, "Account");
  expect(stored).toEqual(
    expect.objectContaining({ NumberOfEmployees: 120, AnnualRevenue: 1500000 }),
  );
  const [contact] = await list(instance, "Contact");
  expect(contact).toEqual(
    expect.objectContaining({
      Email: null,
      Birthdate: "1815-12-10",
      HasOptedOutOfEmail: true,
      AccountId: accountId,
    }),
  );
});

test("an organization is its login host: a connection id or any form of its domain reaches it", async () => {
  const connection = await emu.ok("POST", "/api/connections", {
    body: {
      name: "My Domain",
      type: "salesforce",
      configuration: {
        domain: "foocorp",
        connect_mode: "api",
        client_id: "id",
        client_secret: "secret",
        oauth_refresh_token: "refresh",
      },
    },
  });
  expect(connection.json.data.configuration.username).toBe(
    "emulator.user@foocorp.my.salesforce.com",
  );
  await create("https://foocorp.my.salesforce.com", "Contact", [{ LastName: "Shared" }]);
  for (const instance of [
    connection.json.data.id,
    "foocorp",
    "foocorp.my.salesforce.com",
    "http://foocorp.my.salesforce.com",
  ]) {
    expect(
      (await list(encodeURIComponent(instance), "Contact")).map(
        (c: { LastName: string }) => c.LastName,
      ),
    ).toEqual(["Shared"]);
  }
  expect(await list("other.my.salesforce.com", "Contact")).toEqual([]);
  expect(
    (await emu.call("GET", "/emulator/salesforce/not a domain!/Contact", { key: null })).status,
  ).toBe(404);
  expect(
    (await emu.call("GET", "/emulator/salesforce/foocorp/Opportunity", { key: null })).status,
  ).toBe(404);
  expect(
    (await emu.call("PUT", "/emulator/salesforce/foocorp/Contact", { key: null })).status,
  ).toBe(405);
});

test("the connection domains the schema allows are accepted; others are refused", async () => {
  for (const domain of [
    "http://instance.my.salesforce.com",
    "https://acme.my.salesforce.com",
    "acme.my.salesforce.com",
    "foocorp",
    "login.salesforce.com",
  ]) {
    const reply = await emu.call("POST", "/api/connections", {
      body: { name: `SF ${domain}`, type: "salesforce", configuration: { domain } },
    });
    expect([domain, reply.status]).toEqual([domain, 200]);
  }
  for (const domain of [
    "https://acme.my.salesforce.com/path",
    "ftp://acme.my.salesforce.com",
    "acme corp",
    "",
  ]) {
    const reply = await emu.call("POST", "/api/connections", {
      body: { name: "SF bad", type: "salesforce", configuration: { domain } },
    });
    expect([domain, reply.status]).toEqual([domain, 422]);
  }
});

test("records persist with --data, with the executions that wrote them", async () => {
  const dir = mkdtempSync(join(tmpdir(), "salesforce-data-"));
  const dataFile = join(dir, "state.json");
  try {
    const first = await TestEmulator.start({ dataFile });
    const { model, salesforce } = await first.seed();
    const sync = (await first.ok("POST", "/api/syncs", { body: seedSync(model.id, salesforce) }))
      .json.data.id;
    const started = (await first.ok("POST", `/api/syncs/${sync}/executions`, { body: {} })).json
      .data;
    let execution;
    do {
      execution = (await first.ok("GET", `/api/syncs/${sync}/executions/${started.id}`)).json.data;
    } while (execution.status !== "completed");
    const contacts = (
      await first.ok("GET", `/emulator/salesforce/${salesforce}/Contact`, { key: null })
    ).json.records;
    await first.close();
    const second = await TestEmulator.start({ dataFile });
    try {
      expect(
        (await second.ok("GET", `/emulator/salesforce/${salesforce}/Contact`, { key: null })).json
          .records,
      ).toEqual(contacts);
      expect(
        (await second.ok("GET", `/api/syncs/${sync}/executions/${started.id}`)).json.data,
      ).toEqual(execution);
      const rerun = (await second.ok("POST", `/api/syncs/${sync}/executions`, { body: {} })).json
        .data;
      let again;
      do {
        again = (await second.ok("GET", `/api/syncs/${sync}/executions/${rerun.id}`)).json.data;
      } while (again.status !== "completed");
      // What the first process sent is remembered: nothing is created twice.
      expect(again.counts.insert).toBe(0);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
