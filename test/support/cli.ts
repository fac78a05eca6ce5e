/** Running the bundled CLI (dist/cli.cjs) as a provisioner would: a child process with a spec. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeSpec } from "../../lib/core/canonical-json";
import type { ApiSettings, ObjectSpec } from "../../lib/core/contract";
import { SCHEMA_VERSION, SPEC_ENV } from "../../lib/core/contract";

export const CLI = join(__dirname, "..", "..", "dist", "cli.cjs");

/** Where the CLI runs unless a test says otherwise: its cache must not land in the repository. */
const WORKING_DIR = mkdtempSync(join(tmpdir(), "polytomic-cli-"));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  cwd?: string,
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: cwd ?? WORKING_DIR,
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

/** Runs `verb` with `spec` encoded as a provisioner passes it. */
export function provision(
  verb: "upsert" | "delete",
  spec: object,
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return runCli([verb], { ...env, [SPEC_ENV]: encodeSpec(spec) });
}

export function snowflakeSpec(
  name = "Snowflake Connection",
  secrets = { password: "SNOWFLAKE_PASSWORD" },
): ObjectSpec {
  return {
    schema_version: SCHEMA_VERSION,
    kind: "connection",
    name,
    api: API,
    type: "snowflake",
    configuration: {
      account: "uc193736182",
      username: "user",
      dbname: "database",
      key_pair_auth: false,
    },
    secrets,
  };
}

export function salesforceSpec(
  name = "Salesforce Connection",
  connectMode = "browser",
): ObjectSpec {
  return {
    schema_version: SCHEMA_VERSION,
    kind: "connection",
    name,
    api: API,
    type: "salesforce",
    configuration: { domain: "example.my.salesforce.com", connect_mode: connectMode },
    secrets: {},
  };
}

export function modelSpec(name = "Active Users", connection = "Snowflake Connection"): ObjectSpec {
  return {
    schema_version: SCHEMA_VERSION,
    kind: "model",
    name,
    api: API,
    connection,
    query: "SELECT email, first_name FROM users",
    columns: ["email", "first_name"],
  };
}

export function syncSpec(
  name = "Contacts",
  target = "Salesforce Connection",
  model = "Active Users",
): ObjectSpec {
  return {
    schema_version: SCHEMA_VERSION,
    kind: "sync",
    name,
    api: API,
    model,
    mode: "create",
    target: { connection: target, object: "Contact" },
    identity: { source: "email", target: "Email", function: "Equality" },
    fields: [{ source: "first_name", target: "FirstName" }],
    override_fields: [],
    filters: [],
    schedule: { frequency: "manual" },
    active: true,
  };
}

export function deleteSpec(kind: "connection" | "model" | "sync", name: string): object {
  return { schema_version: SCHEMA_VERSION, kind, name, api: API };
}
