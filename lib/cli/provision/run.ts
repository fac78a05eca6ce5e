/**
 * `upsert` and `delete`: what a provisioner runs. Whatever happens, the run ends with either the
 * lines describing what changed or one error line, both redacted, and an exit code.
 */
import { PolytomicError } from "../../api";
import type { Verb } from "../../core/contract";
import { upsertConnection } from "./connection";
import { deleteObject } from "./delete";
import { ProvisionError } from "./errors";
import { upsertModel } from "./model";
import type { Streams } from "./output";
import { createOutput } from "./output";
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

async function perform(verb: Verb, options: RunOptions, redactor: Redactor): Promise<void> {
  const output = createOutput(redactor, options);
  const spec =
    verb === "delete" ? readSpec("delete", options.env) : readSpec("upsert", options.env);
  const session: Session = openSession(spec.api, { ...options, output, redactor });
  try {
    if (verb === "delete") {
      await deleteObject(session, spec);
      return;
    }
    const upsertSpec = readSpec("upsert", options.env);
    switch (upsertSpec.kind) {
      case "connection":
        return await upsertConnection(session, upsertSpec);
      case "model":
        return await upsertModel(session, upsertSpec);
      case "sync":
        return await upsertSync(session, upsertSpec);
    }
  } finally {
    await session.client.close();
  }
}

/** Runs a verb; returns the exit code. Never throws. */
export async function runProvisioning(verb: Verb, options: RunOptions): Promise<number> {
  const redactor = new Redactor();
  try {
    await perform(verb, options, redactor);
    return 0;
  } catch (error) {
    const known = error instanceof ProvisionError || error instanceof PolytomicError;
    const message = known
      ? error.message
      : `unexpected ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    createOutput(redactor, options).error(`cdktf-polytomic ${verb} failed: ${message}`);
    return 1;
  }
}
