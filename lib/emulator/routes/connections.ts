/**
 * `/api/connections` (polytomic-api.md §3). Configurations are checked against the type's JSON
 * Schema and per-type rules; secrets are masked in every response; PUT replaces the connection
 * but keeps secrets that are omitted or sent back masked. `validate` (default true) stands for
 * Polytomic logging in to the service: failing it rejects the request (422), while with
 * `validate: false` the connection is saved with `status: "unhealthy"` and the reason in
 * `status_error`. Salesforce browser/code connections stay unhealthy until their OAuth hand-off
 * (routes/oauth.ts) completes; with `--auto-authorize` the person consents right after the
 * create or update that handed out the `auth_url` is answered, so that response still shows the
 * hand-off and every later read shows the connection healthy.
 * `POST /api/connections/test` checks a configuration the same way without saving anything.
 */
import { randomUUID } from "node:crypto";
import type { ConnectionTypeInfo } from "../connection-types";
import { connectionType } from "../connection-types";
import { badRequest, unprocessable } from "../errors";
import type { ConnectionRecord, OrgState } from "../records";
import { auditOf } from "../records";
import type { ApiRoute, EmulatorEnv, RequestContext } from "../router";
import { authUrl, markAuthorized, markPending } from "../salesforce-oauth";
import { checkOrganization, checkPolicies } from "../validation/common";
import {
  checkHealthcheckInterval,
  checkRedirectUrl,
  createConnectionBody,
  updateConnectionBody,
} from "../validation/connection-body";
import {
  applySalesforceModeRules,
  isOAuthHandOff,
  salesforceHost,
  snowflakeCredentialProblem,
} from "../validation/connection-rules";
import { buildConfiguration, maskConfiguration } from "../validation/configuration";
import type { Outcome } from "../outcome";
import { emptyOutcome } from "../outcome";
import { anyValue, object, opt, parseBody, record, req, string } from "../validation/shape";
import { crudRoutes, findOrNotFound } from "./crud";
import { queryBoolean } from "./query";

/** The connection type as connection responses carry it: an object, not the id string. */
function typeObject(type: ConnectionTypeInfo) {
  return { id: type.id, name: type.name, logo_url: type.logo_url, operations: type.operations };
}

function knownType(id: string): ConnectionTypeInfo {
  const type = connectionType(id);
  if (type === undefined) {
    throw badRequest(
      `unknown connection type ${JSON.stringify(id)}; the emulator provides snowflake and salesforce`,
      { field: "type" },
    );
  }
  return type;
}

interface ConfigureRequest {
  readonly type: ConnectionTypeInfo;
  readonly sent: Readonly<Record<string, unknown>>;
  readonly previous?: ConnectionRecord;
  readonly validate: boolean;
  readonly reconnect: boolean;
  readonly env: EmulatorEnv;
}

function configureSnowflake(record: ConnectionRecord, request: ConfigureRequest): void {
  const problem = snowflakeCredentialProblem(record.configuration, request.env.snowflakePassword);
  if (problem !== undefined && request.validate) {
    throw unprocessable(`connection validation failed: ${problem}`);
  }
  record.status = problem === undefined ? "healthy" : "unhealthy";
  if (problem === undefined) delete record.status_error;
  else record.status_error = problem;
}

/** An earlier OAuth authorisation survives a PUT that keeps the mode and the domain. */
function keepsAuthorization(record: ConnectionRecord, request: ConfigureRequest): boolean {
  const previous = request.previous;
  return (
    previous !== undefined &&
    !request.reconnect &&
    previous.status === "healthy" &&
    previous.configuration.connect_mode === record.configuration.connect_mode &&
    previous.configuration.domain === record.configuration.domain
  );
}

function configureSalesforce(
  record: ConnectionRecord,
  request: ConfigureRequest,
  sentSecrets: ReadonlySet<string>,
): void {
  applySalesforceModeRules(record.configuration, sentSecrets);
  salesforceHost(record.configuration.domain);
  const handOff = isOAuthHandOff(record.configuration.connect_mode);
  if (handOff && !keepsAuthorization(record, request)) markPending(record);
  else markAuthorized(record);
}

function configure(record: ConnectionRecord, request: ConfigureRequest): void {
  const built = buildConfiguration(request.type, request.sent, request.previous?.configuration);
  record.configuration = built.configuration;
  if (request.type.id === "salesforce") configureSalesforce(record, request, built.sentSecrets);
  else configureSnowflake(record, request);
}

function createConnection(context: RequestContext): ConnectionRecord {
  const body = parseBody(createConnectionBody, context.body);
  checkOrganization(context.org, body.organization_id);
  const policies = checkPolicies(body.policies);
  checkHealthcheckInterval(body.healthcheck_interval);
  checkRedirectUrl(body.redirect_url);
  const type = knownType(body.type);
  const now = context.env.now();
  const record: ConnectionRecord = {
    id: randomUUID(),
    name: body.name,
    type: type.id,
    configuration: {},
    status: "unhealthy",
    policies,
    ...(body.healthcheck_interval !== undefined && {
      healthcheck_interval: body.healthcheck_interval,
    }),
    ...(body.redirect_url !== undefined && { redirect_url: body.redirect_url }),
    created_at: now,
    updated_at: now,
  };
  configure(record, {
    type,
    sent: body.configuration,
    validate: body.validate ?? true,
    reconnect: false,
    env: context.env,
  });
  return record;
}

function replaceConnection(previous: ConnectionRecord, context: RequestContext): ConnectionRecord {
  const body = parseBody(updateConnectionBody, context.body);
  checkOrganization(context.org, body.organization_id);
  const policies = checkPolicies(body.policies);
  checkHealthcheckInterval(body.healthcheck_interval);
  if (body.type !== undefined && body.type !== previous.type) {
    throw badRequest(
      `type cannot change from ${previous.type} to ${body.type}; create a new connection instead`,
      { field: "type" },
    );
  }
  const record: ConnectionRecord = {
    id: previous.id,
    name: body.name,
    type: previous.type,
    configuration: {},
    status: previous.status,
    policies,
    ...(body.healthcheck_interval !== undefined && {
      healthcheck_interval: body.healthcheck_interval,
    }),
    ...(previous.redirect_url !== undefined && { redirect_url: previous.redirect_url }),
    created_at: previous.created_at,
    updated_at: context.env.now(),
  };
  configure(record, {
    type: knownType(previous.type),
    sent: body.configuration,
    previous,
    validate: body.validate ?? true,
    reconnect: body.reconnect ?? false,
    env: context.env,
  });
  return record;
}

/** What every connection response carries, secrets masked. */
function connectionFields(connection: ConnectionRecord, context: RequestContext) {
  const type = knownType(connection.type);
  return {
    id: connection.id,
    name: connection.name,
    organization_id: context.org.id,
    type: typeObject(type),
    configuration: maskConfiguration(type, connection.configuration),
    status: connection.status,
    ...(connection.status_error !== undefined && { status_error: connection.status_error }),
    saved: true,
    policies: connection.policies,
  };
}

/** ConnectionResponseSchema (get and list), with the audit fields. */
function presentConnection(connection: ConnectionRecord, context: RequestContext): unknown {
  const { created_by, updated_by } = auditOf(connection, context.org);
  return {
    ...connectionFields(connection, context),
    api_calls_last_24_hours: 0,
    created_at: connection.created_at,
    created_by,
    updated_at: connection.updated_at,
    updated_by,
  };
}

/** CreateConnectionResponseSchema: no audit fields, plus the OAuth hand-off when one is pending. */
function presentWrittenConnection(connection: ConnectionRecord, context: RequestContext): unknown {
  const pending = connection.oauth_pending;
  return {
    ...connectionFields(connection, context),
    ...(connection.healthcheck_interval !== undefined && {
      healthcheck_interval: connection.healthcheck_interval,
    }),
    ...(pending !== undefined && { auth_url: authUrl(context.env, connection.id) }),
    ...(pending?.auth_code !== undefined && { auth_code: pending.auth_code }),
  };
}

interface Dependents {
  readonly models: readonly { readonly id: string; readonly name: string }[];
  readonly syncs: readonly { readonly id: string; readonly name: string }[];
}

function dependentsOf(org: OrgState, connectionId: string): Dependents {
  return {
    models: [...org.models.values()].filter((model) => model.connection_id === connectionId),
    syncs: [...org.syncs.values()].filter((sync) => sync.target.connection_id === connectionId),
  };
}

/**
 * Without `force=true` a connection that models or syncs use cannot go (422 "connection in use",
 * listing them); with it they are deleted too, and so are the syncs reading the deleted models.
 */
function removeConnection(connection: ConnectionRecord, context: RequestContext): void {
  const { org } = context;
  const force = queryBoolean(context.query, "force") ?? false;
  const { models, syncs } = dependentsOf(org, connection.id);
  if (!force && models.length + syncs.length > 0) {
    const usedBy = [
      ...models.map(({ id, name }) => ({ type: "model", name, id })),
      ...syncs.map(({ id, name }) => ({ type: "sync", name, id })),
    ];
    throw unprocessable("connection in use", { used_by: usedBy });
  }
  const deletedModels = new Set(models.map((model) => model.id));
  for (const sync of org.syncs.values()) {
    const readsDeleted = sync.model_ids.some((id) => deletedModels.has(id));
    if (readsDeleted || sync.target.connection_id === connection.id) {
      context.env.executions.forget(org, sync.id);
      org.syncs.delete(sync.id);
    }
  }
  for (const id of deletedModels) org.models.delete(id);
  org.connections.delete(connection.id);
}

const testBody = object({
  type: req(string({ nonEmpty: true })),
  configuration: req(record(anyValue)),
  connection_id: opt(string()),
});

/**
 * `POST /api/connections/test`: validates `configuration` (merged over the saved one when
 * `connection_id` names a connection) and tries the credentials, saving nothing; an empty 200
 * when they work, 400 saying why when they do not.
 */
function testConnection(context: RequestContext): Outcome {
  const body = parseBody(testBody, context.body);
  const type = knownType(body.type);
  let previous: ConnectionRecord | undefined;
  if (body.connection_id !== undefined) {
    previous = findOrNotFound(context.org.connections, body.connection_id, "connection");
    if (previous.type !== type.id) {
      throw badRequest(
        `connection ${previous.name} is a ${previous.type} connection, not ${type.id}`,
        {
          field: "type",
        },
      );
    }
  }
  const sent = { ...maskConfiguration(type, previous?.configuration ?? {}), ...body.configuration };
  const built = buildConfiguration(type, sent, previous?.configuration);
  let problem: string | undefined;
  if (type.id === "snowflake") {
    problem = snowflakeCredentialProblem(built.configuration, context.env.snowflakePassword);
  } else {
    applySalesforceModeRules(built.configuration, built.sentSecrets);
    salesforceHost(built.configuration.domain);
    const authorised =
      previous?.status === "healthy" &&
      previous.configuration.domain === built.configuration.domain;
    if (isOAuthHandOff(built.configuration.connect_mode) && !authorised) {
      problem =
        "Salesforce has not been authorised for this configuration: create the connection and complete its OAuth hand-off";
    }
  }
  if (problem !== undefined) throw badRequest(`connection test failed: ${problem}`);
  return emptyOutcome();
}

export const connectionTestRoutes: ApiRoute[] = [
  { method: "POST", pattern: "/api/connections/test", handler: testConnection },
];

export const connectionRoutes: ApiRoute[] = crudRoutes<ConnectionRecord>({
  path: "/api/connections",
  noun: "connection",
  collection: (org) => org.connections,
  present: presentConnection,
  presentWritten: presentWrittenConnection,
  create: createConnection,
  replace: replaceConnection,
  remove: removeConnection,
  afterWrite: (connection, context) => {
    if (context.env.autoAuthorize && connection.oauth_pending !== undefined) {
      markAuthorized(connection);
    }
  },
});
