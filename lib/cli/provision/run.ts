/**
 * `upsert` and `delete`: what a provisioner runs. Whatever happens, the run ends with either the
 * lines describing what changed or one error line, both redacted, and an exit code.
 */
import { PolytomicError } from "../../api";
import type { ApiSettings, ObjectSpec, Verb } from "../../core/contract";
import { upsertConnection } from "./connection";
import { deleteObject } from "./delete";
import { ProvisionError } from "./errors";
import { upsertModel } from "./model";
import type { Output, Streams } from "./output";
import { createOutput } from "./output";
import { forgetAll } from "./known-ids";
import { specsToRepair } from "./reconcile";
import { Redactor } from "./redact";
import type { Session } from "./session";
import { openSession } from "./session";
import { readSpec } from "./spec-input";
import { upsertSync } from "./sync";

export interface RunOptions extends Streams {
  readonly env: NodeJS.ProcessEnv;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

function upsert(session: Session, spec: ObjectSpec): Promise<void> {
  switch (spec.kind) {
    case "connection":
      return upsertConnection(session, spec);
    case "model":
      return upsertModel(session, spec);
    case "sync":
      return upsertSync(session, spec);
  }
}

async function withSession(
  api: ApiSettings,
  options: RunOptions,
  redactor: Redactor,
  output: Output,
  work: (session: Session) => Promise<void>,
): Promise<void> {
  const session = openSession(api, { ...options, output, redactor });
  try {
    await work(session);
  } finally {
    await session.client.close();
  }
}

/** Re-applies what an interrupted apply missed, then clears the ids remembered during the apply. */
async function reconcile(options: RunOptions, redactor: Redactor, output: Output): Promise<void> {
  const specs = specsToRepair(options.env);
  if (specs.length === 0) {
    output.info("every object of the stack was applied: nothing to repair");
  } else {
    output.info(
      `re-applying ${specs.length} object(s) that an interrupted apply recorded but did not apply: ${specs.map((spec) => `${spec.kind} ${JSON.stringify(spec.name)}`).join(", ")}`,
    );
    await withSession(specs[0].api, options, redactor, output, async (session) => {
      for (const spec of specs) await upsert(session, spec);
    });
  }
  forgetAll();
}

async function perform(verb: Verb, options: RunOptions, redactor: Redactor): Promise<void> {
  const output = createOutput(redactor, options);
  if (verb === "reconcile") return reconcile(options, redactor, output);
  if (verb === "delete") {
    const spec = readSpec("delete", options.env);
    return withSession(spec.api, options, redactor, output, (session) =>
      deleteObject(session, spec),
    );
  }
  const spec = readSpec("upsert", options.env);
  return withSession(spec.api, options, redactor, output, (session) => upsert(session, spec));
}

/** Runs a verb; returns the exit code. Never throws. */
export async function runProvisioning(verb: Verb, options: RunOptions): Promise<number> {
  const redactor = new Redactor();
  try {
    await perform(verb, options, redactor);
    return 0;
  } catch (error) {
    // Ids remembered for later steps may be what failed: the re-run resolves names afresh.
    forgetAll();
    const known = error instanceof ProvisionError || error instanceof PolytomicError;
    const message = known
      ? error.message
      : `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    createOutput(redactor, options).error(`cdktf-polytomic ${verb} failed: ${message}`);
    return 1;
  }
}
