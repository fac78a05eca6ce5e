/**
 * `polytomic-cdktf emulator`: runs the local Polytomic API emulator until SIGINT or SIGTERM. The
 * first line on stdout holds its URL (scripts wait for it); then one line per request. Mistakes in
 * the arguments are one line on stderr and exit code 2; API keys and secrets are never printed.
 */
import { watchParent } from "./parent-watch";
import type { EmulatorOptions } from "./server";
import { DEFAULT_SNOWFLAKE_PASSWORD, startEmulator } from "./server";
import { CatalogError } from "./warehouse/catalog-error";
import { loadCatalogFile } from "./warehouse/catalog-file";
import { loadSqlSeed } from "./warehouse/sql-seed";
import type { WarehouseSource } from "./warehouse/warehouse";

const API_KEY_ENV = "POLYTOMIC_API_KEY";
const SNOWFLAKE_PASSWORD_ENV = "POLYTOMIC_EMULATOR_SNOWFLAKE_PASSWORD";

const USAGE = `usage: polytomic-cdktf emulator [options]

Runs a local emulator of the Polytomic REST API (version 2025-09-18) until interrupted.

options:
  --host HOST                 address to listen on (default 127.0.0.1)
  --port PORT                 port to listen on (default 0: any free port)
  --api-key KEY               an accepted API key, one organization each; repeatable
                              (default: $${API_KEY_ENV})
  --data FILE                 keep the state (and Salesforce records) in FILE: loaded at
                              start, saved after every write (mode 0600); it holds the
                              connections' credentials in plain text: use test ones only
  --auto-authorize            stand in for the person consenting to Salesforce browser/code
                              OAuth: the auth_url is still returned, the connection is
                              authorised right after
  --catalog FILE              load warehouse tables: a CSV file (one table named after it)
                              or JSON {"tables": {"name": {"columns": {...}, "rows": [...]}}};
                              repeatable
  --seed FILE                 run a SQL seed file against the warehouse; repeatable
  --snowflake-password PASS   the embedded warehouse's password, which Snowflake connections
                              must use (default: $${SNOWFLAKE_PASSWORD_ENV}, else "${DEFAULT_SNOWFLAKE_PASSWORD}")
  --run-schedules             run syncs on their schedules (otherwise only started runs)
  --execution-delay MS        keep each execution waiting MS milliseconds before it runs
  --fail-rate P               answer a fraction P (0..1) of writes 500 or 503, without effect
  --drop-rate P               commit a fraction P (0..1) of writes, then drop their response
  --rate-limit N              allow N requests per second per API key, then answer 429
  --latency MS                wait MS milliseconds before every API response
  --help                      print this help

Test-only routes (no API key): GET /emulator/requests, POST /emulator/reset,
GET|POST /emulator/salesforce/{connection id or domain}/{object}, GET|POST /emulator/warehouse,
POST /emulator/warehouse/query. See docs/EMULATOR.md.`;

class UsageError extends Error {}

type ValueFlag =
  | "--host"
  | "--port"
  | "--api-key"
  | "--data"
  | "--fail-rate"
  | "--drop-rate"
  | "--rate-limit"
  | "--latency"
  | "--catalog"
  | "--seed"
  | "--execution-delay"
  | "--snowflake-password";

const VALUE_FLAGS: readonly ValueFlag[] = [
  "--host",
  "--port",
  "--api-key",
  "--data",
  "--fail-rate",
  "--drop-rate",
  "--rate-limit",
  "--latency",
  "--catalog",
  "--seed",
  "--execution-delay",
  "--snowflake-password",
];

function isValueFlag(flag: string): flag is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(flag);
}

/** Never used for API keys or passwords, whose values must not be printed. */
function badValue(flag: string, value: string, expected: string): UsageError {
  return new UsageError(`${flag}: expected ${expected}, received ${JSON.stringify(value)}`);
}

function parseNumber(flag: string, value: string, expected: string, valid: (n: number) => boolean) {
  const parsed = value.trim() === "" ? Number.NaN : Number(value);
  if (!valid(parsed)) throw badValue(flag, value, expected);
  return parsed;
}

function applyFlag(options: EmulatorOptions, flag: ValueFlag, value: string): void {
  const fraction = (n: number): boolean => n >= 0 && n <= 1;
  switch (flag) {
    case "--host":
      if (value.trim() === "") throw badValue(flag, value, "a host name or IP address");
      options.host = value;
      return;
    case "--port":
      options.port = parseNumber(
        flag,
        value,
        "an integer from 0 to 65535",
        (n) => Number.isInteger(n) && n >= 0 && n <= 65535,
      );
      return;
    case "--api-key":
      if (value.trim() === "")
        throw new UsageError(`${flag}: expected an API key, received an empty value`);
      options.apiKeys.push(value);
      return;
    case "--data":
      if (value.trim() === "") throw badValue(flag, value, "a file path");
      options.dataFile = value;
      return;
    case "--fail-rate":
      options.failRate = parseNumber(flag, value, "a number from 0 to 1", fraction);
      return;
    case "--drop-rate":
      options.dropRate = parseNumber(flag, value, "a number from 0 to 1", fraction);
      return;
    case "--rate-limit":
      options.rateLimit = parseNumber(
        flag,
        value,
        "a positive number of requests per second",
        (n) => n > 0,
      );
      return;
    case "--latency":
      options.latencyMs = parseNumber(
        flag,
        value,
        "a whole number of milliseconds, 0 or more",
        (n) => Number.isInteger(n) && n >= 0,
      );
      return;
    case "--catalog":
    case "--seed":
      try {
        const source: WarehouseSource =
          flag === "--seed"
            ? { kind: "sql", seed: loadSqlSeed(value) }
            : { kind: "tables", tables: loadCatalogFile(value) };
        options.sources = [...(options.sources ?? []), source];
      } catch (error) {
        if (error instanceof CatalogError) throw new UsageError(`${flag}: ${error.message}`);
        throw error;
      }
      return;
    case "--execution-delay":
      options.executionDelayMs = parseNumber(
        flag,
        value,
        "a whole number of milliseconds, 0 or more",
        (n) => Number.isInteger(n) && n >= 0,
      );
      return;
    case "--snowflake-password":
      if (value === "")
        throw new UsageError(`${flag}: expected a password, received an empty value`);
      options.snowflakePassword = value;
      return;
  }
}

/** Parses `argv`; `undefined` means --help was asked for. */
function parseArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): EmulatorOptions | undefined {
  const options: EmulatorOptions = { apiKeys: [] };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const equals = argument.indexOf("=");
    const flag = argument.startsWith("--") && equals > 0 ? argument.slice(0, equals) : argument;
    const inline = flag === argument ? undefined : argument.slice(equals + 1);
    if (flag === "--help" || flag === "-h") return undefined;
    if (flag === "--auto-authorize" && inline === undefined) {
      options.autoAuthorize = true;
      continue;
    }
    if (flag === "--run-schedules" && inline === undefined) {
      options.runSchedules = true;
      continue;
    }
    if (!isValueFlag(flag)) {
      throw new UsageError(`unknown argument ${JSON.stringify(argument)} (see --help)`);
    }
    const value = inline ?? argv[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new UsageError(`${flag} needs a value (see --help)`);
    }
    if (inline === undefined) index += 1;
    applyFlag(options, flag, value);
  }
  if (options.apiKeys.length === 0) {
    const fromEnv = env[API_KEY_ENV];
    if (fromEnv === undefined || fromEnv.trim() === "") {
      throw new UsageError(`no API key: pass --api-key KEY or set ${API_KEY_ENV}`);
    }
    options.apiKeys.push(fromEnv);
  }
  const password = env[SNOWFLAKE_PASSWORD_ENV];
  if (options.snowflakePassword === undefined && password !== undefined && password !== "") {
    options.snowflakePassword = password;
  }
  return options;
}

function untilSignalled(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

export async function runEmulatorCommand(argv: string[]): Promise<number> {
  let options: EmulatorOptions | undefined;
  try {
    options = parseArguments(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`polytomic-cdktf emulator: ${error.message}\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let emulator;
  try {
    emulator = await startEmulator({
      ...options,
      log: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    process.stderr.write(`polytomic-cdktf emulator: ${(error as Error).message}\n`);
    // A catalog or seed the warehouse refuses is a mistake in the arguments, like a bad flag.
    return error instanceof CatalogError ? 2 : 1;
  }
  process.stdout.write(`Polytomic API emulator listening on ${emulator.url}\n`);
  const parent = watchParent();
  const signal = await Promise.race([untilSignalled(), parent.exited]);
  parent.stop();
  await emulator.close();
  process.stdout.write(`Polytomic API emulator stopped (${signal})\n`);
  return 0;
}
