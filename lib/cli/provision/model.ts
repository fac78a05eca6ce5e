/** Upserting a query model on its named connection. */
import type { Model } from "../../api";
import type { ModelSpec } from "../../core/contract";
import { ProvisionError } from "./errors";
import { confirmName, describe, findByName } from "./lookup";
import { Resolver } from "./resolve";
import type { Session } from "./session";

/** Synth validated syncs against the model's columns; Polytomic must report them all. */
function checkColumns(spec: ModelSpec, model: Model): void {
  const reported = new Set((model.fields ?? []).map((field) => field.name));
  const missing = spec.columns.filter((column) => !reported.has(column));
  if (missing.length > 0) {
    throw new ProvisionError(
      `Polytomic reports ${describe("model", spec.name)} (id ${model.id}) without the column(s) ${missing.map((c) => JSON.stringify(c)).join(", ")} that the stack expects; its fields are ${[...reported].map((c) => JSON.stringify(c)).join(", ") || "none"}: fix the query or the declared columns`,
    );
  }
}

export async function upsertModel(session: Session, spec: ModelSpec): Promise<void> {
  const { client, output } = session;
  const resolver = new Resolver(session);
  const [connection, models] = await Promise.all([
    resolver.connection(spec.connection, describe("model", spec.name)),
    resolver.listModels(),
  ]);
  const body = {
    name: spec.name,
    connection_id: connection.id,
    configuration: { query: spec.query },
    ...(spec.identifier === undefined ? {} : { identifier: spec.identifier }),
    ...(spec.tracking_columns === undefined
      ? {}
      : { tracking_columns: [...spec.tracking_columns] }),
  };
  const existing = findByName("model", models, spec.name);
  let result: Model;
  if (!existing) {
    result = await client.createModel(body);
    output.info(`created ${describe("model", spec.name)} (id ${result.id})`);
  } else {
    result = await client.updateModel(existing.id, body);
    output.info(`${describe("model", spec.name)} exists (id ${existing.id}): updated in place`);
  }
  confirmName("model", spec.name, result);
  checkColumns(spec, result);
  session.known.remember("model", { id: result.id, name: result.name });
}
