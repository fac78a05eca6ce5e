/**
 * `polytomic-cdktf sync run` and `sync status` through the bundled CLI against the emulator: a run
 * that moves the sample rows into Contact with the problem rows refused, a test run that writes
 * nothing, the status afterwards, a busy sync, an unknown name and wrong command lines.
 */
import { KEY, TestEmulator } from "../emulator/helpers";
import { CliStack, model, runCli, salesforce, snowflake, sync } from "../support/cli";

const PASSWORD = "correct-horse-battery-staple";
let emulator: TestEmulator;
let env: Record<string, string>;

async function deploySeed(): Promise<void> {
  const stack = new CliStack([
    snowflake(),
    salesforce(),
    model("Active Users", "Snowflake Connection", {
      query: "SELECT email, first_name, last_name FROM users ORDER BY id",
    }),
    sync("Contacts", "Salesforce Connection", "Active Users", {
      fields: [
        { source: "first_name", target: "FirstName" },
        { source: "last_name", target: "LastName" },
      ],
    }),
  ]);
  const deployed = await stack.run("deploy", { ...env, SNOWFLAKE_PASSWORD: PASSWORD });
  expect(deployed.code).toBe(0);
}

async function contacts(): Promise<{ Email: string; LastName: string }[]> {
  const reply = await emulator.call(
    "GET",
    "/emulator/salesforce/example.my.salesforce.com/Contact",
    { key: null },
  );
  return (reply.json as { records: { Email: string; LastName: string }[] }).records;
}

const sync$ = (...args: string[]) => runCli(["sync", ...args], env);

beforeEach(async () => {
  emulator = await TestEmulator.start({ snowflakePassword: PASSWORD, autoAuthorize: true });
  env = { POLYTOMIC_API_URL: emulator.url, POLYTOMIC_API_KEY: KEY };
});

afterEach(() => emulator.close());

test("sync run --wait moves the rows into Contact and lists the refused ones; status reports it", async () => {
  await deploySeed();
  const run = await sync$("run", "Contacts", "--wait");
  expect(run.stderr).toBe("");
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/sync "Contacts": execution [0-9a-f-]+ started/);
  expect(run.stdout).toMatch(/completed: 300 records: 269 inserted, 23 refused, 8 warnings/);
  expect(run.stdout).toContain("refused by field: LastName 14, Email 6, FirstName 3");
  expect(run.stdout).toMatch(/record "[^"]+", field LastName: REQUIRED_FIELD_MISSING: /);
  const stored = await contacts();
  expect(stored).toHaveLength(269);
  expect(stored.every((contact) => contact.LastName !== "" && contact.LastName !== null)).toBe(
    true,
  );

  const status = await sync$("status", "Contacts");
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('sync "Contacts" (id ');
  expect(status.stdout).toContain("in progress: none");
  expect(status.stdout).toMatch(
    /last: manual [0-9a-f-]+ completed \(started .*, ended .*\): 300 records/,
  );
  expect(status.stdout).toContain("next scheduled run: none");

  // Nothing changed since: a second run sends nothing new and refuses the same rows again.
  const again = await sync$("run", "Contacts", "--wait");
  expect(again.stdout).not.toContain("inserted");
  expect(await contacts()).toHaveLength(269);
});

test("sync run --test --wait checks a sample and writes nothing; without --wait it only starts", async () => {
  await deploySeed();
  const test = await sync$("run", "Contacts", "--test", "--wait");
  expect(test.code).toBe(0);
  expect(test.stdout).toMatch(/sync "Contacts": test execution [0-9a-f-]+ started/);
  expect(test.stdout).toContain("completed: 10 records: 10 to insert");
  expect(await contacts()).toHaveLength(0);

  const started = await sync$("run", "Contacts");
  expect(started.code).toBe(0);
  expect(started.stdout).toMatch(/execution [0-9a-f-]+ started\n$/);
});

test("an unknown sync name suggests the nearest and exits 2", async () => {
  await deploySeed();
  const result = await sync$("run", "Contact");
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(
    `polytomic-cdktf no sync is named "Contact" in Polytomic (${emulator.url}); did you mean "Contacts"?`,
  );
  const far = await sync$("status", "Something else entirely");
  expect(far.code).toBe(2);
  expect(far.stderr).toContain('its syncs are "Contacts"');
});

test("wrong command lines exit 2 with the usage", async () => {
  for (const args of [
    [],
    ["runn", "Contacts"],
    ["run"],
    ["run", "a", "b"],
    ["run", "Contacts", "--fast"],
    ["run", "Contacts", "--timeout", "0"],
  ]) {
    const result = await sync$(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage: polytomic-cdktf sync run NAME");
  }
  expect((await sync$("runn", "x")).stderr).toContain(
    'unknown action "runn" (did you mean "run"?)',
  );
  const keyless = await runCli(["sync", "status", "Contacts"], { POLYTOMIC_API_URL: emulator.url });
  expect(keyless.code).toBe(2);
  expect(keyless.stderr).toContain(
    "sync status: POLYTOMIC_API_KEY is not set: export your Polytomic API key in it",
  );
  const help = await runCli(["sync", "--help"], env);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain("exit codes: 0 done");
});

test("--wait gives up after --timeout, and a run while another is in progress fails naming the sync", async () => {
  await emulator.close();
  emulator = await TestEmulator.start({
    snowflakePassword: PASSWORD,
    autoAuthorize: true,
    // Long enough that the execution is still waiting when status reads it, however slow the machine.
    executionDelayMs: 20000,
  });
  env = { POLYTOMIC_API_URL: emulator.url, POLYTOMIC_API_KEY: KEY };
  await deploySeed();
  const late = await sync$("run", "Contacts", "--wait", "--timeout", "1");
  expect(late.code).toBe(1);
  expect(late.stderr).toMatch(
    /sync "Contacts": execution [0-9a-f-]+ did not end within 1 s; it goes on in Polytomic/,
  );
  const busy = await sync$("run", "Contacts");
  expect(busy.code).toBe(1);
  expect(busy.stderr).toContain(
    'sync "Contacts" already has an execution in progress; wait for it to end (polytomic-cdktf sync status "Contacts")',
  );
  const status = await sync$("status", "Contacts");
  expect(status.stdout).toMatch(/in progress: manual [0-9a-f-]+ created/);
});
