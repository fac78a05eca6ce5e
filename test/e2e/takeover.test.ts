/**
 * No silent takeover: a declared name that exists in Polytomic and was not created by the stack
 * stops the deploy before any write, naming the object and both ways out; `adoptExisting` (on the
 * construct or the stack) takes it over, keeping its id. An object the stack itself created in an
 * interrupted apply is not a takeover.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Emulator } from "../support/e2e";
import { api, inventory, Project, requests, startEmulator, writes } from "../support/e2e";
import { convergenceProblems } from "../support/converge";
import { applyAndKill, once } from "../support/interrupt";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator(["--auto-authorize"]);
});

afterAll(async () => {
  await emulator?.stop();
});

/** A connection someone created in Polytomic before the stack existed. */
async function existingSnowflake(): Promise<string> {
  const { status, body } = await api(emulator, "POST", "/api/connections", {
    name: "Snowflake Connection",
    type: "snowflake",
    configuration: { account: "someone-else", username: "them", dbname: "theirs", password: "x" },
    validate: false,
  });
  expect(status).toBe(200);
  return body.data.id;
}

describe("a declared name that already exists in Polytomic", () => {
  let project: Project;
  let id: string;

  beforeAll(async () => {
    await api(emulator, "POST", "/emulator/reset");
    id = await existingSnowflake();
    // Polytomic's created_at and the plan's time differ by at least a second here.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(seedStack("takeover"));
  });

  test("stops the deploy before any write, naming the object and both ways out", async () => {
    const before = (await requests(emulator)).length;
    const result = await project.deploy("takeover");
    expect(result.status).not.toBe(0);
    const output = result.output.replace(/\s+/g, " ");
    expect(output).toContain(
      `SnowflakeConnection "takeover/Snowflake": connection "Snowflake Connection" exists in Polytomic (id ${id}`,
    );
    expect(output).toContain("was not created by this stack");
    expect(output).toContain('set adoptExisting: true on SnowflakeConnection "takeover/Snowflake"');
    expect(output).toContain(
      'SnowflakeConnection.fromConnectionName(scope, id, "Snowflake Connection")',
    );
    expect(writes((await requests(emulator)).slice(before))).toEqual([]);
    const { connections, models, syncs } = await inventory(emulator);
    expect(connections.map((c) => c.id)).toEqual([id]);
    expect(connections[0].configuration.account).toBe("someone-else");
    expect([models, syncs]).toEqual([[], []]);
  });

  test("running it again fails the same way", async () => {
    const before = (await requests(emulator)).length;
    const result = await project.deploy("takeover");
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("was not created by this stack");
    expect(writes((await requests(emulator)).slice(before))).toEqual([]);
  });

  test("adoptExisting on the construct takes it over in place, keeping its id", async () => {
    const description = seedStack("takeover");
    description.connections![0].props.adoptExisting = true;
    project.write(description);
    const result = await project.deploy("takeover");
    expect(result.status).toBe(0);
    expect(result.output).toContain(
      `~ connection "Snowflake Connection" adopted (id ${id}; it existed before this stack declared it)`,
    );
    expect(await convergenceProblems(emulator, description)).toEqual([]);
    const { connections } = await inventory(emulator);
    expect(connections.find((c) => c.name === "Snowflake Connection").id).toBe(id);
  });

  test("destroying the stack then deletes the adopted object too", async () => {
    expect((await project.destroy("takeover")).status).toBe(0);
    expect(await inventory(emulator)).toEqual({ connections: [], models: [], syncs: [] });
  });
});

test("PolytomicSettings adoptExisting lets a whole stack take over what exists", async () => {
  await api(emulator, "POST", "/emulator/reset");
  const id = await existingSnowflake();
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const description = { ...seedStack("adopting"), settings: { adoptExisting: true } };
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description);
  const result = await project.deploy("adopting");
  expect(result.status).toBe(0);
  expect(result.output).toContain(`~ connection "Snowflake Connection" adopted (id ${id}`);
  expect(await convergenceProblems(emulator, description)).toEqual([]);
});

test("an object the stack created in an interrupted apply is not a takeover", async () => {
  // Without auto-authorisation the sync waits for the Salesforce consent: the apply is killed
  // there, after the connections and the model were created.
  const waiting = await startEmulator();
  try {
    await interruptedCreate(waiting);
  } finally {
    await waiting.stop();
  }
});

async function interruptedCreate(emulator: Emulator): Promise<void> {
  const description = seedStack("interrupted-create");
  const project = new Project(emulator, {
    SNOWFLAKE_PASSWORD,
    POLYTOMIC_OAUTH_TIMEOUT: "120",
  }).write(description);
  expect((await project.cdktf(["synth"])).status).toBe(0);
  expect(project.terraform("interrupted-create", ["init", "-input=false"]).status).toBe(0);
  const modelCreated = async () => (await inventory(emulator)).models.length > 0;
  const run = await applyAndKill(project, "interrupted-create", once(modelCreated));
  expect(run.killed).toBe(true);
  const partial = await inventory(emulator);
  expect(partial.connections).toHaveLength(2);
  expect(partial.syncs).toHaveLength(0);
  const salesforce = partial.connections.find((c) => c.name === "Salesforce Connection");
  const consent = await fetch(`${emulator.url}/oauth/salesforce/${salesforce.id}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "confirm=1",
  });
  expect(consent.status).toBe(200);

  const result = await project.deploy("interrupted-create");
  expect(result.status).toBe(0);
  expect(result.output).not.toContain("was not created by this stack");
  expect(await convergenceProblems(emulator, description)).toEqual([]);
}

test("an object exactly as declared is taken back only if the deploy's API user created it", async () => {
  const salesforce = {
    name: "Salesforce Connection",
    type: "salesforce",
    configuration: { domain: "https://example.my.salesforce.com" },
  };
  const attempt = async (person?: string) => {
    await api(emulator, "POST", "/emulator/reset");
    const created = await api(emulator, "POST", "/api/connections", salesforce, person);
    expect(created.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(seedStack("identical"));
    return { id: created.body.data.id as string, result: await project.deploy("identical") };
  };
  const ours = await attempt();
  if (ours.result.status !== 0) throw new Error(ours.result.output);
  expect(ours.result.output).toContain(
    `= connection "Salesforce Connection" taken back (id ${ours.id}): it exists exactly as declared`,
  );
  const theirs = await attempt("Dana");
  expect(theirs.result.status).not.toBe(0);
  expect(theirs.result.output.replace(/\s+/g, " ")).toContain(
    `connection "Salesforce Connection" exists in Polytomic (id ${theirs.id}`,
  );
});

test("a stack whose Terraform state was lost takes back what is as declared, and is told how for the rest", async () => {
  await api(emulator, "POST", "/emulator/reset");
  const description = seedStack("lost-state");
  const project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(description);
  const first = await project.deploy("lost-state");
  if (first.status !== 0) throw new Error(first.output);
  const { models, syncs } = await inventory(emulator);
  // What a SIGKILL of terraform apply while the local backend rewrites its state can leave.
  const lose = () => writeFileSync(join(project.dir, "terraform.lost-state.tfstate"), "");
  lose();
  // The plan times of the lost and the new claims must differ.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const recovered = await project.deploy("lost-state");
  if (recovered.status !== 0) throw new Error(recovered.output);
  expect(recovered.output).toContain(
    `= model "Active Users" taken back (id ${models[0].id}): it exists exactly as declared`,
  );
  expect(await convergenceProblems(emulator, description)).toEqual([]);

  // Lost again, and the sync was changed in Polytomic meanwhile: it cannot be told from another's.
  lose();
  const sync = syncs[0];
  const detail = (await api(emulator, "GET", `/api/syncs/${sync.id}`)).body.data;
  const edited = await api(emulator, "PUT", `/api/syncs/${sync.id}`, {
    name: detail.name,
    mode: detail.mode,
    active: detail.active,
    target: detail.target,
    identity: detail.identity,
    fields: detail.fields,
    schedule: { frequency: "manual" },
  });
  expect(edited.status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const refused = await project.deploy("lost-state");
  expect(refused.status).not.toBe(0);
  const message = refused.output.replace(/\s+/g, " ");
  expect(message).toContain('sync "Snowflake to Salesforce Sync" exists in Polytomic');
  expect(message).toContain(
    "If this stack deployed the refused objects before and its Terraform state was lost",
  );
  // The recovery the message describes.
  const command = /run terraform state rm (.*?), then deploy once/.exec(message)![1];
  const addresses = command.match(/terraform_data\.[\w-]+/g)!;
  expect(addresses).toEqual(["terraform_data.sync_Snowflake-to-Salesforce-Sync"]);
  expect(project.terraform("lost-state", ["state", "rm", ...addresses]).status).toBe(0);
  project.write({ ...description, settings: { adoptExisting: true } });
  const adopted = await project.deploy("lost-state");
  if (adopted.status !== 0) throw new Error(adopted.output);
  expect(await convergenceProblems(emulator, description)).toEqual([]);
  project.write(description);
  const after = await project.deploy("lost-state");
  expect(after.status).toBe(0);
  expect(after.output).toContain("0 created, 0 updated, 4 unchanged");
});
