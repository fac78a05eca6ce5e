/**
 * End-to-end harness: a cdktf project in a scratch directory inside the repo (so the app resolves
 * cdktf and the built cdktf-polytomic), the real bundled emulator as a child process on 127.0.0.1,
 * and the real `cdktf deploy` / `cdktf destroy` running Terraform. test/support/cdktn.ts makes the
 * same project for CDK Terrain.
 */
import type { ChildProcess } from "node:child_process";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { SNOWFLAKE_PASSWORD } from "./seed";

export const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli.cjs");
const CDKTF = join(ROOT, "node_modules", ".bin", "cdktf");
const APP = join(ROOT, "test", "support", "e2e-app.cjs");
const WAREHOUSE_SEED = join(ROOT, "test", "support", "e2e-warehouse.sql");

/** API responses are checked field by field in the tests; their full shape is not typed here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface Emulator {
  readonly url: string;
  readonly apiKey: string;
  /** Output the emulator printed (for leak checks). */
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `dist/cli.cjs emulator` on a free port. The embedded warehouse's password is the one the
 * seed stack's Snowflake connection reads from SNOWFLAKE_PASSWORD (the emulator checks it) unless
 * `args` set another, and its `users` table has the columns the generated stacks select
 * (e2e-warehouse.sql).
 */
export function startEmulator(args: string[] = []): Promise<Emulator> {
  const apiKey = `e2e-key-${randomBytes(12).toString("hex")}`;
  const password = args.includes("--snowflake-password")
    ? []
    : ["--snowflake-password", SNOWFLAKE_PASSWORD];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      CLI,
      "emulator",
      "--port",
      "0",
      "--api-key",
      apiKey,
      "--seed",
      WAREHOUSE_SEED,
      ...password,
      ...args,
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${output}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      output += `${line}\n`;
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
      if (!url || child.listenerCount("exit") === 0) return;
      child.removeAllListeners("exit");
      resolve({
        url,
        apiKey,
        output: () => output,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** Calls the emulator's API as a client would (waiting out 429s), returning the parsed body. */
export async function api<T = AnyJson>(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
  /** A person of the organization making the request, as in the UI (the emulator's X-Emulator-User). */
  person?: string,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${emulator.apiKey}`,
    "Content-Type": "application/json",
  };
  if (person !== undefined) headers["X-Emulator-User"] = person;
  for (;;) {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 429) {
      await new Promise((resolve) =>
        setTimeout(resolve, 1000 * Number(response.headers.get("retry-after") ?? 1)),
      );
      continue;
    }
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}

/** GET the `data` of an API path, failing on an error status. */
export async function data<T = AnyJson>(emulator: Emulator, path: string): Promise<T> {
  const { status, body } = await api(emulator, "GET", path);
  if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`);
  return body.data as T;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export async function requests(emulator: Emulator): Promise<RequestRecord[]> {
  const response = await fetch(`${emulator.url}/emulator/requests`);
  return (await response.json()) as RequestRecord[];
}

export const writes = (records: RequestRecord[]): RequestRecord[] =>
  records.filter((r) => r.method !== "GET");

/** Every item of the paginated sync list. */
export async function listSyncs(emulator: Emulator): Promise<AnyJson[]> {
  const items: AnyJson[] = [];
  let token: string | undefined;
  do {
    const query = token ? `?limit=50&page_token=${encodeURIComponent(token)}` : "?limit=50";
    const { status, body } = await api(emulator, "GET", `/api/syncs${query}`);
    if (status !== 200) throw new Error(`GET /api/syncs answered ${status}`);
    items.push(...body.data);
    token = body.pagination?.next_page_token || undefined;
  } while (token);
  return items;
}

/** The connections, models and syncs (full objects) the emulator holds. */
export async function inventory(emulator: Emulator) {
  const [connections, models, listed] = await Promise.all([
    data<AnyJson[]>(emulator, "/api/connections"),
    data<AnyJson[]>(emulator, "/api/models"),
    listSyncs(emulator),
  ]);
  const syncs: AnyJson[] = [];
  for (const item of listed) syncs.push(await data(emulator, `/api/syncs/${item.id}`));
  return { connections, models, syncs };
}

/**
 * Edits a sync as a person in the UI would: a full PUT of what it read, changed by `edit`, made as
 * `person` (the emulator's X-Emulator-User). Returns the sync's id.
 */
export async function editSync(
  emulator: Emulator,
  name: string,
  edit: (sync: AnyJson) => void,
  person = "ui-person@example.com",
): Promise<string> {
  const { syncs } = await inventory(emulator);
  const sync = syncs.find((s) => s.name === name);
  const body = {
    name: sync.name,
    mode: sync.mode,
    active: sync.active,
    target: sync.target,
    identity: sync.identity,
    fields: sync.fields,
    schedule: sync.schedule,
  };
  edit(body);
  const { status, body: answer } = await api(
    emulator,
    "PUT",
    `/api/syncs/${sync.id}`,
    body,
    person,
  );
  if (status !== 200)
    throw new Error(`PUT /api/syncs/${sync.id} answered ${status}: ${JSON.stringify(answer)}`);
  return sync.id;
}

export interface StackDescription {
  stack: string;
  /** A state backend address (test/support/state-server.ts) instead of the local backend. */
  httpBackend?: string;
  settings?: Record<string, unknown>;
  connections?: { id: string; type: "snowflake" | "salesforce"; props: Record<string, unknown> }[];
  models?: { id: string; connection: string; props: Record<string, unknown> }[];
  syncs?: {
    id: string;
    model: string;
    target: { connection: string; object: string };
    props: Record<string, unknown>;
  }[];
}

/** Several stacks of one app; objects refer to each other by id across stacks. */
export interface AppDescription {
  stacks: StackDescription[];
}

export interface RunResult {
  status: number;
  output: string;
}

export interface PlanResult {
  /** `terraform show -json` of the plan. */
  readonly json: AnyJson;
  /** What `terraform plan` printed. */
  readonly text: string;
}

/** The planned actions by resource address: `{ "terraform_data.model_Active-Users": ["update"] }`. */
export function plannedActions(plan: PlanResult): Record<string, string[]> {
  const actions: Record<string, string[]> = {};
  for (const change of plan.json.resource_changes ?? []) {
    if (change.change.actions.join() !== "no-op") actions[change.address] = change.change.actions;
  }
  return actions;
}

/** One resource's planned change (`before`, `after`, `actions`). */
/** A declaration's `input` as Terraform read it: JSON text, or an object when it uses Terraform values. */
export function declarationInput(input: AnyJson): AnyJson {
  return typeof input === "string" ? JSON.parse(input) : input;
}

/** The planned change of a resource, with declaration inputs parsed. */
export function plannedChange(plan: PlanResult, address: string): AnyJson {
  const change = (plan.json.resource_changes ?? []).find((c: AnyJson) => c.address === address);
  if (!change) throw new Error(`the plan has no change for ${address}`);
  const parsed = (side: AnyJson) =>
    side && "input" in side ? { ...side, input: declarationInput(side.input) } : side;
  return {
    ...change.change,
    before: parsed(change.change.before),
    after: parsed(change.change.after),
  };
}

/** Waits for a child process, collecting its output. */
export function collect(child: ChildProcess): Promise<RunResult> {
  let output = "";
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  return new Promise((resolve) =>
    child.on("close", (status) => resolve({ status: status ?? -1, output })),
  );
}

export interface ProjectOptions {
  /** Where the project's directory is made; by default .e2e-work in the repository. */
  readonly base?: string;
  /** The framework CLI's command and leading arguments; by default the repository's cdktf. */
  readonly cli?: readonly string[];
}

/** A scratch cdktf project whose app is described by JSON the test rewrites between deploys. */
export class Project {
  readonly dir: string;
  private readonly cli: readonly string[];

  constructor(
    readonly emulator: Emulator,
    readonly env: Record<string, string> = {},
    /** The app command; by default the JSON-described test app. */
    app = `node ${JSON.stringify(APP)}`,
    options: ProjectOptions = {},
  ) {
    const base = options.base ?? join(ROOT, ".e2e-work");
    this.cli = options.cli ?? [CDKTF];
    mkdirSync(base, { recursive: true });
    this.dir = mkdtempSync(join(base, "project-"));
    writeFileSync(
      join(this.dir, "cdktf.json"),
      JSON.stringify({
        language: "typescript",
        app,
        terraformProviders: [],
        context: {},
      }),
    );
  }

  write(description: StackDescription | AppDescription): this {
    writeFileSync(join(this.dir, "stack.json"), JSON.stringify(description, null, 2));
    return this;
  }

  /** The environment `cdktf` and Terraform run with: the emulator, the key and the test's secrets. */
  environment(extraEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CI: "1",
      FORCE_COLOR: "0",
      NO_COLOR: "1",
      CHECKPOINT_DISABLE: "1",
      DISABLE_VERSION_CHECK: "true",
      TF_CLI_CONFIG_FILE: "/dev/null",
      POLYTOMIC_E2E_STACK: join(this.dir, "stack.json"),
      POLYTOMIC_API_URL: this.emulator.url,
      POLYTOMIC_API_KEY: this.emulator.apiKey,
      ...this.env,
      ...extraEnv,
    };
  }

  /** Runs the framework's CLI (cdktf, or cdktn) in the project. */
  cdktf(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const [command, ...leading] = this.cli;
    return collect(
      spawn(command, [...leading, ...args], {
        cwd: this.dir,
        env: this.environment(extraEnv),
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
  }

  /** The synthesized stack's directory, where Terraform runs. */
  stackDir(stack: string): string {
    return join(this.dir, "cdktf.out", "stacks", stack);
  }

  deploy(stack: string, extraEnv?: Record<string, string>): Promise<RunResult> {
    return this.cdktf(["deploy", "--auto-approve", stack], extraEnv);
  }

  destroy(stack: string, extraEnv?: Record<string, string>): Promise<RunResult> {
    return this.cdktf(["destroy", "--auto-approve", stack], extraEnv);
  }

  /** Runs terraform in the synthesized stack's directory. */
  terraform(stack: string, args: string[], extraEnv: Record<string, string> = {}): RunResult {
    const result = spawnSync("terraform", args, {
      cwd: this.stackDir(stack),
      env: { ...this.environment(extraEnv), TF_IN_AUTOMATION: "1" },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
  }

  /**
   * Synthesizes the current description and returns `terraform show -json` of a real plan of it,
   * with the plan's text output (what `cdktf diff` shows).
   */
  async plan(stack: string, extraEnv: Record<string, string> = {}): Promise<PlanResult> {
    const synth = await this.cdktf(["synth"], extraEnv);
    if (synth.status !== 0) throw new Error(`cdktf synth failed:\n${synth.output}`);
    const init = this.terraform(stack, ["init", "-input=false", "-no-color"], extraEnv);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    const plan = this.terraform(
      stack,
      ["plan", "-input=false", "-no-color", "-out=tfplan"],
      extraEnv,
    );
    if (plan.status !== 0) throw new Error(`terraform plan failed:\n${plan.output}`);
    const show = this.terraform(stack, ["show", "-json", "tfplan"], extraEnv);
    if (show.status !== 0) throw new Error(`terraform show failed:\n${show.output}`);
    return { json: JSON.parse(show.output), text: plan.output };
  }

  /** Every file of the project: synthesized JSON, assets, state and its backups. */
  files(): string[] {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? walk(path) : [path];
      });
    return walk(this.dir);
  }

  /** Contents of every text file of the project except the bundled CLI asset. */
  artefacts(): { path: string; text: string }[] {
    return this.files()
      .filter((path) => !path.endsWith("cli.cjs"))
      .map((path) => ({ path, text: readFileSync(path, "utf8") }));
  }
}
