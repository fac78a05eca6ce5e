/**
 * Testing a sync before it goes live, end to end: real cdktf synth and deploy, real Terraform, the
 * bundled CLI in the provisioners and on the command line, the bundled emulator on 127.0.0.1. The
 * steps build on each other: the seed stack with testRun deploys green; a variant mapping nothing
 * to LastName fails naming the field and the records; a re-run without a fix stays red; the fix
 * turns it green; `sync run --wait` then moves the rows into Contact, refusing the problem rows.
 */
import type { Emulator } from "../support/e2e";
import { data, Project, startEmulator } from "../support/e2e";
import { runCli } from "../support/cli";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

const STACK = "e2e";
const SYNC = "Snowflake to Salesforce Sync";
let emulator: Emulator;
let project: Project;

function stack(fields: { source: string; target: string }[]) {
  const description = seedStack(STACK);
  const [contacts] = description.syncs!;
  contacts.props = { ...contacts.props, fields, testRun: true };
  return description;
}

const FIRST_NAME = { source: "first_name", target: "FirstName" };
const LAST_NAME = { source: "last_name", target: "LastName" };

async function syncState(): Promise<{ id: string; active: boolean }> {
  const [item] = await data(emulator, "/api/syncs");
  return data(emulator, `/api/syncs/${item.id}`);
}

async function tests(
  id: string,
): Promise<{ id: string; type: string; counts: { error: number } }[]> {
  const executions = await data(emulator, `/api/syncs/${id}/executions`);
  return executions.filter((execution: { type: string }) => execution.type === "test");
}

async function contacts(): Promise<{ Email: string; LastName: string }[]> {
  const response = await fetch(
    `${emulator.url}/emulator/salesforce/example.my.salesforce.com/Contact`,
  );
  return ((await response.json()) as { records: { Email: string; LastName: string }[] }).records;
}

function expectRed(output: string): void {
  expect(output).toContain(`sync "${SYNC}": test failed`);
  expect(output).toContain("10 records: 10 refused");
  expect(output).toContain("refused by field: LastName 10");
  expect(output).toContain(
    'record "grace.rossi1@globex.test", field LastName: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]',
  );
  expect(output).toContain("the sync was turned inactive");
}

beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
  project = new Project(emulator, { SNOWFLAKE_PASSWORD });
});

afterAll(async () => {
  await emulator?.stop();
});

describe("testRun through cdktf deploy", () => {
  let syncId: string;

  test("the seed stack with testRun deploys green, its sample checked and nothing written", async () => {
    project.write(stack([FIRST_NAME, LAST_NAME]));
    const result = await project.deploy(STACK);
    expect(result.status).toBe(0);
    expect(result.output).toContain(`sync "${SYNC}": testing (it was created)`);
    expect(result.output).toMatch(
      /test passed, execution [0-9a-f-]+ completed: 10 records: 10 to insert/,
    );
    const sync = await syncState();
    syncId = sync.id;
    expect(sync.active).toBe(true);
    expect(await tests(syncId)).toHaveLength(1);
    expect(await contacts()).toEqual([]);
  });

  test("a variant that maps nothing to LastName fails the deploy naming the field and the records", async () => {
    project.write(stack([FIRST_NAME]));
    const result = await project.deploy(STACK);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(`sync "${SYNC}" updated`);
    expectRed(result.output);
    expect((await syncState()).active).toBe(false);
  });

  test("a re-run without a fix stays red: the test runs again and fails again", async () => {
    const result = await project.deploy(STACK);
    expect(result.status).not.toBe(0);
    expectRed(result.output);
    const runs = await tests(syncId);
    expect(runs).toHaveLength(3);
    expect(runs.slice(0, 2).every((run) => run.counts.error === 10)).toBe(true);
  });

  test("after the fix it is green, and the sync active again", async () => {
    project.write(stack([FIRST_NAME, LAST_NAME]));
    const result = await project.deploy(STACK);
    expect(result.status).toBe(0);
    expect(result.output).toContain("test passed");
    expect((await syncState()).active).toBe(true);
    const again = await project.deploy(STACK);
    expect(again.status).toBe(0);
    expect(again.output).toContain(
      `= sync "${SYNC}" passed its test of this configuration before; not tested again`,
    );
  });

  test("sync run --wait moves the rows into Contact, refusing the problem rows", async () => {
    const env = { POLYTOMIC_API_URL: emulator.url, POLYTOMIC_API_KEY: emulator.apiKey };
    const run = await runCli(["sync", "run", SYNC, "--wait"], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/completed: 300 records: 269 inserted, 23 refused, 8 warnings/);
    expect(run.stdout).toContain("refused by field: LastName 14, Email 6, FirstName 3");
    const stored = await contacts();
    expect(stored).toHaveLength(269);
    // Missing (10) and empty (2) last names, over-long names (5), invalid emails (6) are refused;
    // of the 8 duplicate emails only the first record is sent.
    const emails = new Set(stored.map((contact) => contact.Email.toLowerCase()));
    expect(emails.size).toBe(269);
    expect(stored.some((contact) => !contact.LastName)).toBe(false);
    const status = await runCli(["sync", "status", SYNC], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/last: manual [0-9a-f-]+ completed/);
  });
});

test('with reconcile: "on-change", a failed test also runs again on a re-run of the same code', async () => {
  // The failed deploy step is tainted in Terraform's state, so the next apply replaces it.
  const onChange = new Project(emulator, { SNOWFLAKE_PASSWORD });
  const description = {
    ...stack([FIRST_NAME]),
    stack: "onchange",
    settings: { reconcile: "on-change" },
  };
  for (const object of [...description.connections!, ...description.models!, ...description.syncs!])
    object.props = { ...object.props, name: `${String(object.props.name)} (on-change)` };
  // Its own Salesforce organization: the one above now holds the contacts `sync run` sent.
  description.connections![1].props.domain = "https://onchange.my.salesforce.com";
  onChange.write(description);
  const first = await onChange.deploy("onchange");
  expect(first.status).not.toBe(0);
  expect(first.output).toContain(`sync "${SYNC} (on-change)": test failed`);
  const again = await onChange.deploy("onchange");
  if (again.status === 0) throw new Error(`the re-run passed:\n${again.output}`);
  expect(again.output).toContain(`sync "${SYNC} (on-change)": test failed`);
});
