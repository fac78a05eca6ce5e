/**
 * The deploy's test gate (`testRun`) through the bundled CLI against the emulator: a passing test,
 * refused records failing the deploy with a readable summary, a failure that stays a failure on
 * re-runs (whether the deploy writes the sync again or not), the fix, and the bounded wait.
 */
import { KEY, TestEmulator } from "../emulator/helpers";
import type { CliResult } from "../support/cli";
import { CliStack, model, salesforce, snowflake, sync } from "../support/cli";

const PASSWORD = "correct-horse-battery-staple";
const QUERY = "SELECT email, first_name, last_name FROM users ORDER BY id";
const FIELDS = [
  { source: "first_name", target: "FirstName" },
  { source: "last_name", target: "LastName" },
];
let emulator: TestEmulator;
let env: Record<string, string>;

async function start(options: { executionDelayMs?: number } = {}): Promise<void> {
  emulator = await TestEmulator.start({
    snowflakePassword: PASSWORD,
    autoAuthorize: true,
    ...options,
  });
  env = {
    POLYTOMIC_API_URL: emulator.url,
    POLYTOMIC_API_KEY: KEY,
    SNOWFLAKE_PASSWORD: PASSWORD,
  };
}

afterEach(() => emulator.close());

function stackWith(extra: object): CliStack {
  return new CliStack([
    snowflake(),
    salesforce(),
    model("Active Users", "Snowflake Connection", { query: QUERY }),
    sync("Contacts", "Salesforce Connection", "Active Users", { testRun: true, ...extra }),
  ]);
}

interface Execution {
  id: string;
  type: string;
  status: string;
  counts: { total: number; error: number };
}

async function syncOf(name: string): Promise<{ id: string; active: boolean }> {
  const listed = (await emulator.ok("GET", "/api/syncs")).json.data as {
    id: string;
    name: string;
  }[];
  const found = listed.find((item) => item.name === name)!;
  return (await emulator.ok("GET", `/api/syncs/${found.id}`)).json.data;
}

async function executions(syncId: string): Promise<Execution[]> {
  return (await emulator.ok("GET", `/api/syncs/${syncId}/executions`)).json.data;
}

async function contacts(): Promise<unknown[]> {
  const reply = await emulator.call(
    "GET",
    "/emulator/salesforce/example.my.salesforce.com/Contact",
    {
      key: null,
    },
  );
  return (reply.json as { records: unknown[] }).records;
}

function expectRed(result: CliResult): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('sync "Contacts": test failed');
  expect(result.stderr).toContain("10 records: 10 refused");
  expect(result.stderr).toContain("refused by field: LastName 10");
  expect(result.stderr).toMatch(/record "[^"]+@[^"]+", field LastName: REQUIRED_FIELD_MISSING: /);
  expect(result.stderr).toContain("… and 5 more refused record(s)");
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe("testRun", () => {
  beforeEach(() => start());

  test("a sync that creates passes its test, writes no record, and is not tested again unchanged", async () => {
    const stack = stackWith({ fields: FIELDS });
    const first = await stack.run("deploy", env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('sync "Contacts": testing (it was created)');
    expect(first.stdout).toContain('sync "Contacts": test passed, execution');
    expect(first.stdout).toContain("completed: 10 records: 10 to insert");
    const { id } = await syncOf("Contacts");
    const [test] = await executions(id);
    expect(test).toMatchObject({
      type: "test",
      status: "completed",
      counts: { total: 10, error: 0 },
    });
    expect(await contacts()).toEqual([]);

    const second = await stack.run("deploy", env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      '= sync "Contacts" passed its test of this configuration before; not tested again',
    );
    expect(await executions(id)).toHaveLength(1);
  });

  test("refused records fail the deploy, stay red on a re-run, and the fix turns it green", async () => {
    const stack = stackWith({ fields: [FIELDS[0]] });
    const first = await stack.run("deploy", env);
    expectRed(first);
    expect(first.stderr).toContain("the sync was turned inactive");
    const { id, active } = await syncOf("Contacts");
    expect(active).toBe(false);

    const again = await stack.run("deploy", env);
    expectRed(again);
    expect(again.stdout).toContain('sync "Contacts" updated');
    expect((await executions(id)).filter((e) => e.type === "test")).toHaveLength(2);

    stack.declare([
      snowflake(),
      salesforce(),
      model("Active Users", "Snowflake Connection", { query: QUERY }),
      sync("Contacts", "Salesforce Connection", "Active Users", { testRun: true, fields: FIELDS }),
    ]);
    const fixed = await stack.run("deploy", env);
    expect(fixed.stderr).toBe("");
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain("test passed");
    expect((await syncOf("Contacts")).active).toBe(true);
  });

  test("a failed test is found in Polytomic's record when the re-run writes nothing", async () => {
    // Declared inactive, so failing does not change the sync: only the record can keep it red.
    const stack = stackWith({ fields: [FIELDS[0]], active: false });
    expectRed(await stack.run("deploy", env));
    const again = await stack.run("deploy", env);
    expect(again.stdout).not.toMatch(/created|updated/);
    expect(again.stdout).toContain('sync "Contacts": testing (its last test (execution');
    expect(again.stdout).toContain(") did not pass)");
    expectRed(again);
  });

  test("a change to the model alone tests the sync again", async () => {
    const stack = stackWith({ fields: FIELDS });
    expect((await stack.run("deploy", env)).code).toBe(0);
    const { id } = await syncOf("Contacts");
    const models = (await emulator.ok("GET", "/api/models")).json.data as { id: string }[];
    // A person edits the model in Polytomic: the deploy puts it back, and tests the sync.
    await emulator.ok("PUT", `/api/models/${models[0].id}`, {
      body: {
        name: "Active Users",
        connection_id: (await emulator.ok("GET", `/api/models/${models[0].id}`)).json.data
          .connection_id,
        configuration: { query: "SELECT email, first_name, last_name FROM users ORDER BY id DESC" },
      },
    });
    const again = await stack.run("deploy", env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('sync "Contacts": testing (its model was updated)');
    expect((await executions(id)).filter((e) => e.type === "test")).toHaveLength(2);
  });

  test("a change to a connection's settings tests the sync again; secrets sent again do not", async () => {
    const stack = stackWith({ fields: FIELDS });
    expect((await stack.run("deploy", env)).code).toBe(0);
    const resent = await stack.run("deploy", { ...env, POLYTOMIC_SEND_SECRETS: "1" });
    expect(resent.stdout).toContain('connection "Snowflake Connection" updated');
    expect(resent.stdout).toContain("passed its test of this configuration before");
    stack.declare([
      { ...snowflake(), warehouse: "other_warehouse" } as never,
      salesforce(),
      model("Active Users", "Snowflake Connection", { query: QUERY }),
      sync("Contacts", "Salesforce Connection", "Active Users", { testRun: true, fields: FIELDS }),
    ]);
    const changed = await stack.run("deploy", env);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain(
      'sync "Contacts": testing (its connection "Snowflake Connection" was updated)',
    );
  });

  test("a wrong POLYTOMIC_TEST_RUN_TIMEOUT is refused naming the variable", async () => {
    const stack = stackWith({ fields: FIELDS });
    const result = await stack.run("deploy", { ...env, POLYTOMIC_TEST_RUN_TIMEOUT: "soon" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'POLYTOMIC_TEST_RUN_TIMEOUT is "soon"; set it to a whole number of seconds above 0, e.g. 600',
    );
  });
});

describe("testRun's bounded wait", () => {
  beforeEach(() => start({ executionDelayMs: 4000 }));

  test("a test that does not end in time fails the deploy, and the next deploy waits for it", async () => {
    const stack = stackWith({ fields: FIELDS });
    const late = await stack.run("deploy", { ...env, POLYTOMIC_TEST_RUN_TIMEOUT: "1" });
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(
      /the test of sync "Contacts" \(id [^)]+\) \(execution [^)]+\) did not end within 1 s; POLYTOMIC_TEST_RUN_TIMEOUT sets how long a deploy waits/,
    );
    const again = await stack.run("deploy", { ...env, POLYTOMIC_TEST_RUN_TIMEOUT: "30" });
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("has not ended");
    expect(again.stdout).toContain("test passed");
  });
});
