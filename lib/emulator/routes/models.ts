/**
 * `/api/models` (polytomic-api.md §4): query models on Snowflake connections. Fields are derived
 * from the source (see model-columns.ts), never declared; `fields` in a body only selects which
 * derived columns are enabled and `additional_fields` adds user-declared ones. PUT replaces the
 * model, re-derives its fields (keeping the ids of fields whose names did not change) and bumps
 * `version`.
 */
import { randomUUID } from "node:crypto";
import { unprocessable } from "../errors";
import { modelColumns } from "../model-columns";
import type { ConnectionRecord, ModelFieldRecord, ModelRecord, OrgState } from "../records";
import { actorOf } from "../records";
import type { ApiRoute, RequestContext } from "../router";
import { checkOrganization, checkPolicies } from "../validation/common";
import type { ModelBody } from "../validation/model-body";
import { createModelBody, parseSnowflakeSource, updateModelBody } from "../validation/model-body";
import { parseBody } from "../validation/shape";
import { crudRoutes } from "./crud";
import { rejectAsync } from "./query";

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
    throw unprocessable(`connection ${connectionId} not found`, { field: "connection_id" });
  }
  if (connection.type !== "snowflake") {
    throw unprocessable(
      `connection ${connection.name} is a ${connection.type} connection; the emulator builds models on snowflake connections only`,
      { field: "connection_id" },
    );
  }
  if (connection.status !== "healthy") {
    throw unprocessable(
      `connection ${connection.name} is not healthy, so its query cannot run: ${connection.status_error ?? connection.status}`,
      { field: "connection_id" },
    );
  }
  return connection;
}

function enabledColumns(columns: readonly string[], selected: readonly string[] | undefined) {
  if (selected === undefined) return [...columns];
  for (const name of selected) {
    if (!columns.includes(name)) {
      throw unprocessable(
        `fields: ${name} is not a column of the model (columns: ${columns.join(", ")})`,
        { field: "fields" },
      );
    }
  }
  return columns.filter((name) => selected.includes(name));
}

function buildFields(
  body: ModelBody,
  columns: readonly string[],
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
  const derived = enabledColumns(columns, body.fields).map((name) =>
    reuse({
      name,
      label: fieldLabel(name),
      type: "string",
      remote_type: "varchar",
      user_added: false,
    }),
  );
  const added = (body.additional_fields ?? []).map((field, index) => {
    if (columns.includes(field.name)) {
      throw unprocessable(
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
      throw unprocessable(
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
      throw unprocessable(`${where}.model_id: model ${relation.to.model_id} not found`, {
        field: `${where}.model_id`,
      });
    }
    if (!target.fields.some((field) => field.name === relation.to.field)) {
      throw unprocessable(
        `${where}.field: ${relation.to.field} is not a field of model ${target.name}`,
        {
          field: `${where}.field`,
        },
      );
    }
  });
}

function buildModel(
  context: RequestContext,
  body: ModelBody,
  previous: ModelRecord | undefined,
): ModelRecord {
  const { org, env } = context;
  checkOrganization(org, body.organization_id);
  const policies = checkPolicies(body.policies);
  const connection = sourceConnection(org, body.connection_id);
  const { source, stored } = parseSnowflakeSource(body.configuration);
  const now = env.now();
  const fields = buildFields(body, modelColumns(source, env.catalog), previous?.fields ?? [], now);
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
  const actor = actorOf(context.org);
  const { labels, ...rest } = model;
  return {
    ...rest,
    organization_id: context.org.id,
    labels: labels.map((name) => ({ name })),
    fields: model.fields.map((field) => ({ ...field, created_by: actor })),
    created_by: actor,
    updated_by: actor,
  };
}

export const modelRoutes: ApiRoute[] = crudRoutes<ModelRecord>({
  path: "/api/models",
  noun: "model",
  collection: (org) => org.models,
  present: presentModel,
  checkQuery: (context) => rejectAsync(context.query),
  create: (context) => buildModel(context, parseBody(createModelBody, context.body), undefined),
  // `refresh` asks Polytomic to re-introspect the source; the emulator re-derives on every PUT.
  replace: (existing, context) =>
    buildModel(context, parseBody(updateModelBody, context.body), existing),
});
