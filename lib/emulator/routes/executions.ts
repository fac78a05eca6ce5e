/**
 * Sync executions (polytomic-api.md §5.1, TS25 `modelSync.executions`): start one
 * (`POST /api/syncs/{id}/executions`, 409 while another runs), follow it (`…/status`, the
 * execution list and the execution itself), stop it (`POST /api/syncs/{id}/cancel`,
 * `POST …/executions/{id}/cancel`) and read its log files (`…/executions/{id}/{type}` answers
 * signed URLs; `…/{type}/{filename}` redirects to one). The emulator runs executions of syncs
 * into Salesforce.
 */
import { ApiError, badRequest, notFound } from "../errors";
import { isTerminal } from "../executions/service";
import { LOG_URL_LIFETIME_MS, logFilename } from "../executions/log-urls";
import type { Outcome } from "../outcome";
import { dataOutcome } from "../outcome";
import type { ExecutionLogType, ExecutionRecord, SyncRecord } from "../records";
import { EXECUTION_LOG_TYPES } from "../records";
import type { ApiRoute, RequestContext } from "../router";
import { array, boolean, object, opt, parseBody, string } from "../validation/shape";
import { findOrNotFound } from "./crud";
import type { PageOrder } from "./pagination";
import { PAGE_LIMIT, paginate } from "./pagination";
import { queryBoolean } from "./query";

const startBody = object({
  resync: opt(boolean),
  test: opt(boolean),
  identities: opt(array(string({ nonEmpty: true }))),
});

/** GetExecutionResponseSchema: the execution without the emulator's bookkeeping. */
export function presentExecution(execution: ExecutionRecord) {
  return {
    id: execution.id,
    type: execution.type,
    status: execution.status,
    created_at: execution.created_at,
    ...(execution.started_at !== undefined && { started_at: execution.started_at }),
    ...(execution.completed_at !== undefined && { completed_at: execution.completed_at }),
    errors: execution.errors,
    counts: execution.counts,
  };
}

function syncOf(context: RequestContext, param = "id"): SyncRecord {
  return findOrNotFound(context.org.syncs, context.params[param], "sync");
}

function executionOf(context: RequestContext): ExecutionRecord {
  const sync = syncOf(context, "sync_id");
  const execution = context.org.executions.get(context.params.id);
  if (execution === undefined || execution.sync_id !== sync.id) {
    throw notFound(`execution ${context.params.id} of sync ${sync.name} not found`);
  }
  return execution;
}

function checkRunnable(context: RequestContext, sync: SyncRecord): void {
  const target = context.org.connections.get(sync.target.connection_id);
  if (target !== undefined && target.type !== "salesforce") {
    throw badRequest(
      `sync ${sync.name} writes to ${target.type} (${sync.target.object ?? sync.target.new_name}); the emulator runs executions of syncs into Salesforce only`,
    );
  }
}

function start(context: RequestContext): Outcome {
  const sync = syncOf(context);
  const body = parseBody(startBody, context.body);
  checkRunnable(context, sync);
  if (body.identities !== undefined && sync.identity === undefined) {
    throw badRequest(`identities: sync ${sync.name} has no identity to select records by`, {
      field: "identities",
    });
  }
  const running = context.env.executions.current(context.org, sync.id);
  if (running !== undefined) {
    throw new ApiError(
      409,
      `sync ${sync.name} already has an execution in progress (id ${running.id}, status ${running.status}); wait for it to end or cancel it`,
    );
  }
  const execution = context.env.executions.start(context.org, sync, {
    type: body.test === true ? "test" : "manual",
    resync: body.resync ?? false,
    ...(body.identities !== undefined && { identities: body.identities }),
  });
  return dataOutcome({
    id: execution.id,
    status: execution.status,
    created_at: execution.created_at,
  });
}

/** Newest first by creation (the API says start time; an execution starts when it is created). */
const NEWEST_FIRST: PageOrder<{ created_at: string; id: string }> = {
  compare(a, b) {
    if (a.created_at !== b.created_at) return a.created_at > b.created_at ? -1 : 1;
    if (a.id === b.id) return 0;
    return a.id < b.id ? -1 : 1;
  },
  key: (item) => [item.created_at, item.id],
  fromKey: ([created_at, id]) => ({ created_at, id }),
};

const OLDEST_FIRST: PageOrder<{ created_at: string; id: string }> = {
  ...NEWEST_FIRST,
  compare: (a, b) => -NEWEST_FIRST.compare(a, b),
};

function list(context: RequestContext): Outcome {
  const sync = syncOf(context, "sync_id");
  const onlyCompleted = queryBoolean(context.query, "only_completed") ?? false;
  const ascending = queryBoolean(context.query, "ascending") ?? false;
  const executions = [...context.org.executions.values()].filter(
    (execution) => execution.sync_id === sync.id && (!onlyCompleted || isTerminal(execution)),
  );
  const { page, pagination } = paginate(
    executions,
    ascending ? OLDEST_FIRST : NEWEST_FIRST,
    context.query,
    PAGE_LIMIT,
  );
  return dataOutcome(page.map(presentExecution), { pagination });
}

function status(context: RequestContext): Outcome {
  const sync = syncOf(context);
  const current = context.env.executions.current(context.org, sync.id);
  let last: ExecutionRecord | undefined;
  for (const execution of context.org.executions.values()) {
    if (execution.sync_id !== sync.id || !isTerminal(execution)) continue;
    if (last === undefined || NEWEST_FIRST.compare(execution, last) < 0) last = execution;
  }
  const next = context.env.scheduler?.nextRun(sync);
  return dataOutcome({
    ...(current !== undefined && { current_execution: presentExecution(current) }),
    ...(last !== undefined && { last_execution: presentExecution(last) }),
    ...(next !== undefined && { next_execution_time: next }),
  });
}

function logType(context: RequestContext): ExecutionLogType {
  const type = context.params.type;
  if (!(EXECUTION_LOG_TYPES as readonly string[]).includes(type)) {
    throw badRequest(`log type ${type} is not one of ${EXECUTION_LOG_TYPES.join(", ")}`);
  }
  return type as ExecutionLogType;
}

function logUrl(context: RequestContext, execution: ExecutionRecord, type: ExecutionLogType) {
  const expires = Date.now() + LOG_URL_LIFETIME_MS;
  const url = context.env.logs.url(
    context.env.baseUrl(),
    { orgId: context.org.id, executionId: execution.id, type, filename: logFilename(type) },
    expires,
  );
  return { url, expires: new Date(expires).toISOString() };
}

export const executionRoutes: ApiRoute[] = [
  { method: "POST", pattern: "/api/syncs/:id/executions", handler: start },
  { method: "GET", pattern: "/api/syncs/:sync_id/executions", handler: list },
  { method: "GET", pattern: "/api/syncs/:id/status", handler: status },
  {
    method: "POST",
    pattern: "/api/syncs/:id/cancel",
    handler: (context) => {
      const sync = syncOf(context);
      const current = context.env.executions.current(context.org, sync.id);
      if (current !== undefined) context.env.executions.cancel(context.org, current);
      return dataOutcome({
        message: current === undefined ? "No execution is in progress" : "Cancellation requested",
      });
    },
  },
  {
    method: "GET",
    pattern: "/api/syncs/:sync_id/executions/:id",
    handler: (context) => dataOutcome(presentExecution(executionOf(context))),
  },
  {
    method: "POST",
    pattern: "/api/syncs/:sync_id/executions/:id/cancel",
    handler: (context) => {
      const execution = executionOf(context);
      if (isTerminal(execution)) {
        throw badRequest(
          `execution ${execution.id} has already ended (status ${execution.status})`,
        );
      }
      context.env.executions.cancel(context.org, execution);
      return dataOutcome({ message: "Cancellation requested" });
    },
  },
  {
    method: "GET",
    pattern: "/api/syncs/:sync_id/executions/:id/:type",
    handler: (context) => {
      const execution = executionOf(context);
      const type = logType(context);
      if (execution.logs[type].length === 0) return dataOutcome({ urls: [] });
      const { url, expires } = logUrl(context, execution, type);
      return dataOutcome({ urls: [url], expires });
    },
  },
  {
    method: "GET",
    pattern: "/api/syncs/:sync_id/executions/:id/:type/:filename",
    handler: (context) => {
      const execution = executionOf(context);
      const type = logType(context);
      if (context.params.filename !== logFilename(type) || execution.logs[type].length === 0) {
        throw notFound(`execution ${execution.id} has no ${type} file ${context.params.filename}`);
      }
      return { status: 302, headers: { location: logUrl(context, execution, type).url } };
    },
  },
];
