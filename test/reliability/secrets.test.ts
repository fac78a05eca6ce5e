/**
 * Known secret values in the environment; every artefact of a plan, a deploy failing on a bad API
 * key, a deploy failing on a bad Snowflake password, a successful deploy and a destroy is scanned:
 * synthesized JSON, state files and backups, plan and apply output, the CLI's output, the
 * emulator's log. None may contain a secret.
 */
import type { Emulator, RunResult } from "../support/e2e";
import { Project, startEmulator } from "../support/e2e";
import { record } from "../support/reliability";
import { seedStack } from "../support/seed";

const SECRETS = {
  SNOWFLAKE_PASSWORD: "leak-canary-snowflake-Pa55word",
  SALESFORCE_CLIENT_ID: "leak-canary-client-id-3MVG9",
  SALESFORCE_CLIENT_SECRET: "leak-canary-client-secret-8f2a",
  SALESFORCE_REFRESH_TOKEN: "leak-canary-refresh-token-5Aep861",
};
const WRONG_KEY = "leak-canary-wrong-api-key";
const WRONG_PASSWORD = "leak-canary-wrong-snowflake-password";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator(["--snowflake-password", SECRETS.SNOWFLAKE_PASSWORD]);
});
afterAll(() => emulator.stop());

function stack() {
  const description = seedStack("secrets");
  description.connections![1].props = {
    name: "Salesforce Connection",
    domain: "example.my.salesforce.com",
    clientId: { secretEnv: "SALESFORCE_CLIENT_ID" },
    clientSecret: { secretEnv: "SALESFORCE_CLIENT_SECRET" },
    refreshToken: { secretEnv: "SALESFORCE_REFRESH_TOKEN" },
  };
  return description;
}

test("no secret appears in any artefact of plan, failed deploys, deploy and destroy", async () => {
  const project = new Project(emulator, SECRETS).write(stack());
  const runs: [string, RunResult][] = [];
  const run = async (label: string, result: Promise<RunResult>) => {
    runs.push([label, await result]);
    return runs.at(-1)![1];
  };
  expect((await run("plan", project.cdktf(["diff", "secrets"]))).status).toBe(0);
  const badKey = await run(
    "deploy with a wrong API key",
    project.deploy("secrets", { POLYTOMIC_API_KEY: WRONG_KEY }),
  );
  expect(badKey.status).not.toBe(0);
  expect(badKey.output).toContain("401 unauthorized");
  const badPassword = await run(
    "deploy with a wrong Snowflake password",
    project.deploy("secrets", { SNOWFLAKE_PASSWORD: WRONG_PASSWORD }),
  );
  expect(badPassword.status).not.toBe(0);
  expect(badPassword.output).toMatch(/POST \/api\/connections failed: 422/);
  expect((await run("deploy", project.deploy("secrets"))).status).toBe(0);
  expect((await run("destroy", project.destroy("secrets"))).status).toBe(0);

  const artefacts = [
    ...project.artefacts(),
    ...runs.map(([label, result]) => ({ path: `output of ${label}`, text: result.output })),
    { path: "emulator log", text: emulator.output() },
  ];
  expect(
    artefacts.filter(({ path }) => /\.tfstate(\.backup)?$/.test(path)).length,
  ).toBeGreaterThanOrEqual(2);
  const values = [...Object.values(SECRETS), WRONG_KEY, WRONG_PASSWORD, emulator.apiKey];
  const leaks = artefacts.flatMap(({ path, text }) =>
    values.filter((value) => text.includes(value)).map((value) => `${value} in ${path}`),
  );
  expect(leaks).toEqual([]);
  record({
    area: "Secrets",
    scenario:
      "API key, Snowflake password, Salesforce client id, client secret and refresh token set in the environment",
    how: "cdktf diff; deploy with a wrong API key (401); deploy with a wrong Snowflake password (422); deploy; destroy; scan every file of the project (cdk.tf.json, state and backups) and all output",
    result: `${artefacts.length} artefacts scanned for ${values.length} secret values: none found`,
  });
});
