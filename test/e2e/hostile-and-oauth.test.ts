/**
 * End to end through cdktf deploy: user text that is hostile to shells and Terraform templates is
 * stored byte-identical, and a Salesforce connection in browser mode is authorised mid-deploy.
 */
import { existsSync } from "node:fs";
import type { Emulator } from "../support/e2e";
import {
  api,
  data,
  declarationInput,
  inventory,
  Project,
  requests,
  startEmulator,
  writes,
} from "../support/e2e";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

const HOSTILE = `it's "quoted" \`whoami\` $(touch /tmp/pwned-e2e) \${var.x} %{ if true }x%{ endif }\nline two ☃`;

describe("a hostile query and names", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator(["--auto-authorize"]);
  });
  afterAll(() => emulator.stop());

  test("are stored byte-identical, and nothing is executed", async () => {
    const query = `SELECT email, first_name, last_name, 'note: ${HOSTILE.replace(/'/g, "''")}' AS note FROM users -- $(rm -rf /) \${x}\nWHERE plan <> 'it''s'`;
    const description = seedStack("hostile");
    description.models![0].props = { name: `Users ${HOSTILE}`, query };
    description.syncs![0].props.name = `Sync ${HOSTILE}`;
    description.syncs![0].props.fields = [
      { source: "first_name", target: "FirstName" },
      { source: "note", target: "Description" },
    ];
    const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description);
    const result = await project.deploy("hostile");
    expect(result.status).toBe(0);
    const { models, syncs } = await inventory(emulator);
    expect(models.map((m) => m.name)).toEqual([`Users ${HOSTILE}`]);
    expect(models[0].configuration.query).toBe(query);
    expect(models[0].fields.map((f: { name: string }) => f.name)).toEqual([
      "email",
      "first_name",
      "last_name",
      "note",
    ]);
    expect(syncs.map((s) => s.name)).toEqual([`Sync ${HOSTILE}`]);
    expect(existsSync("/tmp/pwned-e2e")).toBe(false);
    // The declarations in the state hold the text as written: Terraform interpreted none of it.
    const state = JSON.parse(project.terraform("hostile", ["show", "-json"]).output);
    const inputs = state.values.root_module.resources
      .filter(
        (r: { values: { triggers_replace?: unknown } }) =>
          typeof r.values.triggers_replace === "string",
      )
      .map((r: { values: { input: string } }) => declarationInput(r.values.input));
    expect(inputs.find((input: { query?: string }) => input.query)?.query).toBe(query);
    expect(inputs.map((input: { name: string }) => input.name)).toContain(`Sync ${HOSTILE}`);
    const before = (await requests(emulator)).length;
    const again = await project.deploy("hostile");
    expect(again.output).toContain("0 created, 0 updated, 4 unchanged");
    expect(writes((await requests(emulator)).slice(before))).toEqual([]);
  });
});

describe("Salesforce in browser mode", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  test("the deploy prints the authorisation URL, and the sync waits for it", async () => {
    const project = new Project(emulator, {
      SNOWFLAKE_PASSWORD,
      POLYTOMIC_OAUTH_TIMEOUT: "120",
    }).write(seedStack("oauth"));
    const deploying = project.deploy("oauth");
    let salesforce: { id: string; status: string } | undefined;
    for (let attempt = 0; attempt < 200 && !salesforce; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const connections = await data<{ id: string; name: string; status: string }[]>(
        emulator,
        "/api/connections",
      );
      salesforce = connections.find((c) => c.name === "Salesforce Connection");
    }
    expect(salesforce?.status).not.toBe("healthy");
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await inventory(emulator)).syncs).toEqual([]);
    const page = await fetch(`${emulator.url}/oauth/salesforce/${salesforce!.id}`);
    expect(page.status).toBe(200);
    const confirm = await fetch(`${emulator.url}/oauth/salesforce/${salesforce!.id}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "confirm=1",
    });
    expect(confirm.status).toBe(200);
    const result = await deploying;
    expect(result.status).toBe(0);
    expect(result.output).toContain("ACTION REQUIRED: authorise Salesforce connection");
    expect(result.output).toContain(`${emulator.url}/oauth/salesforce/${salesforce!.id}`);
    expect(result.output).toContain('Salesforce connection "Salesforce Connection" is authorised');
    const { connections, syncs } = await inventory(emulator);
    expect(connections.find((c) => c.name === "Salesforce Connection").status).toBe("healthy");
    expect(syncs).toHaveLength(1);
    expect((await api(emulator, "GET", `/api/connections/${salesforce!.id}`)).status).toBe(200);
  });
});
