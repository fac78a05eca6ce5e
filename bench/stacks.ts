/**
 * The stacks the benchmarks apply and plan: ours (synthesized by synth-app.cjs), the floor (N bare
 * `terraform_data` resources carrying inputs of our sizes, plus one resource whose provisioner runs
 * `node -e 0`, written as JSON directly), and Terraform working directories around them.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { API_KEY, SNOWFLAKE_PASSWORD } from "./emulator";
import type { Cost } from "./measure";
import { mustRun } from "./measure";

const APP = join(__dirname, "synth-app.cjs");
const PROBE = join(__dirname, "probe.cjs");
const MACHINERY = /^polytomic_(inventory|generation|deploy)$/;

export const TERRAFORM_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_CLI_CONFIG_FILE: "/dev/null",
  SNOWFLAKE_PASSWORD,
  POLYTOMIC_API_KEY: API_KEY,
};

/** Milliseconds of each phase of one synth, as synth-app.cjs reports them. */
export interface Phases {
  readonly load: number;
  readonly construct: number;
  readonly synth: number;
}

export type Variant = "on-change" | "edit-one" | "drop-one" | "lift-env-check";

export interface TerraformConfig {
  resource: { terraform_data: Record<string, Record<string, unknown>> };
  [key: string]: unknown;
}

export function readConfig(stackDir: string): TerraformConfig {
  return JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as TerraformConfig;
}

/** Synthesizes our stack of `objects` objects; returns the synthesized stack directory. */
export async function synthesize(
  objects: number,
  variants: readonly Variant[] = [],
  env?: NodeJS.ProcessEnv,
): Promise<{ stackDir: string; outdir: string; cost: Cost; phases: Phases }> {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  const result = await mustRun(
    process.execPath,
    [APP, "polytomic", String(objects), outdir, ...variants],
    {
      env,
    },
  );
  return {
    stackDir: join(outdir, "stacks", "bench"),
    outdir,
    cost: result,
    phases: JSON.parse(result.stdout).phases,
  };
}

/** JSON size of each object's `input` in our synthesized stack, in order. */
export function declarationSizes(config: TerraformConfig): number[] {
  return Object.entries(config.resource.terraform_data)
    .filter(([name]) => !MACHINERY.test(name))
    .map(([, resource]) => JSON.stringify(resource.input).length);
}

/** The floor's one resource with a provisioner. */
export const FLOOR_RUNNER = "run";

/**
 * The least Terraform can do to carry our objects and run one program: one bare `terraform_data`
 * per object whose `input` is a string of the same JSON size as ours, no dependencies, and one
 * resource whose provisioner runs `node -e 0`.
 */
export function floorConfig(sizes: readonly number[]): TerraformConfig {
  const resources: Record<string, Record<string, unknown>> = {};
  sizes.forEach((size, i) => {
    resources[`r${i}`] = { input: "x".repeat(Math.max(0, size - 2)) };
  });
  resources[FLOOR_RUNNER] = {
    provisioner: [{ "local-exec": { interpreter: ["node", "-e"], command: "0" } }],
  };
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    resource: { terraform_data: resources },
  };
}

export interface Apply {
  readonly cost: Cost;
  /** Provisioners Terraform ran. */
  readonly provisioners: number;
  /** What each Node.js process Terraform started cost by itself (probe.cjs). */
  readonly programs: readonly (Cost & { argv: string[] })[];
  readonly stdout: string;
}

/** A Terraform working directory holding one stack configuration. */
export class Workspace {
  private constructor(readonly dir: string) {}

  /** A fresh directory; `from` is a synthesized stack directory whose files (assets too) it copies. */
  static async create(name: string, config: TerraformConfig, from?: string): Promise<Workspace> {
    const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
    if (from) cpSync(from, dir, { recursive: true });
    const workspace = new Workspace(dir);
    workspace.configure(config);
    await mustRun("terraform", ["init", "-input=false", "-no-color"], {
      cwd: dir,
      env: TERRAFORM_ENV,
    });
    return workspace;
  }

  /** Writes the configuration, and the stack file of `stackDir` when given. */
  configure(config: TerraformConfig, stackDir?: string): void {
    writeFileSync(join(this.dir, "cdk.tf.json"), JSON.stringify(config, null, 2));
    if (stackDir) {
      const file = "polytomic-stack.json";
      cpSync(join(stackDir, file), join(this.dir, file));
    }
  }

  /** Takes the configuration and stack file of another synthesized stack (same asset). */
  useSynthesized(stackDir: string): void {
    this.configure(readConfig(stackDir), stackDir);
  }

  clearState(): void {
    for (const file of ["terraform.tfstate", "terraform.tfstate.backup"])
      rmSync(join(this.dir, file), { force: true });
  }

  stateBytes(): number {
    return readFileSync(join(this.dir, "terraform.tfstate")).length;
  }

  state(): { resources: { name: string }[] } & Record<string, unknown> {
    return JSON.parse(readFileSync(join(this.dir, "terraform.tfstate"), "utf8"));
  }

  async apply(apiUrl?: string): Promise<Apply> {
    const probeFile = join(this.dir, "probe.jsonl");
    rmSync(probeFile, { force: true });
    const result = await mustRun(
      "terraform",
      ["apply", "-auto-approve", "-input=false", "-no-color"],
      {
        cwd: this.dir,
        env: {
          ...TERRAFORM_ENV,
          ...(apiUrl ? { POLYTOMIC_API_URL: apiUrl } : {}),
          NODE_OPTIONS: `--require ${PROBE}`,
          BENCH_PROBE_FILE: probeFile,
        },
      },
    );
    let probes = "";
    try {
      probes = readFileSync(probeFile, "utf8");
    } catch {
      // No Node.js process ran.
    }
    return {
      cost: result,
      provisioners: (result.stdout.match(/Provisioning with 'local-exec'/g) ?? []).length,
      programs: probes
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Cost & { argv: string[] }),
      stdout: result.stdout,
    };
  }

  async plan(): Promise<Cost & { summary: string }> {
    const result = await mustRun(
      "terraform",
      ["plan", "-input=false", "-no-color", "-lock=false"],
      { cwd: this.dir, env: TERRAFORM_ENV },
    );
    const summary =
      /Plan: .*|No changes\./.exec(result.stdout)?.[0] ?? result.stdout.trim().split("\n").pop()!;
    return { ...result, summary };
  }

  /**
   * Writes the state an apply of `config`'s objects from empty would leave, by applying them in
   * chunks of `chunk` in a scratch directory and joining the chunks' states: the local backend
   * rewrites the whole state after every change, so applying 3000 resources at once costs minutes
   * of set-up (quadratic) that no figure needs. Only objects with no references may be chunked.
   */
  async seedState(config: TerraformConfig, names: readonly string[], chunk: number): Promise<void> {
    const scratch = mkdtempSync(join(tmpdir(), "bench-seed-"));
    const { resource: _resource, ...rest } = config;
    const resources: unknown[] = [];
    let header: Record<string, unknown> | undefined;
    try {
      for (let start = 0; start < names.length; start += chunk) {
        const part = Object.fromEntries(
          names
            .slice(start, start + chunk)
            .map((name) => [name, config.resource.terraform_data[name]]),
        );
        writeFileSync(
          join(scratch, "main.tf.json"),
          JSON.stringify({ ...rest, resource: { terraform_data: part } }),
        );
        rmSync(join(scratch, "terraform.tfstate"), { force: true });
        if (start === 0)
          await mustRun("terraform", ["init", "-input=false", "-no-color"], {
            cwd: scratch,
            env: TERRAFORM_ENV,
          });
        await mustRun("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], {
          cwd: scratch,
          env: TERRAFORM_ENV,
        });
        const state = JSON.parse(readFileSync(join(scratch, "terraform.tfstate"), "utf8"));
        header ??= state;
        resources.push(...state.resources);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(
      join(this.dir, "terraform.tfstate"),
      JSON.stringify({ ...header, serial: 1, resources }, null, 2),
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Names of the resources that carry objects (not our machinery). */
export function objectResourceNames(config: TerraformConfig): string[] {
  return Object.keys(config.resource.terraform_data).filter((name) => !MACHINERY.test(name));
}

/** State bytes by what they carry: objects, and each machinery resource. */
export function stateBreakdown(state: { resources: { name: string }[] }): Record<string, number> {
  const bytes: Record<string, number> = { objects: 0 };
  for (const resource of state.resources) {
    const size = JSON.stringify(resource, null, 2).length;
    if (MACHINERY.test(resource.name)) bytes[resource.name] = size;
    else bytes.objects += size;
  }
  return bytes;
}
