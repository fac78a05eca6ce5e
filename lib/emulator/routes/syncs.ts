/**
 * `/api/syncs` (polytomic-api.md §5). Responses apply the server normalisations of §5.5:
 * `override_fields` come back merged into `fields` (with `override_value` and the nil model id as
 * source), `encryption_passphrase` and `target.create` are never returned, filters carry their
 * server-assigned labels. The list is paginated for 2025-09-18 (`limit` ≤ 50, opaque `page_token`,
 * newest `updated_at` first, then by id) with the lighter `ListSyncItem`; for 2024-02-08 it is the
 * plain list of full syncs.
 */
import { badRequest } from "../errors";
import type { Outcome } from "../outcome";
import { dataOutcome } from "../outcome";
import type { SyncRecord } from "../records";
import { auditOf } from "../records";
import type { ApiRoute, RequestContext } from "../router";
import { SYNC_MODES } from "../../core/sync-rules";
import { parseBody } from "../validation/shape";
import { buildSync } from "../validation/sync";
import { syncBody } from "../validation/sync-body";
import { crudRoutes } from "./crud";
import { BY_UPDATED_DESC, pageLimit, paginate } from "./pagination";
import { queryBoolean } from "./query";

/** The source Polytomic reports for an override field: no model. */
const NIL_MODEL_ID = "00000000-0000-0000-0000-000000000000";

function without<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}

function audit(sync: SyncRecord, context: RequestContext) {
  const { created_by, updated_by } = auditOf(sync, context.org);
  return {
    organization_id: context.org.id,
    created_at: sync.created_at,
    created_by,
    updated_at: sync.updated_at,
    updated_by,
  };
}

function presentSync(sync: SyncRecord, context: RequestContext): unknown {
  const overrides = sync.override_fields.map((field) => ({
    ...field,
    source: { model_id: NIL_MODEL_ID, field: "" },
  }));
  return {
    ...without(sync, "encryption_passphrase", "override_fields"),
    fields: [...sync.fields, ...overrides],
    target: without(sync.target, "create"),
    ...audit(sync, context),
  };
}

function presentListItem(sync: SyncRecord, context: RequestContext): unknown {
  return {
    id: sync.id,
    name: sync.name,
    active: sync.active,
    mode: sync.mode,
    model_ids: sync.model_ids,
    schedule: sync.schedule,
    only_enrich_updates: sync.only_enrich_updates,
    skip_initial_backfill: sync.skip_initial_backfill,
    sync_all_records: sync.sync_all_records,
    target_connection_id: sync.target.connection_id,
    target_object: sync.target.object ?? sync.target.new_name,
    ...audit(sync, context),
  };
}

function filterSyncs(syncs: readonly SyncRecord[], query: URLSearchParams): SyncRecord[] {
  const active = queryBoolean(query, "active");
  const mode = query.get("mode");
  if (mode !== null && !(SYNC_MODES as readonly string[]).includes(mode)) {
    throw badRequest(`query parameter mode must be one of ${SYNC_MODES.join(", ")}`);
  }
  const target = query.get("target_connection_id");
  return syncs.filter(
    (sync) =>
      (active === undefined || sync.active === active) &&
      (mode === null || sync.mode === mode) &&
      (target === null || sync.target.connection_id === target),
  );
}

function listSyncs(syncs: readonly SyncRecord[], context: RequestContext): Outcome {
  const selected = filterSyncs(syncs, context.query);
  if (context.version === "2024-02-08") {
    return dataOutcome(selected.map((sync) => presentSync(sync, context)));
  }
  const { page, pagination } = paginate(
    selected,
    BY_UPDATED_DESC,
    context.query,
    pageLimit(context.query),
  );
  return dataOutcome(
    page.map((sync) => presentListItem(sync, context)),
    { pagination },
  );
}

export const syncRoutes: ApiRoute[] = crudRoutes<SyncRecord>({
  path: "/api/syncs",
  noun: "sync",
  collection: (org) => org.syncs,
  present: presentSync,
  list: listSyncs,
  create: (context) => buildSync(context, parseBody(syncBody, context.body), undefined),
  replace: (existing, context) => buildSync(context, parseBody(syncBody, context.body), existing),
  // Deleting a sync cancels its running execution first (polytomic-api.md §5.1).
  remove: (sync, context) => {
    context.env.executions.forget(context.org, sync.id);
    context.org.syncs.delete(sync.id);
  },
});
