/** Two live objects already carry a name the stack declares: the deploy stops and names both. */
import type { AnyJson, Emulator } from "../support/e2e";
import { api, data, Project, startEmulator } from "../support/e2e";
import { record } from "../support/reliability";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
});
afterAll(() => emulator.stop());

async function create(path: string, body: unknown): Promise<AnyJson> {
  const { status, body: reply } = await api(emulator, "POST", path, body);
  if (status !== 200) throw new Error(`POST ${path}: ${status} ${JSON.stringify(reply)}`);
  return reply.data;
}

test("a deploy meeting two syncs with a declared name names both ids and modifies neither", async () => {
  const snowflake = await create("/api/connections", {
    name: "Snowflake Connection",
    type: "snowflake",
    configuration: {
      account: "uc193736182",
      username: "user",
      dbname: "database",
      password: SNOWFLAKE_PASSWORD,
    },
  });
  const salesforce = await create("/api/connections", {
    name: "Salesforce Connection",
    type: "salesforce",
    configuration: { domain: "example.my.salesforce.com" },
  });
  const model = await create("/api/models", {
    name: "Active Users",
    connection_id: snowflake.id,
    configuration: { query: "SELECT email, first_name, last_name FROM users" },
  });
  const sync = (n: number) => ({
    name: "Snowflake to Salesforce Sync",
    mode: "create",
    active: false,
    fields: [
      {
        source: { model_id: model.id, field: "first_name" },
        target: n === 1 ? "FirstName" : "Title",
      },
    ],
    schedule: { frequency: "manual" },
    target: { connection_id: salesforce.id, object: "Contact" },
  });
  const first = await create("/api/syncs", sync(1));
  const second = await create("/api/syncs", sync(2));
  const before = [
    await data(emulator, `/api/syncs/${first.id}`),
    await data(emulator, `/api/syncs/${second.id}`),
  ];

  const result = await new Project(emulator, { SNOWFLAKE_PASSWORD })
    .write(seedStack("conflict"))
    .deploy("conflict");
  expect(result.status).not.toBe(0);
  expect(result.output).toContain('2 syncs are named "Snowflake to Salesforce Sync"');
  expect(result.output).toContain(first.id);
  expect(result.output).toContain(second.id);
  expect(result.output).toContain("nothing was changed");
  const after = [
    await data(emulator, `/api/syncs/${first.id}`),
    await data(emulator, `/api/syncs/${second.id}`),
  ];
  expect(after).toEqual(before);
  record({
    area: "Adoption conflicts",
    scenario: "two live syncs already carry the name of a declared sync",
    how: "create both through the API, then cdktf deploy the seed stack",
    result:
      "the sync step fails with one line naming both ids; both syncs are byte-identical before and after (connections and the model, one of each name, are adopted)",
  });
});
