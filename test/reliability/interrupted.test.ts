/**
 * "Run it again" always works. Each trial moves a stack to its next version (renames, removals,
 * additions, edits), SIGKILLs the whole process group of `terraform apply` at a random moment (a
 * cancelled CI job), sometimes twice in a row, then runs a clean apply and checks that exactly the
 * declared objects exist, once each, with their declared settings, and nothing else. The emulator
 * also fails and drops a share of writes, so retries and replays happen under the kills.
 * The state lives in a backend that replaces it whole on each write (as S3 or Terraform Cloud do):
 * with the local backend a SIGKILL can empty terraform.tfstate, a lost state that the test
 * "a stack whose Terraform state was lost" covers. Bounded in trials and time.
 */
import { convergenceProblems } from "../support/converge";
import type { Emulator, StackDescription } from "../support/e2e";
import { Project, startEmulator } from "../support/e2e";
import { after, applyAndKill } from "../support/interrupt";
import type { StateServer } from "../support/state-server";
import { startStateServer } from "../support/state-server";
import { largeStack } from "../support/large-stack";
import { record } from "../support/reliability";
import { SNOWFLAKE_PASSWORD } from "../support/seed";

const STACK = "killed";
const TRIALS = 16;
/** For the trials; the setup and the last deploy through cdktf get the rest of the test's time. */
const TIME_BUDGET_MS = 5 * 60 * 1000;
const TEST_TIMEOUT_MS = TIME_BUDGET_MS + 5 * 60 * 1000;

/** Deterministic randomness, so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The versions a trial moves between: each differs from the one before by renames and removals. */
function versions(): StackDescription[] {
  const base = {
    ...largeStack(STACK, { snowflake: 2, salesforce: 2, models: 3, syncs: 6 }),
    httpBackend: states.address(STACK),
  };
  const edit = (change: (d: StackDescription) => void): StackDescription => {
    const copy = JSON.parse(JSON.stringify(base)) as StackDescription;
    change(copy);
    return copy;
  };
  return [
    base,
    edit((d) => {
      d.models![0].props.name = "Users region 0 (renamed)";
      d.connections![2].props.name = "CRM 0 (renamed)";
      d.syncs = d.syncs!.filter((s) => s.id !== "Sync5");
      d.syncs![1].props.fields = [{ source: "last_name", target: "LastName" }];
    }),
    edit((d) => {
      // Drop the second warehouse, its model and that model's syncs; edit a query.
      d.connections = d.connections!.filter((c) => c.id !== "Snowflake1");
      d.models = d.models!.filter((m) => m.id !== "Model1");
      d.syncs = d.syncs!.filter((s) => s.model !== "Model1");
      d.models![0].props.query = `${String(d.models![0].props.query)} AND plan <> 'free'`;
    }),
    edit((d) => {
      for (const sync of d.syncs!) sync.props.name = `${String(sync.props.name)} v2`;
      d.syncs![0].props.schedule = { frequency: "manual" };
    }),
  ];
}

let emulator: Emulator;
let states: StateServer;
beforeAll(async () => {
  states = await startStateServer();
  emulator = await startEmulator([
    "--auto-authorize",
    "--latency",
    "20",
    "--fail-rate",
    "0.03",
    "--drop-rate",
    "0.02",
  ]);
});
afterAll(async () => {
  await emulator.stop();
  await states.close();
});

/** What the killed apply was doing when it died, from what it printed. */
function phase(output: string): string {
  if (/polytomic_generation\[[^\]]+\]: Destroying/.test(output)) return "deleting removed objects";
  if (/polytomic_deploy \(local-exec\): [+~]/.test(output)) return "writing objects";
  if (/polytomic_deploy: Provisioning/.test(output)) return "starting the deploy step";
  if (/(Creating|Modifying|Destroying)\.\.\./.test(output)) return "recording declarations";
  return "planning";
}

test(
  "after random SIGKILLs of terraform apply, the next clean apply converges",
  async () => {
    const seed = Number(process.env.POLYTOMIC_KILL_SEED ?? Date.now() % 100000);
    const next = random(seed);
    const sequence = versions();
    const project = new Project(emulator, { SNOWFLAKE_PASSWORD });
    const started = Date.now();
    const phases: Record<string, number> = {};
    let kills = 0;
    let doubles = 0;
    let trials = 0;

    project.write(sequence[0]);
    expect((await project.cdktf(["synth"])).status).toBe(0);
    expect(project.terraform(STACK, ["init", "-input=false"]).status).toBe(0);
    const timed = Date.now();
    expect(project.terraform(STACK, ["apply", "-auto-approve", "-input=false"]).status).toBe(0);
    const applyMs = Date.now() - timed;

    for (let trial = 1; trial <= TRIALS && Date.now() - started < TIME_BUDGET_MS; trial += 1) {
      const target = sequence[trial % sequence.length];
      project.write(target);
      expect((await project.cdktf(["synth"])).status).toBe(0);
      const times = next() < 0.35 ? 2 : 1;
      if (times === 2) doubles += 1;
      for (let k = 0; k < times; k += 1) {
        const run = await applyAndKill(project, STACK, after(Math.floor(next() * applyMs * 1.3)));
        if (run.killed) {
          kills += 1;
          const where = phase(run.output);
          phases[where] = (phases[where] ?? 0) + 1;
        }
      }
      const clean = project.terraform(STACK, [
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
      ]);
      if (clean.status !== 0)
        throw new Error(`trial ${trial} (seed ${seed}): the clean apply failed:\n${clean.output}`);
      const problems = await convergenceProblems(emulator, target);
      if (problems.length > 0)
        throw new Error(`trial ${trial} (seed ${seed}) did not converge:\n${problems.join("\n")}`);
      trials = trial;
    }
    // A last clean run through cdktf itself, as a user would deploy.
    const final = sequence[(trials + 1) % sequence.length];
    project.write(final);
    expect((await project.deploy(STACK)).status).toBe(0);
    expect(await convergenceProblems(emulator, final)).toEqual([]);
    expect(trials).toBeGreaterThanOrEqual(8);
    expect(kills).toBeGreaterThanOrEqual(trials / 2);

    record({
      area: "Interrupted apply",
      scenario: `${trials} trials over a stack of 4 connections, 3 models and 6 syncs moving through 4 versions (renames of a model, a connection and every sync, removals of a sync and of a warehouse with its model and syncs, edits of queries, mappings and schedules)`,
      how: `terraform apply SIGKILLed (whole process group) at a random moment within 1.3x a clean apply (${applyMs} ms), twice in a row in ${doubles} trials; state in Terraform's http backend (whole-state writes, as S3 or Terraform Cloud); emulator --latency 20 --fail-rate 0.03 --drop-rate 0.02; then a clean apply; seed ${seed}`,
      result: `${kills} kills landed (${Object.entries(phases)
        .map(([where, count]) => `${count} while ${where}`)
        .join(
          ", ",
        )}); after every clean apply exactly the declared objects existed, once each, with their declared settings, and nothing undeclared (${trials}/${trials} converged)`,
    });
  },
  TEST_TIMEOUT_MS,
);
