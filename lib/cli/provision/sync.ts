/** Upserting a sync: names in the spec become ids, and the target must be usable first. */
import type { CreateSyncRequest, Schedule, Sync, SyncSource } from "../../api";
import type { ScheduleSpec, SyncSpec } from "../../core/contract";
import { ProvisionError } from "./errors";
import { confirmName, describe } from "./lookup";
import { waitForAuthorisation } from "./oauth";
import { Resolver } from "./resolve";
import type { Session } from "./session";

/** The API's schedule, with the syncs to run after turned from names into ids. */
async function schedule(
  spec: ScheduleSpec,
  resolver: Resolver,
  neededBy: string,
): Promise<Schedule> {
  const { run_after: runAfter, ...times } = spec;
  if (!runAfter) return times;
  const ids = await Promise.all(
    runAfter.syncs.map(async (name) => {
      const found = await resolver.findSync(name);
      if (!found) {
        throw new ProvisionError(
          `${neededBy} runs after sync ${JSON.stringify(name)}, which does not exist in Polytomic: declare it in the stack or create it before deploying`,
        );
      }
      return found.id;
    }),
  );
  return { ...times, run_after: { sync_ids: ids } };
}

function requestBody(
  spec: SyncSpec,
  ids: { model: string; target: string },
  when: Schedule,
): CreateSyncRequest {
  const source = (field: string): SyncSource => ({ model_id: ids.model, field });
  return {
    name: spec.name,
    mode: spec.mode,
    active: spec.active,
    target: { connection_id: ids.target, object: spec.target.object },
    ...(spec.identity
      ? {
          identity: {
            source: source(spec.identity.source),
            target: spec.identity.target,
            function: spec.identity.function,
            ...(spec.identity.new_field === undefined
              ? {}
              : { new_field: spec.identity.new_field }),
          },
        }
      : {}),
    fields: spec.fields.map((field) => ({
      target: field.target,
      source: source(field.source),
      ...(field.sync_mode === undefined ? {} : { sync_mode: field.sync_mode }),
      ...(field.new === undefined ? {} : { new: field.new }),
    })),
    override_fields: spec.override_fields.map((override) => ({
      target: override.target,
      override_value: String(override.value),
    })),
    filters: spec.filters.map((filter) => ({
      field: source(filter.source),
      field_type: "Model" as const,
      function: filter.function,
      ...(filter.value === undefined ? {} : { value: filter.value }),
    })),
    ...(spec.filter_logic === undefined ? {} : { filter_logic: spec.filter_logic }),
    schedule: when,
    ...(spec.skip_initial_backfill === undefined
      ? {}
      : { skip_initial_backfill: spec.skip_initial_backfill }),
    ...(spec.sync_all_records === undefined ? {} : { sync_all_records: spec.sync_all_records }),
  };
}

export async function upsertSync(session: Session, spec: SyncSpec): Promise<void> {
  const { client, output } = session;
  const neededBy = describe("sync", spec.name);
  const resolver = new Resolver(session);
  const [model, target, existing, when] = await Promise.all([
    resolver.model(spec.model, neededBy),
    resolver.connection(spec.target.connection, neededBy),
    resolver.findSync(spec.name),
    schedule(spec.schedule, resolver, neededBy),
  ]);
  const body = requestBody(spec, { model: model.id, target: target.id }, when);
  await waitForAuthorisation(session, target, neededBy);

  let result: Sync;
  if (!existing) {
    result = await client.createSync(body);
    output.info(`created ${neededBy} (id ${result.id})`);
  } else {
    result = await client.updateSync(existing.id, body);
    output.info(`${neededBy} exists (id ${existing.id}): updated in place`);
  }
  confirmName("sync", spec.name, result);
  session.known.remember("sync", { id: result.id, name: result.name });
}
