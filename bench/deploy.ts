/**
 * `terraform apply` of 100 syncs (10 models, 2 connections) against the emulator, at 0 and 20 ms
 * added latency, against a floor that applies the same resource graph with provisioners running
 * `node -e 0`. Also: API requests per object on create, and what an unchanged redeploy costs.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulatorProcess } from "../scripts/lib/emulator-process.cjs";
import type { Figure } from "./measure";
import { figure, median, mustRun, round } from "./measure";

const ROOT = join(__dirname, "..");
const SYNCS = 100;
const OBJECTS = 2 + SYNCS / 10 + SYNCS;
const API_KEY = "bench-api-key-0123456789";

interface LoggedRequest {
  method: string;
}

const TERRAFORM_ENV = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_CLI_CONFIG_FILE: "/dev/null",
  SNOWFLAKE_PASSWORD: "bench-password",
  POLYTOMIC_API_KEY: API_KEY,
};

/** The same configuration with every provisioner replaced by `node -e 0`. */
function floorConfig(configText: string): string {
  const config = JSON.parse(configText);
  for (const resource of Object.values(
    config.resource.terraform_data as Record<
      string,
      { provisioner?: { "local-exec": { interpreter: string[] } }[] }
    >,
  )) {
    for (const entry of resource.provisioner ?? [])
      entry["local-exec"].interpreter = ["node", "-e", "0"];
  }
  return JSON.stringify(config, null, 2);
}

function freshState(dir: string): void {
  for (const file of ["terraform.tfstate", "terraform.tfstate.backup", ".polytomic-receipts"])
    rmSync(join(dir, file), { recursive: true, force: true });
}

async function apply(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; provisioners: number }> {
  const result = await mustRun(
    "terraform",
    ["apply", "-auto-approve", "-input=false", "-no-color"],
    { cwd: dir, env },
  );
  return {
    ms: result.ms,
    provisioners: (result.stdout.match(/Provisioning with 'local-exec'/g) ?? []).length,
  };
}

async function requestLog(url: string): Promise<LoggedRequest[]> {
  return (await (await fetch(`${url}/emulator/requests`)).json()) as LoggedRequest[];
}

export async function deployBenchmarks(quick: boolean): Promise<Figure[]> {
  const work = mkdtempSync(join(tmpdir(), "bench-deploy-"));
  await mustRun(process.execPath, [
    join(__dirname, "synth-app.cjs"),
    "polytomic",
    String(SYNCS),
    join(work, "out"),
  ]);
  const ours = join(work, "out", "stacks", "bench");
  const floor = join(work, "floor");
  cpSync(ours, floor, { recursive: true });
  writeFileSync(
    join(floor, "cdk.tf.json"),
    floorConfig(readFileSync(join(ours, "cdk.tf.json"), "utf8")),
  );
  for (const dir of [ours, floor])
    await mustRun("terraform", ["init", "-input=false", "-no-color"], {
      cwd: dir,
      env: TERRAFORM_ENV,
    });

  const figures: Figure[] = [];
  const times = quick ? 1 : 3;
  let requestsPerObject = 0;
  let redeploy = { provisioners: -1, writes: -1 };
  for (const latency of [0, 20]) {
    const values: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < times; i += 1) {
      freshState(floor);
      floors.push((await apply(floor, TERRAFORM_ENV)).ms);

      const emulator = await startEmulatorProcess(ROOT, [
        "--auto-authorize",
        "--api-key",
        API_KEY,
        "--snowflake-password",
        TERRAFORM_ENV.SNOWFLAKE_PASSWORD,
        "--seed",
        join(__dirname, "fixtures", "warehouse.sql"),
        "--latency",
        String(latency),
      ]);
      try {
        const env = { ...TERRAFORM_ENV, POLYTOMIC_API_URL: emulator.url };
        freshState(ours);
        values.push((await apply(ours, env)).ms);
        const created = await requestLog(emulator.url);
        requestsPerObject = created.length / OBJECTS;
        const again = await apply(ours, env);
        const after = await requestLog(emulator.url);
        redeploy = {
          provisioners: again.provisioners,
          writes: after.slice(created.length).filter((r) => r.method !== "GET").length,
        };
      } finally {
        await emulator.stop();
      }
    }
    figures.push(
      figure(
        `deploy ${OBJECTS} objects, +${latency} ms latency: terraform apply`,
        "ms",
        median(values),
        median(floors),
        { maxRatio: 1.5 },
      ),
    );
  }
  figures.push({
    name: "deploy: API requests per object on create",
    value: round(requestsPerObject, 2),
    unit: "requests",
    floor: 1,
    ratio: round(requestsPerObject, 2),
    target: "value <= 4",
    met: requestsPerObject <= 4,
  });
  figures.push({
    name: "unchanged redeploy: provisioner runs + API writes",
    value: redeploy.provisioners + redeploy.writes,
    unit: "count",
    floor: 0,
    ratio: 0,
    target: "value = 0",
    met: redeploy.provisioners === 0 && redeploy.writes === 0,
    note: `${redeploy.provisioners} provisioner runs, ${redeploy.writes} writes`,
  });
  rmSync(work, { recursive: true, force: true });
  return figures;
}
