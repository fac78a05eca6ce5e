/**
 * `/api/models` (polytomic-api.md §4): query models on Snowflake connections. Fields are derived
 * by running the source against the embedded warehouse (model-columns.ts), never declared:
 * `fields` in a body only selects which derived columns are enabled and `additional_fields` adds
 * user-declared ones. PUT replaces the model, re-derives its fields (keeping the ids of fields
 * whose names did not change) and bumps `version`. Every refusal of a body is a 400, the status
 * the API declares for model writes (§12 M4/M5). With `?async=true` a write answers a `job` at
 * once and does its work in the background (jobs.ts). The list is newest `updated_at` first and
 * paginated like the sync list (§12 M10).
 */
import { randomUUID } from "node:crypto";
import { ApiError, badRequest } from "../errors";
import type { ModelColumn } from "../model-columns";
import { modelColumns } from "../model-columns";
import type { Outcome } from "../outcome";
import { dataOutcome, jsonOutcome } from "../outcome";
import type { ConnectionRecord, ModelFieldRecord, ModelRecord, OrgState } from "../records";
import { auditOf } from "../records";
import type { ApiRoute, RequestContext } from "../router";
import { checkOrganization, checkPolicies } from "../validation/common";
import type { ModelBody } from "../validation/model-body";
import { createModelBody, parseSnowflakeSource, updateModelBody } from "../validation/model-body";
import { parseBody } from "../validation/shape";
import { crudRoutes, findOrNotFound } from "./crud";
import { BY_UPDATED_DESC, pageLimit, paginate } from "./pagination";
import { queryBoolean } from "./query";

/** `first_name` → `First Name`; `id` → `ID`, as Polytomic labels introspected columns. */
function fieldLabel(name: string): string {
  return name
    .split(/[_\s]+/)
    .filter((word) => word !== "")
    .map((word) =>
      word.toLowerCase() === "id" ? "ID" : word.charAt(0).toUpperCase() + word.slice(1),
    )
    .join(" ");
}

function sourceConnection(org: OrgState, connectionId: string): ConnectionRecord {
  const connection = org.connections.get(connectionId);
  if (connection === undefined) {
    throw badRequest(`connection ${connectionId} not found`, { field: "connection_id" });
  }
  if (connection.type !== "snowflake") {
    throw badRequest(
      `connection ${connection.name} is a ${connection.type} connection; the emulator builds models on snowflake connections only`,
      { field: "connection_id" },
    );
  }
  if (connection.status !== "healthy") {
    throw badRequest(
      `connection ${connection.name} is not healthy, so its query cannot run: ${connection.status_error ?? connection.status}`,
      { field: "connection_id" },
    );
  }
  return connection;
}

function enabledColumns(columns: readonly ModelColumn[], selected: readonly string[] | undefined) {
  if (selected === undefined) return [...columns];
  const names = columns.map((column) => column.name);
  for (const name of selected) {
    if (!names.includes(name)) {
      throw badRequest(
        `fields: ${name} is not a column of the model (columns: ${names.join(", ")})`,
        { field: "fields" },
      );
    }
  }
  return columns.filter((column) => selected.includes(column.name));
}

function buildFields(
  body: ModelBody,
  columns: readonly ModelColumn[],
  previous: readonly ModelFieldRecord[],
  now: string,
): ModelFieldRecord[] {
  const kept = new Map(previous.map((field) => [`${field.user_added}:${field.name}`, field]));
  const reuse = (field: Omit<ModelFieldRecord, "id" | "created_at" | "updated_at">) => {
    const old = kept.get(`${field.user_added}:${field.name}`);
    return {
      id: old?.id ?? randomUUID(),
      ...field,
      created_at: old?.created_at ?? now,
      updated_at: now,
    };
  };
  const derived = enabledColumns(columns, body.fields).map((column) =>
    reuse({
      name: column.name,
      label: fieldLabel(column.name),
      type: column.type,
      remote_type: column.remote_type,
      user_added: false,
    }),
  );
  const added = (body.additional_fields ?? []).map((field, index) => {
    if (columns.some((column) => column.name === field.name)) {
      throw badRequest(
        `additional_fields[${index}].name ${field.name} is already a column of the model`,
        { field: `additional_fields[${index}].name` },
      );
    }
    return reuse({ ...field, remote_type: field.type, user_added: true });
  });
  return [...derived, ...added];
}

function checkFieldNames(body: ModelBody, fields: readonly ModelFieldRecord[]): void {
  const names = fields.map((field) => field.name);
  const check = (name: string, where: string): void => {
    if (!names.includes(name)) {
      throw badRequest(
        `${where}: ${name} is not a field of the model (fields: ${names.join(", ")})`,
        {
          field: where,
        },
      );
    }
  };
  if (body.identifier !== undefined) check(body.identifier, "identifier");
  body.tracking_columns?.forEach((name, index) => check(name, `tracking_columns[${index}]`));
  body.relations?.forEach((relation, index) => check(relation.from, `relations[${index}].from`));
}

function checkRelations(org: OrgState, body: ModelBody): void {
  body.relations?.forEach((relation, index) => {
    const where = `relations[${index}].to`;
    const target = org.models.get(relation.to.model_id);
    if (target === undefined) {
      throw badRequest(`${where}.model_id: model ${relation.to.model_id} not found`, {
        field: `${where}.model_id`,
      });
    }
    if (!target.fields.some((field) => field.name === relation.to.field)) {
      throw badRequest(
        `${where}.field: ${relation.to.field} is not a field of model ${target.name}`,
        {
          field: `${where}.field`,
        },
      );
    }
  });
}

/** What can be checked without the warehouse; runs before an async write answers its job. */
function checkBody(context: RequestContext, body: ModelBody) {
  checkOrganization(context.org, body.organization_id);
  let policies: string[];
  try {
    policies = checkPolicies(body.policies);
  } catch (error) {
    // Shared with connections and syncs, which answer 422; model writes declare 400.
    if (error instanceof ApiError) throw badRequest(error.message, error.metadata);
    throw error;
  }
  const connection = sourceConnection(context.org, body.connection_id);
  const { source, stored } = parseSnowflakeSource(body.configuration);
  return { policies, connection, source, stored };
}

async function buildModel(
  context: RequestContext,
  body: ModelBody,
  previous: ModelRecord | undefined,
): Promise<ModelRecord> {
  const { org, env } = context;
  const { policies, connection, source, stored } = checkBody(context, body);
  const columns = await modelColumns(
    source,
    env.warehouse,
    String(connection.configuration.dbname),
  );
  const now = env.now();
  const fields = buildFields(body, columns, previous?.fields ?? [], now);
  checkFieldNames(body, fields);
  checkRelations(org, body);
  return {
    id: previous?.id ?? randomUUID(),
    name: body.name,
    connection_id: connection.id,
    type: connection.type,
    configuration: stored,
    ...(body.identifier !== undefined && { identifier: body.identifier }),
    tracking_columns: body.tracking_columns ?? [],
    fields,
    relations: body.relations ?? [],
    labels: body.labels ?? [],
    policies,
    version: (previous?.version ?? 0) + 1,
    created_at: previous?.created_at ?? now,
    updated_at: now,
  };
}

function presentModel(model: ModelRecord, context: RequestContext): unknown {
  const { created_by, updated_by } = auditOf(model, context.org);
  const { labels, ...rest } = model;
  return {
    ...rest,
    organization_id: context.org.id,
    labels: labels.map((name) => ({ name })),
    fields: model.fields.map((field) => ({ ...field, created_by })),
    created_by,
    updated_by,
  };
}

/** Saves a model: synchronously, or, with `?async=true`, as a job answered at once. */
async function write(
  context: RequestContext,
  body: ModelBody,
  previous: ModelRecord | undefined,
): Promise<Outcome> {
  const save = async () => {
    // A model deleted while its update job waited is not brought back.
    if (previous !== undefined && !context.org.models.has(previous.id)) {
      throw badRequest(`model ${previous.id} was deleted`);
    }
    const model = await buildModel(context, body, previous);
    context.org.models.set(model.id, model);
    return presentModel(model, context);
  };
  if (queryBoolean(context.query, "async") !== true) return dataOutcome(await save());
  checkBody(context, body);
  const job = context.env.jobs.start(context.org, previous ? "updatemodel" : "createmodel", save);
  return jsonOutcome(200, { job: { job_id: job.job_id, type: job.type, status: job.status } });
}

const listAndRead = crudRoutes<ModelRecord>({
  path: "/api/models",
  noun: "model",
  collection: (org) => org.models,
  present: presentModel,
  checkQuery: (context) => void queryBoolean(context.query, "async"),
  list: (models, context) => {
    const { page, pagination } = paginate(
      models,
      BY_UPDATED_DESC,
      context.query,
      pageLimit(context.query),
    );
    return dataOutcome(
      page.map((model) => presentModel(model, context)),
      { pagination },
    );
  },
});

export const modelRoutes: ApiRoute[] = [
  ...listAndRead,
  {
    method: "POST",
    pattern: "/api/models",
    handler: (context) => write(context, parseBody(createModelBody, context.body), undefined),
  },
  {
    method: "PUT",
    pattern: "/api/models/:id",
    // `refresh` asks Polytomic to re-introspect the source; the emulator re-derives on every PUT.
    handler: (context) => {
      const previous = findOrNotFound(context.org.models, context.params.id, "model");
      return write(context, parseBody(updateModelBody, context.body), previous);
    },
  },
];
