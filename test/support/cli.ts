/**
 * Running the bundled CLI (dist/cli.cjs) as the stack's provisioners do, without Terraform: a stack
 * directory holding a stack file, and the environment Terraform would pass (ownership records,
 * resolved values, secrets).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiSettings, ObjectKind, OwnedEntry, Verb } from "../../lib/core/contract";
import {
  API_ENV,
  OBJECT_KINDS,
  OWNED_ENV_PREFIX,
  STACK_FILE,
  STACK_FILE_FORMAT,
  VALUES_ENV,
} from "../../lib/core/contract";
import type { Declaration, Reference } from "../../lib/core/declarations";
import type { StackFile, StackFileObject } from "../../lib/core/stack-file";
import { resourceName } from "../../lib/core/addresses";

export const CLI = join(__dirname, "..", "..", "dist", "cli.cjs");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string = mkdtempSync(join(tmpdir(), "polytomic-cli-")),
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env } as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += String(chunk)));
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
}

export const API: ApiSettings = { version: "2025-09-18", key_variable: "POLYTOMIC_API_KEY" };

export function snowflake(name = "Snowflake Connection", extra: object = {}): Declaration {
  return {
    kind: "connection",
    type: "snowflake",
    name,
    account: "uc193736182",
    username: "user",
    dbname: "database",
    password: { env: "SNOWFLAKE_PASSWORD" },
    ...extra,
  };
}

export function salesforce(
  name = "Salesforce Connection",
  connectMode: "browser" | "code" = "browser",
): Declaration {
  return {
    kind: "connection",
    type: "salesforce",
    name,
    domain: "example.my.salesforce.com",
    connectMode,
  };
}

export function model(
  name = "Active Users",
  connection = "Snowflake Connection",
  extra: object = {},
): Declaration {
  return {
    kind: "model",
    name,
    connection,
    query: "SELECT email, first_name FROM users",
    ...extra,
  };
}

export function sync(
  name = "Contacts",
  target = "Salesforce Connection",
  modelName = "Active Users",
  extra: object = {},
): Declaration {
  return {
    kind: "sync",
    name,
    model: modelName,
    mode: "create",
    target: { connection: target, object: "Contact" },
    identity: { source: "email", target: "Email", function: "Equality" },
    fields: [{ source: "first_name", target: "FirstName" }],
    schedule: { frequency: "manual" },
    active: true,
    ...extra,
  };
}

const CONSTRUCTS: Record<string, string> = {
  snowflake: "SnowflakeConnection",
  salesforce: "SalesforceConnection",
  model: "QueryModel",
  sync: "ModelSync",
};

export interface StackOptions {
  /** The stack's name; default "cli-test". */
  readonly stack?: string;
  readonly references?: readonly Reference[];
  readonly app?: Partial<Record<ObjectKind, string[]>>;
  /** When each object was first declared (its ownership claim); default: 2000-01-01. */
  readonly declaredAt?: string;
  /** Objects whose claim says "adopt". */
  readonly adopt?: readonly string[];
}

/** A stack directory with a stack file declaring `objects`, and the environment of its deploy. */
export class CliStack {
  readonly dir = mkdtempSync(join(tmpdir(), "polytomic-stack-"));
  /** Claims of single objects by name, as Terraform records them when a name is first declared. */
  private readonly claims = new Map<string, string>();

  private references: readonly Reference[];

  constructor(
    private objects: Declaration[],
    private readonly options: StackOptions = {},
  ) {
    this.references = options.references ?? [];
    this.write();
  }

  /** Replaces the declarations (the code changed); names not declared before are claimed now. */
  declare(objects: Declaration[], references: readonly Reference[] = this.references): this {
    this.references = references;
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const known = new Set(this.objects.map((object) => `${object.kind}\0${object.name}`));
    for (const object of objects)
      if (!known.has(`${object.kind}\0${object.name}`)) this.claims.set(object.name, now);
    this.objects = objects;
    this.write();
    return this;
  }

  private write(): void {
    const file: StackFile = {
      format: STACK_FILE_FORMAT,
      stack: this.options.stack ?? "cli-test",
      api: API,
      reconcile: "always",
      adoptExisting: false,
      objects: this.objects.map((declaration): StackFileObject => ({
        address: `terraform_data.${resourceName(declaration.kind, declaration.name)}`,
        construct:
          CONSTRUCTS[declaration.kind === "connection" ? declaration.type : declaration.kind],
        path: `cli-test/${declaration.name}`,
        declaration,
      })),
      references: this.references,
      app: { connection: [], model: [], sync: [], ...this.options.app },
    };
    writeFileSync(join(this.dir, STACK_FILE), JSON.stringify(file));
  }

  /** What the inventory records for the declared objects. */
  owned(objects: readonly Declaration[] = this.objects): Record<string, string> {
    const env: Record<string, string> = { [API_ENV]: JSON.stringify(API) };
    for (const kind of OBJECT_KINDS) {
      const entries: OwnedEntry[] = objects
        .filter((object) => object.kind === kind)
        .map((object): OwnedEntry => {
          const claim =
            this.claims.get(object.name) ?? this.options.declaredAt ?? "2000-01-01T00:00:00Z";
          return this.options.adopt?.includes(object.name)
            ? [object.name, claim, "adopt"]
            : [object.name, claim];
        });
      env[`${OWNED_ENV_PREFIX}${kind.toUpperCase()}`] = JSON.stringify(entries);
    }
    return env;
  }

  /** Runs a provisioning verb in the stack directory. */
  run(
    verb: Verb,
    env: Record<string, string | undefined>,
    extra: { owned?: readonly Declaration[]; values?: unknown[] } = {},
  ): Promise<CliResult> {
    return runCli(
      [verb],
      {
        ...this.owned(extra.owned),
        ...(extra.values ? { [VALUES_ENV]: JSON.stringify(extra.values) } : {}),
        ...env,
      },
      this.dir,
    );
  }
}
