/** Connections referenced with fromConnectionName are used by name, never changed or deleted. */
import type { AnyJson, Emulator } from "../support/e2e";
import { api, data, inventory, Project, startEmulator } from "../support/e2e";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
});
afterAll(() => emulator.stop());

test("a stack deploys onto an imported connection and destroys without touching it", async () => {
  const created = await api(emulator, "POST", "/api/connections", {
    name: "Salesforce Prod",
    type: "salesforce",
    configuration: { domain: "prod.my.salesforce.com" },
  });
  expect(created.status).toBe(200);
  const before: AnyJson = await data(emulator, `/api/connections/${created.body.data.id}`);

  const description = seedStack("imported");
  description.connections![1] = {
    id: "Salesforce",
    type: "salesforce",
    props: { imported: true, name: "Salesforce Prod" },
  };
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description);
  expect((await project.deploy("imported")).status).toBe(0);
  const { syncs } = await inventory(emulator);
  expect(syncs.map((s) => s.target.connection_id)).toEqual([created.body.data.id]);

  expect((await project.destroy("imported")).status).toBe(0);
  const after = await inventory(emulator);
  expect(after.syncs).toEqual([]);
  expect(after.models).toEqual([]);
  expect(after.connections.map((c) => c.name)).toEqual(["Salesforce Prod"]);
  expect(await data(emulator, `/api/connections/${created.body.data.id}`)).toEqual(before);
});
