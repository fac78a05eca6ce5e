/**
 * The bundled provisioning CLI against the emulator over HTTP: name identity, adoption, conflicts,
 * missing variables, deletion, the Salesforce OAuth wait, and one clean line on every failure.
 */
import { version } from "../../package.json";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeSpec } from "../../lib/core/canonical-json";
import { CACHE_DIR, REPAIR_ENV, SCHEMA_VERSION, SPEC_ENV } from "../../lib/core/contract";
import { KEY, TestEmulator } from "../emulator/helpers";
import type { CliResult } from "../support/cli";
import {
  deleteSpec,
  modelSpec,
  provision,
  runCli,
  salesforceSpec,
  snowflakeSpec,
  syncSpec,
} from "../support/cli";

const PASSWORD = "correct-horse-battery-staple";
let emulator: TestEmulator;
let env: Record<string, string>;

beforeEach(async () => {
  emulator = await TestEmulator.start({ snowflakePassword: PASSWORD });
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
  configuration?: { account?: string };
}

async function list(path: string): Promise<Listed[]> {
  return (await emulator.ok("GET", path)).json.data;
}

/** A failure is one line on stderr, nothing on it besides, and exit code 1. */
function expectOneLineFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

async function writeCount(): Promise<number> {
  const log = (await emulator.call("GET", "/emulator/requests", { key: null })).json as {
    method: string;
  }[];
  return log.filter((entry) => entry.method !== "GET").length;
}

test("upsert creates, and a second upsert finds the object by name and updates it in place", async () => {
  const first = await provision("upsert", snowflakeSpec(), env);
  expect(first).toMatchObject({ code: 0, stderr: "" });
  const [created] = await list("/api/connections");
  expect(first.stdout).toContain(`created connection "Snowflake Connection" (id ${created.id})`);
  const second = await provision("upsert", snowflakeSpec(), env);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain(
    `connection "Snowflake Connection" exists (id ${created.id}): updated in place`,
  );
  expect((await list("/api/connections")).map((c) => c.id)).toEqual([created.id]);
});

test("an object created outside the stack is adopted by name, and the output says so", async () => {
  const outside = await emulator.ok("POST", "/api/connections", {
    body: {
      name: "Snowflake Connection",
      type: "snowflake",
      configuration: { account: "old", username: "u", dbname: "d", password: PASSWORD },
    },
  });
  const result = await provision("upsert", snowflakeSpec(), env);
  expect(result.stdout).toContain(`exists (id ${outside.json.data.id}): updated in place`);
  const [adopted] = await list("/api/connections");
  expect(adopted.id).toBe(outside.json.data.id);
  expect(adopted.configuration?.account).toBe("uc193736182");
});

test("two live objects with one name: an error naming both ids, and nothing is modified", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const reply = await emulator.ok("POST", "/api/connections", {
      body: {
        name: "Snowflake Connection",
        type: "snowflake",
        configuration: { account: "a", username: "u", dbname: "d", password: PASSWORD },
      },
    });
    ids.push(reply.json.data.id);
  }
  const before = await writeCount();
  for (const run of [
    provision("upsert", snowflakeSpec(), env),
    provision("delete", deleteSpec("connection", "Snowflake Connection"), env),
  ]) {
    const result = await run;
    expectOneLineFailure(result, /2 connections are named "Snowflake Connection"/);
    for (const id of ids) expect(result.stderr).toContain(id);
  }
  expect(await writeCount()).toBe(before);
});

test("a missing API key or secret variable is named, and nothing is created", async () => {
  const noKey = await provision("upsert", snowflakeSpec(), {
    ...env,
    POLYTOMIC_API_KEY: undefined,
  });
  expectOneLineFailure(
    noKey,
    /environment variable POLYTOMIC_API_KEY is not set: export your Polytomic API key/,
  );
  const noSecret = await provision("upsert", snowflakeSpec(), {
    ...env,
    SNOWFLAKE_PASSWORD: undefined,
  });
  expectOneLineFailure(
    noSecret,
    /environment variable SNOWFLAKE_PASSWORD is not set: export the password of connection "Snowflake Connection"/,
  );
  expect(await list("/api/connections")).toEqual([]);
});

test("a secret's value used as its variable's name is never printed", async () => {
  const value = "PlainTokenValue123";
  const result = await provision(
    "upsert",
    snowflakeSpec("Snowflake Connection", { password: value }),
    { ...env, OTHER_SECRET: value },
  );
  expectOneLineFailure(result, /environment variable named by the stack is not set/);
  expect(`${result.stdout}${result.stderr}`).not.toContain(value);
});

test("a rejected credential fails in one line that holds no secret", async () => {
  const wrong = "wrong-password-value-42";
  const result = await provision("upsert", snowflakeSpec(), { ...env, SNOWFLAKE_PASSWORD: wrong });
  expectOneLineFailure(
    result,
    /^cdktf-polytomic upsert failed: POST \/api\/connections failed: 422 /,
  );
  expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
  expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
});

test("dependencies are resolved by name; a missing one is a clear error", async () => {
  const orphan = await provision("upsert", modelSpec("Users", "No Such Connection"), env);
  expectOneLineFailure(
    orphan,
    /model "Users" needs the connection "No Such Connection", which does not exist in Polytomic/,
  );
  await provision("upsert", snowflakeSpec(), env);
  const model = await provision("upsert", modelSpec(), env);
  expect(model.code).toBe(0);
  const [connection] = await list("/api/connections");
  const [created] = await list("/api/models");
  expect(created.connection_id).toBe(connection.id);
});

test("deleting a missing object succeeds; deleting an existing one removes it", async () => {
  const missing = await provision("delete", deleteSpec("sync", "Never Created"), env);
  expect(missing).toMatchObject({ code: 0, stderr: "" });
  expect(missing.stdout).toContain('sync "Never Created" does not exist: nothing to delete');
  await provision("upsert", snowflakeSpec(), env);
  const removed = await provision("delete", deleteSpec("connection", "Snowflake Connection"), env);
  expect(removed.code).toBe(0);
  expect(removed.stdout).toMatch(/deleted connection "Snowflake Connection" \(id [0-9a-f-]{36}\)/);
  expect(await list("/api/connections")).toEqual([]);
});

test("a connection still used by a model outside the stack is not deleted", async () => {
  await provision("upsert", snowflakeSpec(), env);
  await provision("upsert", modelSpec("Someone Else's Model"), env);
  const result = await provision("delete", deleteSpec("connection", "Snowflake Connection"), env);
  expectOneLineFailure(
    result,
    /connection "Snowflake Connection" \(id [0-9a-f-]{36}\) is still used by model "Someone Else's Model" \(id [0-9a-f-]{36}\): delete or repoint them first/,
  );
  expect(await list("/api/connections")).toHaveLength(1);
  expect(await list("/api/models")).toHaveLength(1);
});

describe("Salesforce OAuth", () => {
  beforeEach(async () => {
    await provision("upsert", snowflakeSpec(), env);
    await provision("upsert", modelSpec(), env);
  });

  test("a browser-mode connection prints its authorisation URL prominently", async () => {
    const result = await provision("upsert", salesforceSpec(), env);
    expect(result.code).toBe(0);
    const [connection] = (await list("/api/connections")).filter(
      (c) => c.name === "Salesforce Connection",
    );
    expect(result.stdout).toContain(
      'ACTION REQUIRED: authorise Salesforce connection "Salesforce Connection" in a browser:',
    );
    expect(result.stdout).toContain(`${emulator.url}/oauth/salesforce/${connection.id}`);
  });

  test("a sync waits for the authorisation, then is created", async () => {
    await provision("upsert", salesforceSpec(), env);
    const [connection] = (await list("/api/connections")).filter(
      (c) => c.name === "Salesforce Connection",
    );
    const sync = provision("upsert", syncSpec(), { ...env, POLYTOMIC_OAUTH_TIMEOUT: "30" });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await list("/api/syncs")).toEqual([]);
    const confirm = await emulator.call("POST", `/oauth/salesforce/${connection.id}`, {
      key: null,
      raw: "confirm=1",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(confirm.status).toBe(200);
    const result = await sync;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'waits up to 30 s for Salesforce connection "Salesforce Connection" to be authorised',
    );
    expect(result.stdout).toContain('Salesforce connection "Salesforce Connection" is authorised');
    expect(await list("/api/syncs")).toHaveLength(1);
  });

  test("a sync gives up after POLYTOMIC_OAUTH_TIMEOUT seconds, naming the URL to open", async () => {
    await provision("upsert", salesforceSpec(), env);
    const [connection] = (await list("/api/connections")).filter(
      (c) => c.name === "Salesforce Connection",
    );
    const result = await provision("upsert", syncSpec(), { ...env, POLYTOMIC_OAUTH_TIMEOUT: "1" });
    expectOneLineFailure(
      result,
      /Salesforce connection "Salesforce Connection" \(id [0-9a-f-]{36}\) is still not authorised after 1 s: open \S+ in a browser/,
    );
    expect(result.stderr).toContain(`${emulator.url}/oauth/salesforce/${connection.id}`);
    expect(await list("/api/syncs")).toEqual([]);
  });
});

test("Salesforce code mode: the timeout names the URL and code handed out at save, which stay valid", async () => {
  await provision("upsert", snowflakeSpec(), env);
  await provision("upsert", modelSpec(), env);
  const saved = await provision("upsert", salesforceSpec("Salesforce Connection", "code"), env);
  const code = /enter the code (\S+)/.exec(saved.stdout)?.[1];
  expect(code).toMatch(/^\w{8}$/);
  const result = await provision("upsert", syncSpec(), { ...env, POLYTOMIC_OAUTH_TIMEOUT: "1" });
  expectOneLineFailure(
    result,
    new RegExp(`in a browser and enter the code ${code} to authorise it`),
  );
  const [connection] = (await list("/api/connections")).filter(
    (c) => c.name === "Salesforce Connection",
  );
  const confirm = await emulator.call("POST", `/oauth/salesforce/${connection.id}`, {
    key: null,
    raw: `confirm=1&code=${code}`,
    contentType: "application/x-www-form-urlencoded",
  });
  expect(confirm.status).toBe(200);
  expect((await provision("upsert", syncSpec(), env)).code).toBe(0);
});

describe("reconcile", () => {
  test("applies again, in dependency order, the objects Terraform lists for repair", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-"));
    const specs = [
      syncSpec("Contacts", "Salesforce Connection"),
      modelSpec(),
      snowflakeSpec(),
      salesforceSpec("Salesforce Connection", "api"),
      modelSpec("Untouched"),
    ];
    (specs[3] as { secrets: Record<string, string> }).secrets = {
      client_id: "SF_ID",
      client_secret: "SF_SECRET",
      oauth_refresh_token: "SF_TOKEN",
    };
    const resource = (spec: object) => ({
      provisioner: [
        { "local-exec": { command: "upsert", environment: { [SPEC_ENV]: encodeSpec(spec) } } },
      ],
    });
    writeFileSync(
      join(dir, "cdk.tf.json"),
      JSON.stringify({
        resource: {
          terraform_data: Object.fromEntries(specs.map((spec, i) => [`Apply${i}`, resource(spec)])),
        },
      }),
    );
    const repair = JSON.stringify([
      "terraform_data.Apply0",
      "terraform_data.Apply1",
      "terraform_data.Apply2",
      "terraform_data.Apply3",
    ]);
    const secrets = { SF_ID: "id-value", SF_SECRET: "secret-value", SF_TOKEN: "token-value" };

    const result = await runCli(["reconcile"], { ...env, ...secrets, [REPAIR_ENV]: repair }, dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(
      're-applying 4 object(s) that an interrupted apply recorded but did not apply: connection "Snowflake Connection", connection "Salesforce Connection", model "Active Users", sync "Contacts"',
    );
    expect((await list("/api/syncs")).map((s) => s.name)).toEqual(["Contacts"]);
    expect((await list("/api/models")).map((m) => m.name)).toEqual(["Active Users"]);
    expect(existsSync(join(dir, CACHE_DIR))).toBe(false);
  });

  test("an empty repair list sends nothing; a missing or malformed one is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-"));
    const result = await runCli(["reconcile"], { ...env, [REPAIR_ENV]: "[]" }, dir);
    expect(result.stdout).toContain("every object of the stack was applied: nothing to repair");
    expect(await writeCount()).toBe(0);
    expectOneLineFailure(
      await runCli(["reconcile"], env, dir),
      new RegExp(`${REPAIR_ENV} is not set`),
    );
    expectOneLineFailure(
      await runCli(["reconcile"], { ...env, [REPAIR_ENV]: "{}" }, dir),
      /is not a JSON list of resource addresses/,
    );
  });
});

describe("specs", () => {
  test("a missing or malformed spec is refused in one line", async () => {
    expectOneLineFailure(await runCli(["upsert"], env), new RegExp(`${SPEC_ENV} is not set`));
    expectOneLineFailure(
      await runCli(["upsert"], { ...env, [SPEC_ENV]: "not base64 json" }),
      /does not hold a base64-encoded JSON spec/,
    );
  });

  test("a spec from a newer schema is refused rather than misread", async () => {
    const result = await provision(
      "delete",
      { ...deleteSpec("sync", "x"), schema_version: SCHEMA_VERSION + 1 },
      env,
    );
    expectOneLineFailure(
      result,
      new RegExp(
        `schema_version ${SCHEMA_VERSION + 1} but this CLI reads versions up to ${SCHEMA_VERSION}`,
      ),
    );
  });

  test("--version, help and unknown commands", async () => {
    const printed = await runCli(["--version"], {});
    expect(printed).toMatchObject({
      code: 0,
      stdout: `${version}\n`,
    });
    const unknown = await runCli(["deploy"], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "deploy"');
  });
});
