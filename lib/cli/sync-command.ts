/**
 * `polytomic-cdktf sync run NAME [--test] [--wait] [--timeout SECONDS]` and
 * `polytomic-cdktf sync status NAME`: run a sync, or see how its executions went, for people and
 * CI. The sync is found by its name, with the same environment as the deploy (POLYTOMIC_API_KEY,
 * POLYTOMIC_API_URL).
 *
 * Exit codes: 0 done (with --wait: the execution completed and no record was refused); 1 the
 * execution failed, was canceled, refused records or did not end in time, or the API failed;
 * 2 the command line is wrong, POLYTOMIC_API_KEY is not set, or no sync has that name.
 */
import type { ListSyncItem, SyncExecution } from "../api";
import { PolytomicApiError, PolytomicError } from "../api";
import { DEFAULT_API_KEY_VARIABLE, DEFAULT_API_VERSION } from "../core/contract";
import { nearest } from "../core/errors";
import { ProvisionError } from "./errors";
import type { Streams } from "./output";
import { createOutput } from "./output";
import { describeCounts, describeOutcome, secondsFrom, succeeded, waitForEnd } from "./executions";
import { Redactor } from "./redact";
import type { Session } from "./session";
import { openSession } from "./session";

export const SYNC_USAGE = `usage: polytomic-cdktf sync run NAME [--test] [--wait] [--timeout SECONDS]
       polytomic-cdktf sync status NAME

  run      start an execution of the sync named NAME
    --test     a test execution: checks a sample of records against the target, writes none
    --wait     wait for it to end and print its outcome (counts, the refused records)
    --timeout  how long --wait waits, in seconds (default $POLYTOMIC_SYNC_RUN_TIMEOUT, else 3600)
  status   the execution in progress, the last one and the next scheduled run

environment: POLYTOMIC_API_KEY (required), POLYTOMIC_API_URL (default https://app.polytomic.com)
exit codes: 0 done (with --wait: completed, no record refused); 1 the execution failed, was
canceled, refused records or did not end in time, or the API failed; 2 a wrong command line,
POLYTOMIC_API_KEY not set, or no sync of that name`;

export const SYNC_RUN_TIMEOUT_ENV = "POLYTOMIC_SYNC_RUN_TIMEOUT";
const DEFAULT_SYNC_RUN_TIMEOUT_SECONDS = 3600;

/** A wrong command line or sync name: exit code 2. */
class UsageError extends Error {
  constructor(
    message: string,
    /** Whether the usage text helps (a wrong command line, not a wrong name). */
    readonly showUsage = true,
  ) {
    super(message);
  }
}

interface Parsed {
  readonly action: "run" | "status";
  readonly name: string;
  readonly test: boolean;
  readonly wait: boolean;
  readonly timeout?: number;
}

function parse(args: readonly string[]): Parsed {
  const [action, ...rest] = args;
  if (action !== "run" && action !== "status") {
    if (action === undefined) throw new UsageError("sync: say run or status");
    const suggestion = nearest(action, ["run", "status"]);
    throw new UsageError(
      `sync: unknown action ${JSON.stringify(action)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""}`,
    );
  }
  const names: string[] = [];
  let test = false;
  let wait = false;
  let timeout: number | undefined;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (action === "run" && arg === "--test") test = true;
    else if (action === "run" && arg === "--wait") wait = true;
    else if (action === "run" && arg === "--timeout") {
      const value = rest[(i += 1)];
      timeout = Number(value);
      if (!Number.isInteger(timeout) || timeout <= 0)
        throw new UsageError(
          `sync run: --timeout takes a whole number of seconds above 0, not ${JSON.stringify(value ?? "")}`,
        );
    } else if (arg.startsWith("-"))
      throw new UsageError(`sync ${action}: unknown option ${JSON.stringify(arg)}`);
    else names.push(arg);
  }
  if (names.length !== 1) {
    throw new UsageError(
      names.length === 0
        ? `sync ${action}: name the sync, e.g. polytomic-cdktf sync ${action} "Snowflake to Salesforce Sync"`
        : `sync ${action}: one sync name, not ${names.length} (${names.map((n) => JSON.stringify(n)).join(", ")}); quote a name with spaces`,
    );
  }
  return { action, name: names[0], test, wait, ...(timeout === undefined ? {} : { timeout }) };
}

async function findSync(session: Session, name: string): Promise<ListSyncItem> {
  const syncs = await session.client.listSyncs();
  const matches = syncs.filter((item) => item.name === name);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new UsageError(
      `${matches.length} syncs are named ${JSON.stringify(name)} (ids ${matches.map((m) => m.id).join(", ")}); rename all but one in Polytomic`,
      false,
    );
  }
  const suggestion = nearest(
    name,
    syncs.map((item) => item.name),
  );
  throw new UsageError(
    `no sync is named ${JSON.stringify(name)} in Polytomic (${session.baseUrl})${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : syncs.length ? `; its syncs are ${syncs.map((item) => JSON.stringify(item.name)).join(", ")}` : "; it has no sync"}`,
    false,
  );
}

function describeExecution(execution: SyncExecution): string {
  const times = [
    execution.started_at && `started ${execution.started_at}`,
    execution.completed_at && `ended ${execution.completed_at}`,
  ].filter(Boolean);
  return `${execution.type ?? "execution"} ${execution.id} ${execution.status ?? "?"}${times.length ? ` (${times.join(", ")})` : ""}: ${describeCounts(execution)}`;
}

async function status(session: Session, sync: ListSyncItem): Promise<number> {
  const { client, output } = session;
  const state = await client.getSyncStatus(sync.id);
  output.info(
    `sync ${JSON.stringify(sync.name)} (id ${sync.id}), ${sync.active ? "active" : "inactive"}`,
  );
  output.info(
    `  in progress: ${state.current_execution ? describeExecution(state.current_execution) : "none"}`,
  );
  const last = state.last_execution;
  if (last) {
    output.info(`  last: ${describeExecution(last)}`);
    const lines = await describeOutcome(client, sync.id, last);
    for (const line of lines.slice(1)) output.info(`    ${line}`);
  } else output.info("  last: none");
  output.info(`  next scheduled run: ${state.next_execution_time ?? "none"}`);
  return 0;
}

async function run(session: Session, sync: ListSyncItem, parsed: Parsed): Promise<number> {
  const { client, output } = session;
  const label = `sync ${JSON.stringify(sync.name)}`;
  let started;
  try {
    started = await client.startSyncExecution(sync.id, parsed.test ? { test: true } : {});
  } catch (error) {
    if (error instanceof PolytomicApiError && error.status === 409) {
      throw new ProvisionError(
        `${label} already has an execution in progress; wait for it to end (polytomic-cdktf sync status ${JSON.stringify(sync.name)}) and run it again`,
      );
    }
    throw error;
  }
  output.info(`${label}: ${parsed.test ? "test " : ""}execution ${started.id} started`);
  if (!parsed.wait) return 0;
  const seconds =
    parsed.timeout ??
    secondsFrom(session.env, SYNC_RUN_TIMEOUT_ENV, DEFAULT_SYNC_RUN_TIMEOUT_SECONDS);
  const ended = await waitForEnd(
    session,
    () => client.getSyncExecution(sync.id, started.id),
    session.now() + seconds * 1000,
  );
  if (ended === undefined) {
    throw new ProvisionError(
      `${label}: execution ${started.id} did not end within ${seconds} s; it goes on in Polytomic (polytomic-cdktf sync status ${JSON.stringify(sync.name)})`,
    );
  }
  for (const line of await describeOutcome(client, sync.id, ended)) output.info(line);
  return succeeded(ended) ? 0 : 1;
}

/** Runs `sync ...`; returns the exit code. Never throws. */
export async function runSyncCommand(
  args: readonly string[],
  options: Streams & { readonly env: NodeJS.ProcessEnv },
): Promise<number> {
  const redactor = new Redactor();
  const output = createOutput(redactor, options);
  let session: Session | undefined;
  try {
    const parsed = parse(args);
    if (!options.env[DEFAULT_API_KEY_VARIABLE]) {
      throw new UsageError(
        `sync ${parsed.action}: ${DEFAULT_API_KEY_VARIABLE} is not set: export your Polytomic API key in it (and POLYTOMIC_API_URL for another API than https://app.polytomic.com)`,
        false,
      );
    }
    session = openSession(
      { version: DEFAULT_API_VERSION, key_variable: DEFAULT_API_KEY_VARIABLE },
      { env: options.env, output, redactor },
    );
    const sync = await findSync(session, parsed.name);
    return parsed.action === "status"
      ? await status(session, sync)
      : await run(session, sync, parsed);
  } catch (error) {
    if (error instanceof UsageError) {
      output.error(`polytomic-cdktf ${error.message}`);
      if (error.showUsage) options.stderr.write(`${SYNC_USAGE}\n`);
      return 2;
    }
    const known = error instanceof ProvisionError || error instanceof PolytomicError;
    const message = known
      ? error.message
      : `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    output.error(`polytomic-cdktf sync failed: ${message}`);
    return 1;
  } finally {
    await session?.client.close();
  }
}
