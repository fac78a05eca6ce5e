/**
 * End to end: `polytomic-cdktf diff` (the bundled CLI) after real cdktf synth and deploy, against
 * the emulator over HTTP. Changes made through the emulator's API as a person in the UI would are
 * reported as drift, exactly those; a deploy repairs them; a code edit not yet deployed is an
 * update with its field diff; a removed object is a delete; `--json` matches its schema; an API
 * that fails is retried, one that stays down is an error (exit 1).
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Ajv from "ajv";
import { REPORT_SCHEMA } from "../../lib/cli/diff/report";
import type { DiffReport, ObjectDiff } from "../../lib/cli/diff/report";
import type { AnyJson, Emulator, RunResult, StackDescription } from "../support/e2e";
import { api, collect, editSync, inventory, Project, ROOT, startEmulator } from "../support/e2e";
import { SNOWFLAKE_PASSWORD, seedStack } from "../support/seed";

const CLI = join(ROOT, "dist", "cli.cjs");
const STACK = "drift-check";
const validateReport = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);

/** The seed stack with a second model that no sync uses (so the UI can delete it). */
function stackDescription(edit?: (stack: StackDescription) => void): StackDescription {
  const stack = seedStack(STACK);
  stack.models!.push({
    id: "Signups",
    connection: "Snowflake",
    props: { name: "Signups", query: "SELECT email,\n  first_name\nFROM users" },
  });
  edit?.(stack);
  return stack;
}

function diff(
  project: Project,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<RunResult> {
  return collect(
    spawn(process.execPath, [CLI, "diff", ...args], {
      cwd: project.dir,
      // Secrets are not needed: the Snowflake password is left out on purpose.
      env: { ...project.environment(env), SNOWFLAKE_PASSWORD: "" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

async function jsonDiff(project: Project, env: Record<string, string> = {}) {
  const result = await diff(project, ["--json"], env);
  const report = JSON.parse(result.output.slice(result.output.indexOf("{"))) as DiffReport;
  expect(validateReport(report) ? [] : validateReport.errors).toEqual([]);
  expect(report.errors).toEqual([]);
  return { status: result.status, report };
}

/** The objects a deploy would touch, as `kind name action`. */
function touched(report: DiffReport): string[] {
  return report.stacks
    .flatMap((stack) => stack.objects)
    .filter((object) => object.action !== "unchanged")
    .map((object) => `${object.kind} ${object.name}: ${object.action}`)
    .sort();
}

function entry(report: DiffReport, kind: string, name: string): ObjectDiff {
  const found = report.stacks[0].objects.find((o) => o.kind === kind && o.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${JSON.stringify(report)}`);
  return found;
}

async function deployed(project: Project): Promise<void> {
  const result = await project.deploy(STACK);
  if (result.status !== 0) throw new Error(`cdktf deploy failed:\n${result.output}`);
}

describe("polytomic-cdktf diff", () => {
  let emulator: Emulator;
  let project: Project;

  beforeAll(async () => {
    emulator = await startEmulator(["--auto-authorize"]);
    project = new Project(emulator, { SNOWFLAKE_PASSWORD }).write(stackDescription());
  });
  afterAll(() => emulator.stop());

  test("before the first deploy, every object is a create and the state is read as empty", async () => {
    const synth = await project.cdktf(["synth"]);
    expect(synth.status).toBe(0);
    const { status, report } = await jsonDiff(project);
    expect(status).toBe(2);
    expect(report.stacks[0].deployed).toBe(false);
    expect(touched(report)).toEqual([
      "connection Salesforce Connection: create",
      "connection Snowflake Connection: create",
      "model Active Users: create",
      "model Signups: create",
      "sync Snowflake to Salesforce Sync: create",
    ]);
    expect(report.stacks[0].objects.every((object) => !object.drift)).toBe(true);
  });

  test("after a deploy nothing differs (exit 0)", async () => {
    await deployed(project);
    const result = await diff(project);
    expect(result.output).toContain("No differences: Polytomic matches the code.");
    expect(result.status).toBe(0);
  });

  test("UI edits of a sync's schedule and mapping and a deleted model are drift, exactly those", async () => {
    const { syncs, models } = await inventory(emulator);
    const sync: AnyJson = syncs[0];
    await editSync(emulator, sync.name, (body) => {
      body.fields = body.fields.filter((field: AnyJson) => field.target !== "LastName");
      body.schedule = { frequency: "daily", hour: "6", minute: "30" };
    });
    const signups = models.find((model: AnyJson) => model.name === "Signups");
    const deleted = await api(
      emulator,
      "DELETE",
      `/api/models/${signups.id}`,
      undefined,
      "ui-person@example.com",
    );
    expect(deleted.status).toBeLessThan(300);

    const { status, report } = await jsonDiff(project);
    expect(status).toBe(2);
    expect(touched(report)).toEqual([
      "model Signups: create",
      "sync Snowflake to Salesforce Sync: update",
    ]);
    const changed = entry(report, "sync", "Snowflake to Salesforce Sync");
    expect(changed).toMatchObject({ drift: true, id: sync.id, construct: "ModelSync" });
    expect(changed.changes.map((change) => [change.field, change.drift])).toEqual([
      ["fields", true],
      ["schedule", true],
    ]);
    expect(changed.changes[1]).toMatchObject({
      from: { frequency: "daily", hour: "6", minute: "30" },
      to: { frequency: "continuous" },
    });
    expect(entry(report, "model", "Signups")).toMatchObject({
      drift: true,
      note: "deleted in Polytomic since the last deploy",
    });

    const text = await diff(project);
    expect(text.status).toBe(2);
    expect(text.output).toMatch(
      /~ sync "Snowflake to Salesforce Sync" \(ModelSync drift-check\/ContactsSync, id [\w-]+\): update \[drift\]/,
    );
    expect(text.output).toContain('+ {"source":"last_name","target":"LastName"}');
    expect(text.output).toMatch(
      /schedule: \{"frequency":"daily","hour":"6","minute":"30"\} -> \{"frequency":"continuous"\} \(drift\)/,
    );
    expect(text.output).toMatch(
      /\+ model "Signups" \(QueryModel drift-check\/Signups\): create \[drift\]/,
    );
    // No colour codes in a log.
    expect(text.output).not.toContain("\u001b[");

    await deployed(project);
    const after = await diff(project);
    expect(after.output).toContain("No differences");
    expect(after.status).toBe(0);
  });

  test("a code edit not yet deployed is an update with its field diff; a removed object a delete", async () => {
    project.write(
      stackDescription((stack) => {
        stack.models![0].props.query = `${stack.models![0].props.query}\nLIMIT 100`;
        stack.models!.splice(1, 1);
        (stack.syncs![0].props.fields as AnyJson[]).push({ source: "plan", target: "Title" });
      }),
    );
    expect((await project.cdktf(["synth"])).status).toBe(0);
    const { status, report } = await jsonDiff(project);
    expect(status).toBe(2);
    expect(touched(report)).toEqual([
      "model Active Users: update",
      "model Signups: delete",
      "sync Snowflake to Salesforce Sync: update",
    ]);
    const model = entry(report, "model", "Active Users");
    expect(model.drift).toBe(false);
    expect(model.changes.map((change) => [change.field, change.drift])).toEqual([["query", false]]);

    const text = await diff(project);
    expect(text.output).toContain("        + LIMIT 100");
    expect(text.output).toContain('        + {"source":"plan","target":"Title"}');
    expect(text.output).toMatch(/- model "Signups" \(id [\w-]+\): delete/);

    await deployed(project);
    const after = await diff(project);
    expect(after.output).toContain("No differences");
    expect(after.status).toBe(0);
  });

  test("a sync renamed in the UI is a restore; a declared name someone else created, a refused takeover", async () => {
    const { syncs } = await inventory(emulator);
    const sync: AnyJson = syncs[0];
    await editSync(emulator, sync.name, (body) => {
      body.name = "Contacts (renamed in the UI)";
    });
    const taken = await api(
      emulator,
      "POST",
      "/api/models",
      {
        name: "Weekly Signups",
        connection_id: (await inventory(emulator)).models[0].connection_id,
        configuration: { query: "SELECT email FROM users" },
      },
      "ui-person@example.com",
    );
    expect(taken.status).toBeLessThan(300);
    project.write(
      stackDescription((stack) => {
        stack.models![0].props.query = `${stack.models![0].props.query}\nLIMIT 50`;
        stack.models!.splice(1, 1, {
          id: "WeeklySignups",
          connection: "Snowflake",
          props: { name: "Weekly Signups", query: "SELECT email, first_name FROM users" },
        });
        (stack.syncs![0].props.fields as AnyJson[]).push({ source: "plan", target: "Title" });
      }),
    );
    expect((await project.cdktf(["synth"])).status).toBe(0);
    const { status, report } = await jsonDiff(project);
    expect(status).toBe(2);
    expect(touched(report)).toEqual([
      "model Active Users: update",
      "model Weekly Signups: refuse-takeover",
      "sync Snowflake to Salesforce Sync: restore",
    ]);
    expect(entry(report, "sync", "Snowflake to Salesforce Sync")).toMatchObject({
      id: sync.id,
      drift: true,
      note: 'renamed to "Contacts (renamed in the UI)" in Polytomic',
    });
    expect(entry(report, "model", "Weekly Signups").id).toBe(taken.body.data.id);
    // The renamed sync is the stack's, to be restored: not an object no stack manages.
    const listed = await diff(project, ["--json", "--unmanaged"]);
    const unmanaged =
      (JSON.parse(listed.output.slice(listed.output.indexOf("{"))) as DiffReport).unmanaged ?? [];
    expect(unmanaged.map((object) => object.id)).not.toContain(sync.id);
    expect(report.stacks[0].problems.join("\n")).toContain("adoptExisting: true");

    const text = await diff(project);
    expect(text.output).toMatch(/! model "Weekly Signups" .*: refuse-takeover/);
    expect(text.output).toMatch(
      /! QueryModel "drift-check\/WeeklySignups": model "Weekly Signups" exists in Polytomic/,
    );
    // A deploy that fails (the takeover is refused) records the new declarations in the state
    // without writing them: they stay changes of the code, not drift.
    const failed = await project.deploy(STACK);
    expect(failed.status).not.toBe(0);
    const afterFailure = await jsonDiff(project);
    expect(afterFailure.report.stacks[0].notes?.[0]).toContain("the last deploy did not finish");
    const query = entry(afterFailure.report, "model", "Active Users").changes;
    expect(query.map((change) => [change.field, change.drift])).toEqual([["query", false]]);

    await api(emulator, "DELETE", `/api/models/${taken.body.data.id}`);
    project.write(
      stackDescription((stack) => {
        stack.models![0].props.query = `${stack.models![0].props.query}\nLIMIT 100`;
        stack.models!.splice(1, 1);
        (stack.syncs![0].props.fields as AnyJson[]).push({ source: "plan", target: "Title" });
      }),
    );
    await deployed(project);
    expect((await diff(project)).status).toBe(0);
  });

  test("--unmanaged lists what no stack declares, without changing the exit code", async () => {
    const created = await api(
      emulator,
      "POST",
      "/api/connections",
      {
        name: "Made in the UI",
        type: "salesforce",
        configuration: { domain: "https://other.my.salesforce.com" },
      },
      "ui-person@example.com",
    );
    expect(created.status).toBeLessThan(300);
    const result = await diff(project, ["--unmanaged"]);
    expect(result.status).toBe(0);
    expect(result.output).toContain(`connection "Made in the UI" (id ${created.body.data.id})`);
  });

  test("secrets are never read or printed", async () => {
    const outputs = [
      (await diff(project)).output,
      (await diff(project, ["--json"])).output,
      (await diff(project, [], { POLYTOMIC_API_KEY: "wrong-key-value" })).output,
    ].join("\n");
    expect(outputs).not.toContain(SNOWFLAKE_PASSWORD);
    expect(outputs).not.toContain(emulator.apiKey);
    expect(outputs).not.toContain("wrong-key-value");
  });

  describe("when the API fails", () => {
    let proxy: Server;
    let mode: "flaky" | "down" = "flaky";
    let served = 0;
    const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

    beforeAll(async () => {
      const target = new URL(emulator.url);
      proxy = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
        served++;
        if (mode === "down" || served % 2 === 1) {
          outgoing.writeHead(503, { "Content-Type": "application/json" });
          outgoing.end(JSON.stringify({ status: 503, message: "service unavailable" }));
          return;
        }
        const forwarded = request(
          {
            host: target.hostname,
            port: target.port,
            path: incoming.url,
            method: incoming.method,
            headers: incoming.headers,
          },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
          },
        );
        incoming.pipe(forwarded);
      });
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    test("failed requests are retried and the answer is the same", async () => {
      mode = "flaky";
      const result = await diff(project, [], { POLYTOMIC_API_URL: proxyUrl() });
      expect(result.output).toMatch(/retrying GET \/api\/\S+ after 503/);
      expect(result.output).toContain("No differences");
      expect(result.status).toBe(0);
    });

    test("an API that stays down is an error naming the stack (exit 1)", async () => {
      mode = "down";
      const result = await diff(project, [], { POLYTOMIC_API_URL: proxyUrl() });
      expect(result.status).toBe(1);
      expect(result.output).toMatch(new RegExp(`error: stack "${STACK}": .*503`));
      expect(result.output).not.toMatch(/\n\s+at /);
    }, 120_000);
  });

  test("bad input: one line naming the stack, what is wrong and the fix; exit 1", async () => {
    const missing = await diff(project, ["cdktf.out/stacks/nope"]);
    expect(missing.status).toBe(1);
    expect(missing.output).toContain(
      "error: stack directory cdktf.out/stacks/nope does not exist: run cdktf synth first",
    );
    const foreign = join(project.dir, "not-a-stack");
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, "cdk.tf.json"), "{}");
    const notOurs = await diff(project, ["not-a-stack"]);
    expect(notOurs.status).toBe(1);
    expect(notOurs.output).toContain("not-a-stack has no polytomic-stack.json");

    const wrongKey = await diff(project, [], { POLYTOMIC_API_KEY: "wrong-key-value" });
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.output).toMatch(new RegExp(`error: stack "${STACK}": .*401`));

    const noKey = await diff(project, [], { POLYTOMIC_API_KEY: "" });
    expect(noKey.status).toBe(1);
    expect(noKey.output).toContain("POLYTOMIC_API_KEY is not set");
    // A copy of the stack whose backend holds a corrupt state (init runs, as on a fresh checkout).
    const broken = join(project.dir, "broken-state");
    cpSync(project.stackDir(STACK), broken, { recursive: true });
    rmSync(join(broken, ".terraform"), { recursive: true, force: true });
    const config = JSON.parse(readFileSync(join(broken, "cdk.tf.json"), "utf8"));
    config.terraform.backend = { local: { path: join(broken, "corrupt.tfstate") } };
    writeFileSync(join(broken, "cdk.tf.json"), JSON.stringify(config));
    writeFileSync(join(broken, "corrupt.tfstate"), "{ not a state");
    const unreadable = await diff(project, ["broken-state"]);
    expect(unreadable.status).toBe(1);
    expect(unreadable.output).toMatch(
      new RegExp(
        `error: stack "${STACK}": cannot read its Terraform state \\(terraform (init|show) failed: Error: .*Unsupported state file format.*\\); make sure terraform runs in`,
      ),
    );

    for (const result of [missing, notOurs, wrongKey, noKey, unreadable])
      expect(result.output).not.toMatch(/\n\s+at /);
  });
});
