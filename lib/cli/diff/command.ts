/**
 * `polytomic-cdktf diff [STACK_DIR...]`: for each synthesized stack (default: every stack under
 * ./cdktf.out/stacks), what a deploy would do in Polytomic and which of it is drift, read-only.
 * Exit 0 when nothing differs, 2 when something does, 1 on error (`terraform plan
 * -detailed-exitcode`'s convention), so a scheduled CI job can alert on drift.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { PolytomicError } from "../../api";
import type { ObjectKind } from "../../core/contract";
import { API_URL_ENV, DEFAULT_API_URL, OBJECT_KINDS, STACK_FILE } from "../../core/contract";
import type { StackFile } from "../../core/stack-file";
import { ProvisionError } from "../errors";
import type { Streams } from "../output";
import { createOutput } from "../output";
import { Redactor } from "../redact";
import type { Session } from "../session";
import { openSession } from "../session";
import { tombstoneOf } from "../deploy/deletions";
import type { Live } from "../deploy/live";
import { readLive } from "../deploy/live";
import { readStackFile, sendSecretsRequested } from "../deploy/stack";
import { COLOURED, PLAIN, renderReport } from "./render";
import type { DiffReport, StackDiff, UnmanagedObject } from "./report";
import { REPORT_FORMAT, REPORT_SCHEMA, stackDiffers } from "./report";
import { diffStack } from "./stack-diff";
import { readRecordedState } from "./terraform-state";

export const DIFF_USAGE = `usage: polytomic-cdktf diff [--json] [--unmanaged] [STACK_DIR...]

Shows what \`cdktf deploy\` would change in Polytomic, and what changed there outside the code
(drift), without writing anything. Run it after \`cdktf synth\`, with the environment of a deploy
(POLYTOMIC_API_KEY, POLYTOMIC_API_URL); secrets are not needed. Terraform reads each stack's state.

  STACK_DIR      a synthesized stack's directory (default: every stack under ./cdktf.out/stacks)
  --json         print the report as JSON (its schema: polytomic-cdktf diff --json-schema)
  --unmanaged    also list the organization's objects that no stack declares
  --no-color     no colours (also when NO_COLOR is set or stdout is not a terminal)

exit status: 0 no differences, 2 differences (or a deploy would fail), 1 error`;

export interface DiffOptions extends Streams {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Whether stdout is a terminal (colours). */
  readonly isTTY?: boolean;
}

interface Arguments {
  readonly json: boolean;
  readonly schema: boolean;
  readonly unmanaged: boolean;
  readonly colour: boolean;
  readonly directories: readonly string[];
}

function parseArguments(argv: readonly string[]): Arguments | string {
  const flags = new Set<string>();
  const directories: string[] = [];
  for (const argument of argv) {
    if (argument.startsWith("-")) {
      if (!["--json", "--json-schema", "--unmanaged", "--no-color", "--help"].includes(argument))
        return `unknown option ${JSON.stringify(argument)}`;
      flags.add(argument);
    } else directories.push(argument);
  }
  if (flags.has("--help")) return "";
  return {
    json: flags.has("--json"),
    schema: flags.has("--json-schema"),
    unmanaged: flags.has("--unmanaged"),
    colour: !flags.has("--no-color"),
    directories,
  };
}

/** The synthesized stacks' directories under ./cdktf.out/stacks. */
function defaultDirectories(cwd: string): string[] {
  const root = join(cwd, "cdktf.out", "stacks");
  if (!existsSync(root)) {
    throw new ProvisionError(
      `no synthesized stacks in ${relative(cwd, root)}: run cdktf synth first, or pass the stack directories`,
    );
  }
  const found = readdirSync(root)
    .map((name) => join(root, name))
    .filter((directory) => existsSync(join(directory, STACK_FILE)))
    .sort();
  if (found.length === 0) {
    throw new ProvisionError(
      `no stack under ${relative(cwd, root)} declares Polytomic objects (none has a ${STACK_FILE}): run cdktf synth of an app that uses cdktf-polytomic`,
    );
  }
  return found;
}

function readStack(directory: string, shown: string): StackFile {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new ProvisionError(
      `stack directory ${shown} does not exist: run cdktf synth first, or pass the directory of a synthesized stack (cdktf.out/stacks/<stack>)`,
    );
  }
  try {
    return readStackFile(directory);
  } catch (error) {
    if (error instanceof ProvisionError)
      throw new ProvisionError(error.message.replace(directory, shown));
    throw error;
  }
}

interface Connected {
  readonly session: Session;
  readonly live: Promise<Live>;
  readonly files: StackFile[];
}

/** The API a stack's deploy would use; stacks on the same one share their reads. */
function apiKey(file: StackFile, env: NodeJS.ProcessEnv): string {
  const url = file.api.url ?? env[API_URL_ENV] ?? DEFAULT_API_URL;
  return JSON.stringify([url, file.api.key_variable, file.api.version]);
}

/**
 * The live objects no stack declares, leaving out those a deploy would act on under another name
 * (`managed`: ids a stack would restore or delete).
 */
function unmanagedObjects(
  live: Live,
  files: readonly StackFile[],
  managed: ReadonlySet<string>,
): UnmanagedObject[] {
  const found: UnmanagedObject[] = [];
  for (const kind of OBJECT_KINDS) {
    const declared = new Set(
      files.flatMap((file) => [
        ...file.objects
          .filter((object) => object.declaration.kind === kind)
          .map((object) => object.declaration.name),
        ...file.app[kind],
      ]),
    );
    const referenced = new Set(
      files.flatMap((file) => file.references.filter((r) => r.kind === kind).map((r) => r.name)),
    );
    const items: readonly { id: string; name: string }[] =
      kind === "connection" ? live.connections : kind === "model" ? live.models : live.syncs;
    for (const item of items) {
      if (declared.has(item.name) || tombstoneOf(item.name) || managed.has(item.id)) continue;
      found.push({
        kind: kind as ObjectKind,
        name: item.name,
        id: item.id,
        referenced: referenced.has(item.name),
      });
    }
  }
  return found;
}

function describeError(error: unknown): string {
  if (error instanceof ProvisionError || error instanceof PolytomicError) return error.message;
  return `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** Runs the command; returns the exit code. Never throws. */
export async function runDiff(argv: readonly string[], options: DiffOptions): Promise<number> {
  const parsed = parseArguments(argv);
  if (typeof parsed === "string") {
    if (parsed === "") {
      options.stdout.write(`${DIFF_USAGE}\n`);
      return 0;
    }
    options.stderr.write(`polytomic-cdktf diff: ${parsed}\n${DIFF_USAGE}\n`);
    return 1;
  }
  if (parsed.schema) {
    options.stdout.write(`${JSON.stringify(REPORT_SCHEMA, null, 2)}\n`);
    return 0;
  }
  const cwd = options.cwd ?? process.cwd();
  const redactor = new Redactor();
  // Retries and progress go to stderr: stdout holds the report alone.
  const output = createOutput(redactor, { stdout: options.stderr, stderr: options.stderr });
  const errors: string[] = [];
  const stacks: StackDiff[] = [];
  const apis = new Map<string, Connected>();
  let directories: readonly string[] = [];
  try {
    directories =
      parsed.directories.length > 0
        ? parsed.directories.map((d) => resolve(cwd, d))
        : defaultDirectories(cwd);
  } catch (error) {
    errors.push(describeError(error));
  }
  const now = new Date().toISOString();
  for (const directory of directories) {
    const shown = relative(cwd, directory) || ".";
    let name = shown;
    try {
      const file = readStack(directory, shown);
      name = file.stack;
      const key = apiKey(file, options.env);
      let api = apis.get(key);
      if (!api) {
        const session = openSession(file.api, { env: options.env, output, redactor });
        api = { session, live: readLive(session.client), files: [] };
        api.live.catch(() => undefined);
        apis.set(key, api);
      }
      api.files.push(file);
      const recorded = await readRecordedState(directory, file.stack, options.env);
      stacks.push(
        await diffStack({
          file,
          directory: shown,
          recorded,
          live: await api.live,
          now,
          sendSecrets: sendSecretsRequested(options.env),
        }),
      );
    } catch (error) {
      const message = describeError(error);
      errors.push(
        message.startsWith("stack ") ? message : `stack ${JSON.stringify(name)}: ${message}`,
      );
    }
  }
  let unmanaged: UnmanagedObject[] | undefined;
  if (parsed.unmanaged && errors.length === 0) {
    unmanaged = [];
    const managed = new Set(
      stacks.flatMap((stack) => stack.objects.flatMap((object) => object.id ?? [])),
    );
    for (const api of apis.values())
      unmanaged.push(...unmanagedObjects(await api.live, api.files, managed));
  }
  for (const api of apis.values()) await api.session.client.close();
  const report: DiffReport = {
    format: REPORT_FORMAT,
    stacks,
    ...(unmanaged ? { unmanaged } : {}),
    errors,
    differs: stacks.some(stackDiffers),
  };
  const colour = parsed.colour && options.isTTY === true && !options.env.NO_COLOR;
  const text = parsed.json
    ? `${JSON.stringify(report, null, 2)}\n`
    : renderReport(report, colour ? COLOURED : PLAIN);
  options.stdout.write(redactor.apply(text));
  if (errors.length > 0) return 1;
  return report.differs ? 2 : 0;
}
