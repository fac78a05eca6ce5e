/**
 * What the last deploy of a stack recorded, read from its Terraform state through Terraform itself
 * (`terraform show -json` in the stack directory), so that every backend works: local, S3,
 * Terraform Cloud. The state holds each object's declaration as applied (its `terraform_data`'s
 * `input`, Terraform values resolved) and the inventory (the owned objects' claims).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ObjectKind, OwnedEntry, OwnedObjects } from "../../core/contract";
import { MACHINERY, OBJECT_KINDS } from "../../core/contract";
import { ProvisionError } from "../errors";

export interface RecordedState {
  /** Each object's declaration as last applied (without its kind), by resource address. */
  readonly declarations: ReadonlyMap<string, Record<string, unknown>>;
  /** The inventory's entries; empty when the stack was never deployed. */
  readonly owned: OwnedObjects;
  /** Whether the state holds the stack's inventory (it was deployed). */
  readonly deployed: boolean;
  /**
   * Entries of generations still in the state: one whose `delete-removed` step failed stays
   * there, and the next apply deletes what it lists again.
   */
  readonly pending: OwnedObjects;
  /** Whether the last apply's deploy step failed (Terraform left it tainted) or never ran. */
  readonly deployFailed: boolean;
  /** Values Terraform marks sensitive in the declarations (`terraform show -json` prints them). */
  readonly sensitive: readonly string[];
}

interface StateResource {
  readonly address?: string;
  readonly type?: string;
  readonly name?: string;
  readonly values?: Record<string, unknown>;
  readonly sensitive_values?: Record<string, unknown>;
  readonly tainted?: boolean;
}

/** The values at the places `marks` (Terraform's `sensitive_values`) flags `true`. */
function sensitiveLeaves(value: unknown, marks: unknown, found: string[]): void {
  if (marks === true) {
    if (typeof value === "string" || typeof value === "number") found.push(String(value));
    else if (value !== null && typeof value === "object")
      for (const member of Object.values(value)) sensitiveLeaves(member, true, found);
    return;
  }
  if (typeof marks !== "object" || marks === null || typeof value !== "object" || value === null)
    return;
  for (const [key, mark] of Object.entries(marks))
    sensitiveLeaves((value as Record<string, unknown>)[key], mark, found);
}

interface ShownState {
  readonly values?: { readonly root_module?: { readonly resources?: StateResource[] } };
}

/** Terraform's binary: what cdktf runs (`TERRAFORM_BINARY_NAME`), else `terraform`. */
function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env.TERRAFORM_BINARY_NAME || "terraform";
}

function run(
  binary: string,
  args: readonly string[],
  directory: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      binary,
      [...args],
      {
        cwd: directory,
        env: { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
        maxBuffer: 1024 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          resolve({ ok: false, stdout: "", stderr: `${binary} was not found on PATH` });
          return;
        }
        resolve({ ok: !error, stdout, stderr });
      },
    );
  });
}

/** Terraform's error, without its box drawing, in one line. */
function firstError(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.replace(/^[│╷╵\s]+/, "").trim())
    .filter((line) => line !== "");
  const start = lines.findIndex((line) => line.startsWith("Error:"));
  return (start >= 0 ? lines.slice(start, start + 3) : lines.slice(0, 3)).join(" ");
}

function entriesOf(value: unknown): OwnedEntry[] | undefined {
  const list: unknown = typeof value === "string" ? safeParse(value) : value;
  if (!Array.isArray(list)) return undefined;
  const entries = list.filter(
    (entry): entry is OwnedEntry =>
      Array.isArray(entry) && entry.length >= 2 && entry.every((part) => typeof part === "string"),
  );
  return entries.length === list.length ? entries : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The inventory's entries: `terraform_data` keeps them in `input`, `null_resource` as JSON text in `triggers`. */
function inventoryOf(resource: StateResource | undefined): OwnedObjects | undefined {
  if (!resource) return undefined;
  const holder = (resource.values?.input ?? resource.values?.triggers) as
    Record<string, unknown> | undefined;
  if (typeof holder !== "object" || holder === null) return undefined;
  const owned = {} as Record<ObjectKind, OwnedEntry[]>;
  for (const kind of OBJECT_KINDS) {
    const entries = entriesOf(holder[kind]);
    if (!entries) return undefined;
    owned[kind] = entries;
  }
  return owned;
}

/** Parses `terraform show -json` of a state. */
export function parseShownState(text: string, stack: string): RecordedState {
  const shown = safeParse(text) as ShownState | undefined;
  if (typeof shown !== "object" || shown === null) {
    throw new ProvisionError(
      `stack ${JSON.stringify(stack)}: terraform show -json printed no JSON; check the Terraform version (>= 1.5) in the stack's directory`,
    );
  }
  const resources = shown.values?.root_module?.resources ?? [];
  const declarations = new Map<string, Record<string, unknown>>();
  for (const resource of resources) {
    // A declaration's input is JSON text, or an object when it uses Terraform values.
    const raw = resource.values?.input;
    const input = typeof raw === "string" ? safeParse(raw) : raw;
    if (resource.type === "terraform_data" && typeof input === "object" && input !== null)
      declarations.set(`terraform_data.${resource.name}`, input as Record<string, unknown>);
  }
  const inventory = resources.find((resource) => resource.name === MACHINERY.inventory);
  const owned = inventoryOf(inventory);
  if (inventory && !owned) {
    throw new ProvisionError(
      `stack ${JSON.stringify(stack)}: the Terraform state's ${inventory.address ?? MACHINERY.inventory} does not hold the owned objects as cdktf-polytomic writes them; deploy the stack with this version of cdktf-polytomic (cdktf deploy), then run diff again`,
    );
  }
  const pending = { connection: [], model: [], sync: [] } as Record<ObjectKind, OwnedEntry[]>;
  for (const generation of resources.filter((r) => r.name === MACHINERY.generation)) {
    const entries = inventoryOf(generation);
    for (const kind of OBJECT_KINDS) pending[kind].push(...(entries?.[kind] ?? []));
  }
  const deploy = resources.find((resource) => resource.name === MACHINERY.deploy);
  const sensitive: string[] = [];
  for (const resource of resources)
    sensitiveLeaves(resource.values?.input, resource.sensitive_values?.input, sensitive);
  return {
    declarations,
    owned: owned ?? { connection: [], model: [], sync: [] },
    deployed: owned !== undefined,
    pending,
    deployFailed: owned !== undefined && (deploy === undefined || deploy.tainted === true),
    sensitive,
  };
}

/**
 * Reads the stack's state. A directory Terraform was never initialised in (a fresh CI checkout
 * after `cdktf synth`) is initialised first, which reads the backend the stack configures.
 */
export async function readRecordedState(
  directory: string,
  stack: string,
  env: NodeJS.ProcessEnv,
): Promise<RecordedState> {
  const binary = terraformBinary(env);
  const cannot = (what: string, detail: string) =>
    new ProvisionError(
      `stack ${JSON.stringify(stack)}: cannot read its Terraform state (${what}: ${detail}); make sure terraform runs in ${directory} with the credentials of the stack's backend (cdktf deploy does the same), then run diff again`,
    );
  if (!existsSync(join(directory, ".terraform"))) {
    const init = await run(binary, ["init", "-input=false", "-no-color"], directory, env);
    if (!init.ok) throw cannot("terraform init failed", firstError(init.stderr || init.stdout));
  }
  const show = await run(binary, ["show", "-json", "-no-color"], directory, env);
  if (!show.ok) throw cannot("terraform show failed", firstError(show.stderr || show.stdout));
  return parseShownState(show.stdout, stack);
}
