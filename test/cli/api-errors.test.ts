/**
 * Errors from the API, as the bundled CLI prints them against the emulator: each names the
 * construct or the setting at fault and the fix, never a secret.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_FILE } from "../../lib/core/contract";
import { KEY, TestEmulator } from "../emulator/helpers";
import type { CliResult } from "../support/cli";
import { CliStack, model, salesforce, snowflake, sync } from "../support/cli";

const PASSWORD = "correct-horse-battery-staple";
let emulator: TestEmulator;
let env: Record<string, string>;

beforeEach(async () => {
  emulator = await TestEmulator.start({ snowflakePassword: PASSWORD, autoAuthorize: true });
  env = {
    POLYTOMIC_API_URL: emulator.url,
    POLYTOMIC_API_KEY: KEY,
    SNOWFLAKE_PASSWORD: PASSWORD,
  };
});

afterEach(() => emulator.close());

function expectFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

async function count(path: string): Promise<number> {
  return (await emulator.ok("GET", path)).json.data.length;
}

describe("a refused API key (401)", () => {
  const wrongKey = "pk_live_wrong-but-plausible-key-0123456789";

  test("names the variable the key came from and the URL it was sent to, never the key", async () => {
    const result = await new CliStack([snowflake()]).run("deploy", {
      ...env,
      POLYTOMIC_API_KEY: wrongKey,
    });
    expectFailure(
      result,
      new RegExp(
        `GET /api/connections failed: 401 unauthorized: ${emulator.url}/api/connections refused the API key from environment variable POLYTOMIC_API_KEY; check that it holds a valid API key of the Polytomic organization at ${emulator.url}`,
      ),
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrongKey);
    expect(await count("/api/connections")).toBe(0);
  });

  test("names the stack's own key variable when PolytomicSettings sets one", async () => {
    const stack = new CliStack([snowflake()]);
    const file = join(stack.dir, STACK_FILE);
    const parsed = JSON.parse(readFileSync(file, "utf8"));
    parsed.api.key_variable = "ACME_POLYTOMIC_KEY";
    writeFileSync(file, JSON.stringify(parsed));
    const result = await stack.run("deploy", { ...env, ACME_POLYTOMIC_KEY: wrongKey });
    expectFailure(result, /refused the API key from environment variable ACME_POLYTOMIC_KEY;/);
    expect(`${result.stdout}${result.stderr}`).not.toContain(wrongKey);
  });
});

describe("a target field the object does not have", () => {
  test("names the construct, the property and the nearest field (Contact has no field LastNme)", async () => {
    const stack = new CliStack([
      snowflake(),
      salesforce(),
      model("Active Users", "Snowflake Connection", {
        query: "SELECT email, first_name, last_name FROM users",
      }),
      sync("Contacts", "Salesforce Connection", "Active Users", {
        fields: [
          { source: "first_name", target: "FirstName" },
          { source: "last_name", target: "LastNme" },
        ],
      }),
    ]);
    const result = await stack.run("deploy", env);
    expectFailure(result, /POST \/api\/syncs failed: 422 .*Contact has no field LastNme/);
    expect(result.stderr).toContain(
      'ModelSync "cli-test/Contacts": fields[1].target is not a field of Contact (received "LastNme"). Did you mean "LastName"? Use a field Contact has, or set new: true on fields[1] to have Polytomic create it.',
    );
    // The fields that exist are not blamed.
    expect(result.stderr).not.toContain("fields[0]");
    expect(await count("/api/syncs")).toBe(0);
  });

  test("an identity target is checked the same way", async () => {
    const stack = new CliStack([
      snowflake(),
      salesforce(),
      model(),
      sync("Contacts", "Salesforce Connection", "Active Users", {
        mode: "updateOrCreate",
        identity: { source: "email", target: "Emial", function: "Equality" },
      }),
    ]);
    const result = await stack.run("deploy", env);
    expectFailure(
      result,
      /ModelSync "cli-test\/Contacts": identity.target is not a field of Contact \(received "Emial"\). Did you mean "Email"\? Use a field Contact has, or set identity.newField: true to have Polytomic create it./,
    );
  });

  test("a refusal for another reason is reported as Polytomic gave it, with no field blamed", async () => {
    const stack = new CliStack([
      snowflake(),
      salesforce(),
      model(),
      sync("Contacts", "Salesforce Connection", "Active Users", {
        target: { connection: "Salesforce Connection", object: "Contcat" },
      }),
    ]);
    const result = await stack.run("deploy", env);
    expectFailure(result, /POST \/api\/syncs failed: 422 target.object: Contcat is not an object/);
    expect(result.stderr).not.toContain("is not a field of");
  });
});
