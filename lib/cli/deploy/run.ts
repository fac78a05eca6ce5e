/**
 * What the stack's provisioners run (see lib/core/contract.ts):
 * - `deploy`: compare live Polytomic with the declarations and write what differs;
 * - `report`: print what the deploy step wrote to its report, when Terraform hid its output;
 * - `delete-removed`: delete what a replaced generation declared and the stack no longer does;
 * - `delete-all`: delete everything the stack owns (the stack is being destroyed).
 * Whatever happens, the run ends with the lines describing what changed or the error lines, all
 * redacted, and an exit code.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { PolytomicError } from "../../api";
import { REPORT_ENV } from "../../core/contract";
import type { Verb } from "../../core/contract";
import { ProvisionError } from "../errors";
import type { Output, Streams } from "../output";
import { createOutput } from "../output";
import { Redactor } from "../redact";
import type { Session } from "../session";
import { openSession } from "../session";
import { applyPlan } from "./apply";
import { deleteOwned, deleteTombstones, removedSince } from "./deletions";
import { planStack } from "./plan";
import { readLive } from "./live";
import { apiSettings, loadStack, ownedObjects, readStackFile } from "./stack";
import type { StackFile } from "../../core/stack-file";
import { validateStack } from "./validate";

function tryReadStackFile(directory: string | undefined): StackFile | undefined {
  try {
    return readStackFile(directory);
  } catch {
    return undefined;
  }
}

export interface RunOptions extends Streams {
  readonly env: NodeJS.ProcessEnv;
  /** The stack directory; default the working directory. */
  readonly directory?: string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

async function withSession<T>(
  session: Session,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  try {
    return await work(session);
  } finally {
    await session.client.close();
  }
}

async function deploy(options: RunOptions, output: Output, redactor: Redactor): Promise<void> {
  const stack = loadStack(options.env, options.directory);
  const columns = validateStack(stack);
  const session = openSession(stack.file.api, { ...options, output, redactor });
  await withSession(session, async () => {
    const declared = stack.connections.length + stack.models.length + stack.syncs.length;
    output.info(
      `cdktf-polytomic: stack ${JSON.stringify(stack.file.stack)}, ${declared} declared object(s), API ${session.baseUrl}`,
    );
    const live = await readLive(session.client);
    const plan = await planStack(stack, live);
    const summary = await applyPlan(session, stack, plan, columns);
    await deleteTombstones(session, live, stack.file.stack);
    output.info(
      `cdktf-polytomic: ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged`,
    );
  });
}

async function deleteObjects(
  verb: "delete-removed" | "delete-all",
  options: RunOptions,
  output: Output,
  redactor: Redactor,
): Promise<void> {
  const owned = ownedObjects(options.env);
  // Deleting what left the code needs the current declarations; destroying the stack does not.
  const file =
    verb === "delete-removed"
      ? readStackFile(options.directory)
      : tryReadStackFile(options.directory);
  const api = apiSettings(options.env, file);
  const targets = verb === "delete-removed" && file ? removedSince(owned, file) : owned;
  const session = openSession(api, { ...options, output, redactor });
  const stack = file?.stack ?? "";
  await withSession(session, async (open) => {
    await deleteOwned(
      { session: open, stack, app: file?.app ?? { connection: [], model: [], sync: [] } },
      targets,
    );
    if (verb === "delete-all" && file)
      await deleteTombstones(open, await readLive(open.client), stack);
  });
}

/** The report file named by {@link REPORT_ENV}, resolved against the stack directory. */
function reportPath(options: RunOptions): string | undefined {
  const file = options.env[REPORT_ENV];
  return file ? resolve(options.directory ?? process.cwd(), file) : undefined;
}

/** Streams that also append everything to the report file, started afresh. */
function reportingStreams(options: RunOptions): Streams {
  const path = reportPath(options);
  if (path === undefined) return options;
  writeFileSync(path, "", { mode: 0o600 });
  const tee = (stream: Streams["stdout"]) => ({
    write: (text: string) => {
      appendFileSync(path, text);
      return stream.write(text);
    },
  });
  return { stdout: tee(options.stdout), stderr: tee(options.stderr) };
}

/** Prints the deploy step's report and removes it. */
function printReport(options: RunOptions): void {
  const path = reportPath(options);
  if (path === undefined)
    throw new ProvisionError(
      `${REPORT_ENV} is not set: this command is run by the stack's deploy step`,
    );
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ProvisionError(`the deploy step left no report at ${path}; run cdktf deploy again`);
  }
  options.stdout.write(text);
  rmSync(path, { force: true });
}

/** Runs a verb; returns the exit code. Never throws. */
export async function runProvisioning(verb: Verb, options: RunOptions): Promise<number> {
  const redactor = new Redactor();
  const output = createOutput(redactor, verb === "deploy" ? reportingStreams(options) : options);
  try {
    if (verb === "deploy") await deploy(options, output, redactor);
    else if (verb === "report") printReport(options);
    else await deleteObjects(verb, options, output, redactor);
    return 0;
  } catch (error) {
    const known = error instanceof ProvisionError || error instanceof PolytomicError;
    const message = known
      ? error.message
      : `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    output.error(`cdktf-polytomic ${verb} failed: ${message}`);
    return 1;
  }
}
