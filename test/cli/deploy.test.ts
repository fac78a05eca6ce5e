/**
 * The bundled CLI's provisioning verbs against the emulator over HTTP, without Terraform: the
 * deploy step's comparison and writes, the problems that stop it before any write, the checks made
 * again on resolved values, deletions with their ownership rule, the Salesforce OAuth wait, and
 * clean failures.
 */
import { version } from "../../package.json";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_FILE, STACK_FILE_FORMAT } from "../../lib/core/contract";
import { KEY, TestEmulator } from "../emulator/helpers";
import type { CliResult } from "../support/cli";
import { CliStack, model, runCli, salesforce, snowflake, sync } from "../support/cli";

const PASSWORD = "correct-horse-battery-staple";
let emulator: TestEmulator;
let env: Record<string, string>;

beforeEach(async () => {
  emulator = await TestEmulator.start({ snowflakePassword: PASSWORD, autoAuthorize: true });
  env = {
    POLYTOMIC_API_URL: emulator.url,
    POLYTOMIC_API_KEY: KEY,
    SNOWFLAKE_PASSWORD: PASSWORD,
    POLYTOMIC_OAUTH_TIMEOUT: "5",
  };
});

afterEach(() => emulator.close());

interface Listed {
  id: string;
  name: string;
  connection_id?: string;
  configuration?: Record<string, unknown>;
}

async function list(path: string): Promise<Listed[]> {
  return (await emulator.ok("GET", path)).json.data;
}

async function writeCount(): Promise<number> {
  const log = (await emulator.call("GET", "/emulator/requests", { key: null })).json as {
    method: string;
  }[];
  return log.filter((entry) => entry.method !== "GET").length;
}

/** A failure: exit code 1, the message on stderr, no stack trace. */
function expectFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const seed = () => [snowflake(), salesforce(), model(), sync()];

test("deploy creates every object, and a second deploy finds them unchanged and writes nothing", async () => {
  const stack = new CliStack(seed());
  const first = await stack.run("deploy", env);
  expect(first).toMatchObject({ code: 0, stderr: "" });
  const [connection] = await list("/api/connections");
  expect(first.stdout).toContain(
    `+ connection "Snowflake Connection" created (id ${connection.id})`,
  );
  expect(first.stdout).toContain("4 created, 0 updated, 0 unchanged");
  const writes = await writeCount();
  const second = await stack.run("deploy", env);
  expect(second.stdout).toContain("0 created, 0 updated, 4 unchanged");
  expect(await writeCount()).toBe(writes);
});

test("an edited declaration updates the object in place, naming the changed fields", async () => {
  const stack = new CliStack(seed());
  await stack.run("deploy", env);
  const [before] = await list("/api/models");
  stack.declare([
    snowflake(),
    salesforce(),
    model("Active Users", "Snowflake Connection", {
      query: "SELECT email, first_name, last_name FROM users",
    }),
    sync("Contacts", "Salesforce Connection", "Active Users", {
      fields: [
        { source: "first_name", target: "FirstName" },
        { source: "last_name", target: "LastName" },
      ],
      schedule: { frequency: "daily", hour: 4, minute: 30 },
    }),
  ]);
  const result = await stack.run("deploy", env);
  expect(result.stdout).toContain(`~ model "Active Users" updated (id ${before.id}): query`);
  expect(result.stdout).toMatch(/~ sync "Contacts" updated \(id [\w-]+\): fields, schedule/);
  const [synced] = await list("/api/syncs");
  expect((await emulator.ok("GET", `/api/syncs/${synced.id}`)).json.data.schedule).toEqual({
    frequency: "daily",
    hour: "4",
    minute: "30",
  });
});

test("two live objects with one name stop the deploy before any write, naming both ids", async () => {
  for (let i = 0; i < 2; i += 1) {
    await emulator.ok("POST", "/api/connections", {
      body: {
        name: "Snowflake Connection",
        type: "snowflake",
        configuration: { account: "a", username: "u", dbname: "d", password: PASSWORD },
        validate: false,
      },
    });
  }
  const ids = (await list("/api/connections")).map((c) => c.id);
  const writes = await writeCount();
  const result = await new CliStack(seed()).run("deploy", env);
  expectFailure(result, /2 connections are named "Snowflake Connection" in Polytomic/);
  for (const id of ids) expect(result.stderr).toContain(id);
  expect(await writeCount()).toBe(writes);
});

test("an object the stack did not create is refused, naming it and the ways out", async () => {
  await emulator.ok("POST", "/api/models", {
    body: {
      name: "Active Users",
      connection_id: (
        await emulator.ok("POST", "/api/connections", {
          body: {
            name: "Other",
            type: "snowflake",
            configuration: { account: "a", username: "u", dbname: "d", password: PASSWORD },
            validate: false,
          },
        })
      ).json.data.id,
      configuration: { query: "SELECT email FROM users" },
    },
  });
  const writes = await writeCount();
  const stack = new CliStack(seed(), { declaredAt: "2999-01-01T00:00:00Z" });
  const result = await stack.run("deploy", env);
  expectFailure(
    result,
    /QueryModel "cli-test\/Active Users": model "Active Users" exists in Polytomic \(id [\w-]+, created [^,]+, before this stack first declared it at 2999-01-01T00:00:00Z\) and was not created by this stack/,
  );
  expect(result.stderr).toContain("set adoptExisting: true on QueryModel");
  expect(await writeCount()).toBe(writes);
  const adopting = new CliStack(seed(), {
    declaredAt: "2999-01-01T00:00:00Z",
    adopt: ["Active Users", "Snowflake Connection", "Salesforce Connection", "Contacts"],
  });
  const adopted = await adopting.run("deploy", env);
  expect(adopted.stdout).toMatch(/~ model "Active Users" adopted \(id [\w-]+; it existed before/);
});

test("a missing API key or secret variable is named, and nothing is created", async () => {
  const stack = new CliStack(seed());
  expectFailure(
    await stack.run("deploy", { ...env, POLYTOMIC_API_KEY: undefined }),
    /environment variable POLYTOMIC_API_KEY is not set: export your Polytomic API key/,
  );
  expectFailure(
    await stack.run("deploy", { ...env, SNOWFLAKE_PASSWORD: "" }),
    /environment variable SNOWFLAKE_PASSWORD is not set: export the password of connection "Snowflake Connection"/,
  );
  expect(await list("/api/connections")).toEqual([]);
});

test("a rejected credential fails with a message that holds no secret", async () => {
  const stack = new CliStack(seed());
  const wrong = "Wr0ng-but-long-enough-password";
  const result = await stack.run("deploy", { ...env, SNOWFLAKE_PASSWORD: wrong });
  expectFailure(result, /connection "Snowflake Connection": POST \/api\/connections failed: 4\d\d/);
  expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
  expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
});

test("POLYTOMIC_SEND_SECRETS=1 sends every connection's secrets again, and only those writes", async () => {
  const stack = new CliStack(seed());
  await stack.run("deploy", env);
  const before = await writeCount();
  // The emulated warehouse refuses any other password: a refusal proves the secret was sent.
  const rotatedWrongly = await stack.run("deploy", {
    ...env,
    POLYTOMIC_SEND_SECRETS: "1",
    SNOWFLAKE_PASSWORD: "Not-the-warehouse-password",
  });
  expectFailure(rotatedWrongly, /PUT \/api\/connections\/[\w-]+ failed: 4\d\d/);
  const sent = await stack.run("deploy", { ...env, POLYTOMIC_SEND_SECRETS: "1" });
  expect(sent.code).toBe(0);
  expect(sent.stdout).toMatch(
    /~ connection "Snowflake Connection" updated \(id [\w-]+\): password/,
  );
  expect(sent.stdout).toContain("0 created, 1 updated, 3 unchanged");
  expect(await writeCount()).toBe(before + 2);
  const quiet = await stack.run("deploy", env);
  expect(quiet.stdout).toContain("0 created, 0 updated, 4 unchanged");
});

test("an imported connection that does not exist is named, with the nearest existing name", async () => {
  await new CliStack([salesforce("Salesforce Prod")]).run("deploy", env);
  const stack = new CliStack([snowflake(), model(), sync("Contacts", "Salesforce Prd")], {
    references: [
      {
        kind: "connection",
        name: "Salesforce Prd",
        type: "salesforce",
        path: "cli-test/Imported",
        construct: "SalesforceConnection",
      },
    ],
  });
  const writes = await writeCount();
  const result = await stack.run("deploy", env);
  expectFailure(
    result,
    /SalesforceConnection "cli-test\/Imported": connection "Salesforce Prd" does not exist in Polytomic \(did you mean "Salesforce Prod"\?\)/,
  );
  expect(await writeCount()).toBe(writes);
});

test("an importer pointed at a connection of another type says so before any write", async () => {
  await new CliStack([snowflake("Shared")]).run("deploy", env);
  const stack = new CliStack([snowflake(), model(), sync("Contacts", "Shared")], {
    references: [
      {
        kind: "connection",
        name: "Shared",
        type: "salesforce",
        path: "cli-test/Imported",
        construct: "SalesforceConnection",
      },
    ],
  });
  const writes = await writeCount();
  expectFailure(
    await stack.run("deploy", env),
    /connection "Shared" \(id [\w-]+\) is a snowflake connection, not salesforce: use SnowflakeConnection.fromConnectionName/,
  );
  expect(await writeCount()).toBe(writes);
});

test("values resolved by Terraform are checked with the synth rules before any write", async () => {
  const stack = new CliStack([
    snowflake(),
    salesforce(),
    model("Active Users", "Snowflake Connection", {
      query: { $concat: ["SELECT email, first_name FROM ", { $value: 0 }] },
    }),
    sync("Contacts", "Salesforce Connection", "Active Users", {
      schedule: { frequency: "daily", hour: { $value: 1 }, minute: 0 },
      fields: [{ source: { $value: 2 }, target: "FirstName" }],
    }),
  ]);
  const result = await stack.run("deploy", env, { values: ["users; DROP TABLE users", 25, "x"] });
  expectFailure(result, /nothing was changed/);
  expect(result.stderr).toContain(
    'QueryModel "cli-test/Active Users": query holds 2 statements; a model\'s query must be one SELECT',
  );
  expect(result.stderr).toContain(
    'ModelSync "cli-test/Contacts": schedule.hour must be a whole number from 0 to 23 (received 25)',
  );
  expect(await writeCount()).toBe(0);
  const ok = await stack.run("deploy", env, { values: ["users", 4, "first_name"] });
  expect(ok.code).toBe(0);
  const [created] = await list("/api/models");
  expect((created.configuration as { query: string }).query).toBe(
    "SELECT email, first_name FROM users",
  );
});

describe("deletions", () => {
  test("delete-removed deletes what left the code, syncs before models before connections", async () => {
    const stack = new CliStack(seed());
    await stack.run("deploy", env);
    const owned = seed();
    stack.declare([salesforce()]);
    const result = await stack.run("delete-removed", env, { owned });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const order = result.stdout
      .split("\n")
      .filter((line) => line.startsWith("- "))
      .map((line) => line.split(" ")[1]);
    expect(order).toEqual(["sync", "model", "connection"]);
    expect((await list("/api/connections")).map((c) => c.name)).toEqual(["Salesforce Connection"]);
    expect(await list("/api/models")).toEqual([]);
  });

  test("an object the stack did not create is left in place", async () => {
    await new CliStack([snowflake()]).run("deploy", env);
    const stack = new CliStack([], { declaredAt: "2999-01-01T00:00:00Z" });
    const result = await stack.run("delete-removed", env, { owned: [snowflake()] });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("was not created by this stack");
    expect(await list("/api/connections")).toHaveLength(1);
  });

  test("a connection still used outside the app is not deleted: the step fails, naming the users", async () => {
    const stack = new CliStack([snowflake(), model()]);
    await stack.run("deploy", env);
    stack.declare([model("Active Users", "Elsewhere")]);
    const result = await stack.run("delete-removed", env, { owned: [snowflake()] });
    expectFailure(
      result,
      /connection "Snowflake Connection" \(id [\w-]+\) is still used by model "Active Users" \(id [\w-]+\), which no stack of this app declares/,
    );
    expect(await list("/api/connections")).toHaveLength(1);
  });

  test("a connection used by another stack of the app is marked, then deleted once unused", async () => {
    const shared = new CliStack([snowflake()], { app: { model: ["Active Users"] } });
    await shared.run("deploy", env);
    const users = new CliStack([model()], {
      stack: "users",
      references: [
        {
          kind: "connection",
          name: "Snowflake Connection",
          type: "snowflake",
          path: "shared/Snowflake",
          construct: "SnowflakeConnection",
        },
      ],
    });
    await users.run("deploy", env);
    // Polytomic's clock and the claim (whole seconds, as plantimestamp() gives) must differ.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    shared.declare([snowflake("Snowflake v2")]);
    const renamed = await shared.run("deploy", env);
    expect(renamed.stderr).toBe("");
    const removed = await shared.run("delete-removed", env, { owned: [snowflake()] });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("renamed to mark it, and deleted by a later deploy");
    const marked = (await list("/api/connections")).map((c) => c.name);
    expect(marked).toContain(
      "Snowflake Connection [cdktf-polytomic: deleted once unused, stack cli-test]",
    );
    users.declare(
      [model("Active Users", "Snowflake v2")],
      [
        {
          kind: "connection",
          name: "Snowflake v2",
          type: "snowflake",
          path: "shared/Snowflake",
          construct: "SnowflakeConnection",
        },
      ],
    );
    const repointed = await users.run("deploy", env);
    expect(repointed.stderr).toBe("");
    const again = await shared.run("deploy", env);
    expect(again.stdout).toContain('connection "Snowflake Connection" deleted');
    expect((await list("/api/connections")).map((c) => c.name)).toEqual(["Snowflake v2"]);
  });

  test("delete-all deletes everything the stack owns", async () => {
    const stack = new CliStack(seed());
    await stack.run("deploy", env);
    expect((await stack.run("delete-all", env)).code).toBe(0);
    for (const path of ["/api/connections", "/api/models", "/api/syncs"])
      expect(await list(path)).toEqual([]);
  });
});

describe("Salesforce OAuth", () => {
  beforeEach(async () => {
    await emulator.close();
    emulator = await TestEmulator.start({ snowflakePassword: PASSWORD });
    env = { ...env, POLYTOMIC_API_URL: emulator.url };
  });

  test("a browser-mode connection prints its URL, and the sync waits for the authorisation", async () => {
    const stack = new CliStack(seed());
    const deploying = stack.run("deploy", { ...env, POLYTOMIC_OAUTH_TIMEOUT: "30" });
    let connection: Listed | undefined;
    for (let i = 0; i < 100 && !connection; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      connection = (await list("/api/connections")).find((c) => c.name === "Salesforce Connection");
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await list("/api/syncs")).toEqual([]);
    const confirm = await emulator.call("POST", `/oauth/salesforce/${connection!.id}`, {
      key: null,
      raw: "confirm=1",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(confirm.status).toBe(200);
    const result = await deploying;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'ACTION REQUIRED: authorise Salesforce connection "Salesforce Connection" in a browser:',
    );
    expect(result.stdout).toContain(`${emulator.url}/oauth/salesforce/${connection!.id}`);
    expect(result.stdout).toContain('Salesforce connection "Salesforce Connection" is authorised');
    expect(await list("/api/syncs")).toHaveLength(1);
  });

  test("the sync gives up after POLYTOMIC_OAUTH_TIMEOUT seconds, naming the URL and code", async () => {
    const stack = new CliStack([
      snowflake(),
      salesforce("Salesforce Connection", "code"),
      model(),
      sync(),
    ]);
    const result = await stack.run("deploy", { ...env, POLYTOMIC_OAUTH_TIMEOUT: "1" });
    const code = /enter the code (\S+)/.exec(result.stdout)?.[1];
    expect(code).toMatch(/^\w{8}$/);
    expectFailure(
      result,
      new RegExp(
        `Salesforce connection "Salesforce Connection" \\(id [0-9a-f-]{36}\\) is still not authorised after 1 s: open \\S+ in a browser and enter the code ${code} to authorise it`,
      ),
    );
    expect(await list("/api/syncs")).toEqual([]);
  });
});

describe("stack files and commands", () => {
  test("a missing, malformed or newer stack file is refused in one clear line", async () => {
    const stack = new CliStack([]);
    writeFileSync(join(stack.dir, STACK_FILE), "{ not json");
    expectFailure(
      await stack.run("deploy", env),
      /polytomic-stack.json is not JSON: synthesize the stack again/,
    );
    writeFileSync(join(stack.dir, STACK_FILE), JSON.stringify({ format: STACK_FILE_FORMAT + 1 }));
    expectFailure(
      await stack.run("deploy", env),
      new RegExp(
        `has format ${STACK_FILE_FORMAT + 1}, but this cdktf-polytomic CLI reads formats up to ${STACK_FILE_FORMAT}`,
      ),
    );
    expectFailure(
      await runCli(["deploy"], env),
      /has no polytomic-stack.json: run this in a stack directory/,
    );
  });

  test("--version, help and unknown commands", async () => {
    expect(await runCli(["--version"], {})).toMatchObject({ code: 0, stdout: `${version}\n` });
    const unknown = await runCli(["upsert"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "upsert"');
  });
});
