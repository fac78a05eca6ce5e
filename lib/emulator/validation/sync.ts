/**
 * Semantic checks of a sync body and construction of the stored sync (polytomic-api.md §5.2–5.5).
 * Every reference must resolve in the caller's organization: the target (sync-target.ts), each
 * source `{model_id, field}`, the identity (required by modes that match records), filters and
 * overrides (sync-conditions.ts). `model_ids` is computed; several models must be joined by model
 * relations.
 */
import { randomUUID } from "node:crypto";
import { badRequest, unprocessable } from "../errors";
import type { IdentityRecord, OrgState, SyncFieldRecord, SyncRecord } from "../records";
import type { RequestContext } from "../router";
import { checkOrganization, checkPolicies } from "./common";
import { checkSchedule } from "./schedule";
import { SourceResolver } from "./source-resolver";
import type { SyncBody, SyncFieldBody } from "./sync-body";
import { checkFilter, checkFilterLogics, checkOverride } from "./sync-conditions";
import type { ResolvedTarget } from "./sync-target";
import { buildTarget, resolveTarget, targetField } from "./sync-target";

function checkMappings(
  target: ResolvedTarget,
  resolver: SourceResolver,
  fields: readonly SyncFieldBody[],
  prefix: "fields" | "override_fields",
): SyncFieldRecord[] {
  return fields.map((mapping, index) => {
    const where = `${prefix}[${index}]`;
    if (mapping.override_value === undefined) {
      if (prefix === "override_fields") {
        throw badRequest(`${where}.override_value is required`, {
          field: `${where}.override_value`,
        });
      }
      if (mapping.source === undefined) {
        throw badRequest(`${where}.source is required unless override_value is set`, {
          field: `${where}.source`,
        });
      }
    }
    // Polytomic ignores a source next to an override value; it must still name a real field.
    if (mapping.source !== undefined) resolver.resolve(mapping.source, `${where}.source`);
    const field = targetField(target, mapping.target, mapping.new === true, `${where}.target`);
    if (field !== undefined && !field.createable && !field.updateable) {
      throw unprocessable(`${where}.target: ${field.id} is read-only`, {
        field: `${where}.target`,
      });
    }
    if (mapping.sync_mode !== undefined && !target.mode.supports_per_field_mode) {
      throw unprocessable(
        `${where}.sync_mode: mode ${target.mode.id} has no per-field sync modes`,
        {
          field: `${where}.sync_mode`,
        },
      );
    }
    return mapping;
  });
}

function checkDistinctTargets(fields: readonly SyncFieldRecord[]): void {
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.target)) {
      throw unprocessable(`target field ${field.target} is mapped more than once`, {
        field: "fields",
      });
    }
    seen.add(field.target);
  }
}

function checkIdentity(
  body: SyncBody,
  target: ResolvedTarget,
  resolver: SourceResolver,
): IdentityRecord | undefined {
  const identity = body.identity;
  if (identity === undefined) {
    if (target.mode.requires_identity) {
      throw unprocessable(`mode ${body.mode} requires identity (how records are matched)`, {
        field: "identity",
      });
    }
    return undefined;
  }
  resolver.resolve(identity.source, "identity.source");
  const field = targetField(
    target,
    identity.target,
    identity.new_field === true,
    "identity.target",
  );
  if (field !== undefined && !field.supports_identity) {
    throw unprocessable(`identity.target: ${field.id} cannot be used to match records`, {
      field: "identity.target",
    });
  }
  if (field !== undefined && !field.identity_functions.includes(identity.function)) {
    throw unprocessable(
      `identity.function: ${field.id} can be matched with ${field.identity_functions.join(", ")}, not ${identity.function}`,
      { field: "identity.function" },
    );
  }
  return identity;
}

/** Several models can feed one sync only when model relations join them. */
function checkModelsJoined(org: OrgState, modelIds: readonly string[]): void {
  if (modelIds.length === 0) {
    throw unprocessable("a sync needs at least one field whose source is a model field", {
      field: "fields",
    });
  }
  const reached = new Set([modelIds[0]]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const model of org.models.values()) {
      for (const relation of model.relations) {
        const ends = [model.id, relation.to.model_id];
        if (ends.some((id) => reached.has(id)) && !ends.every((id) => reached.has(id))) {
          ends.forEach((id) => reached.add(id));
          grew = true;
        }
      }
    }
  }
  const loose = modelIds.find((id) => !reached.has(id));
  if (loose !== undefined) {
    throw unprocessable(
      `model ${loose} is not related to model ${modelIds[0]}; add a relation between them to use both in one sync`,
      { field: "fields" },
    );
  }
}

/** Validates `body` and returns the sync it describes (a new one, or `previous` replaced). */
export function buildSync(
  context: RequestContext,
  body: SyncBody,
  previous: SyncRecord | undefined,
): SyncRecord {
  const { org, env } = context;
  checkOrganization(org, body.organization_id);
  const policies = checkPolicies(body.policies);
  const id = previous?.id ?? randomUUID();
  const target = resolveTarget(org, env.warehouse, body);
  const targetRecord = buildTarget(body, target);
  const resolver = new SourceResolver(org);
  const fields = checkMappings(target, resolver, body.fields, "fields");
  const overrideFields = checkMappings(
    target,
    resolver,
    body.override_fields ?? [],
    "override_fields",
  );
  checkDistinctTargets([...fields, ...overrideFields]);
  const identity = checkIdentity(body, target, resolver);
  const filters = (body.filters ?? []).map((filter, index) =>
    checkFilter(filter, index, target, resolver),
  );
  checkFilterLogics(body, filters);
  const overrides = (body.overrides ?? []).map((override, index) =>
    checkOverride(override, index, resolver),
  );
  checkModelsJoined(org, resolver.modelIds);
  const now = env.now();
  return {
    id,
    name: body.name,
    mode: body.mode,
    active: body.active ?? false,
    fields,
    override_fields: overrideFields,
    ...(identity !== undefined && { identity }),
    filters,
    ...(body.filter_logic !== undefined && { filter_logic: body.filter_logic }),
    overrides,
    schedule: checkSchedule(org, body.schedule, id),
    target: targetRecord,
    only_enrich_updates: body.only_enrich_updates ?? false,
    skip_initial_backfill: body.skip_initial_backfill ?? false,
    sync_all_records: body.sync_all_records ?? false,
    ...(body.encryption_passphrase !== undefined && {
      encryption_passphrase: body.encryption_passphrase,
    }),
    policies,
    model_ids: resolver.modelIds,
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
}
