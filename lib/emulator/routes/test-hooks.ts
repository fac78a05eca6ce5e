/**
 * Test-only routes outside `/api`, needing no API key, so tests (and people) can see what a client
 * sent, what arrived in the emulated services, and start from a clean slate:
 * - `GET /emulator/requests`: JSON array of every request served so far, in order, as
 *   `{method, path, query, status, idempotency_key?, dropped?}`, excluding /emulator routes.
 * - `POST /emulator/reset`: deletes every connection, model, sync, execution, Salesforce record
 *   and stored idempotent outcome and clears the request log; organizations keep their ids and
 *   the warehouse keeps its tables.
 * - `GET /emulator/salesforce/{instance}/{object}`: the records of a Salesforce object (`Contact`,
 *   `Lead`, `Account`), `{"records": [...]}`; `instance` is a Salesforce connection's id or
 *   domain (any form the connection's `domain` takes).
 * - `POST /emulator/salesforce/{instance}/{object}` with `{"records": [{field: value}]}`: creates
 *   records as Salesforce would (all or none: any invalid record is a 400 listing every error).
 * - `GET /emulator/warehouse`: the warehouse's tables with their columns and row counts.
 * - `POST /emulator/warehouse`: loads more tables, all or nothing: a JSON catalog (the
 *   `--catalog` format) or, sent as `application/sql`, a SQL seed.
 * - `POST /emulator/warehouse/query` with `{"sql": "SELECT …"}`: runs a SELECT, answering
 *   `{columns: [{name, type, remote_type}], rows: [[…]]}`.
 */
import type { IncomingMessage } from "node:http";
import { ApiError, badRequest, notFound } from "../errors";
import type { Outcome } from "../outcome";
import { emptyOutcome, errorOutcome, jsonOutcome, withHeaders } from "../outcome";
import { readBody } from "../request";
import type { RequestLog } from "../request-log";
import type { EmulatorEnv } from "../router";
import { salesforceObject } from "../salesforce/schema";
import type { Store } from "../store";
import { salesforceHost } from "../validation/connection-rules";
import { isPlainObject } from "../validation/shape";
import { CatalogError } from "../warehouse/catalog-error";
import { catalogTables } from "../warehouse/catalog-file";
import { fieldType } from "../warehouse/field-types";
import { splitStatements } from "../warehouse/sql-seed";
import { WarehouseQueryError } from "../warehouse/warehouse";

interface HookRequest {
  readonly req: IncomingMessage;
  readonly method: string;
  readonly path: string;
  readonly store: Store;
  readonly requests: RequestLog;
  readonly env: EmulatorEnv;
}

interface Hook {
  readonly method: "GET" | "POST";
  readonly pattern: RegExp;
  readonly run: (request: HookRequest, params: readonly string[]) => Outcome | Promise<Outcome>;
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw badRequest(`malformed JSON body: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw badRequest("request body must be a JSON object");
  return parsed;
}

/** The login host behind a connection id or a Salesforce domain. */
function instanceHost(store: Store, instance: string): string {
  const found = store.findConnection(instance);
  if (found?.connection.type === "salesforce")
    return salesforceHost(found.connection.configuration.domain);
  try {
    return salesforceHost(instance);
  } catch {
    throw notFound(`${instance} is neither a Salesforce connection id nor a Salesforce domain`);
  }
}

function objectSchema(object: string) {
  const schema = salesforceObject(object);
  if (schema === undefined) {
    throw notFound(`Salesforce object ${object} is not emulated (objects: Contact, Lead, Account)`);
  }
  return schema;
}

async function createRecords(
  { req, store, env }: HookRequest,
  [instance, object]: readonly string[],
) {
  const host = instanceHost(store, instance);
  const schema = objectSchema(object);
  const { records } = await jsonBody(req);
  if (!Array.isArray(records) || !records.every(isPlainObject)) {
    throw badRequest('body must be {"records": [{field: value}, ...]}');
  }
  const prepared = records.map((values) => env.salesforce.prepare(host, schema, values));
  const errors = prepared.flatMap((result, index) =>
    result.ok ? [] : result.errors.map((error) => ({ index, ...error })),
  );
  if (errors.length > 0) {
    const first = errors[0];
    throw badRequest(`records[${first.index}]: ${first.code}: ${first.message}`, { errors });
  }
  const now = env.now();
  const ids = prepared.map((result) =>
    result.ok ? env.salesforce.insert(host, schema, result.values, now).Id : "",
  );
  store.save();
  return jsonOutcome(200, { ids });
}

async function seedWarehouse({ req, env }: HookRequest): Promise<Outcome> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  try {
    if (type === "application/sql" || type === "text/plain") {
      const text = (await readBody(req)).toString("utf8");
      const statements = splitStatements(text);
      if (statements.length === 0) throw badRequest("the posted seed holds no SQL statement");
      await env.warehouse.load({ kind: "sql", seed: { name: "the posted seed", statements } });
    } else {
      const body = await jsonBody(req);
      await env.warehouse.load({
        kind: "tables",
        tables: catalogTables(body.tables, "the posted catalog"),
      });
    }
  } catch (error) {
    if (error instanceof CatalogError) throw badRequest(error.message);
    throw error;
  }
  return jsonOutcome(200, { tables: env.warehouse.tables().map((table) => table.name) });
}

async function describeWarehouse({ env }: HookRequest): Promise<Outcome> {
  const tables = [];
  for (const table of env.warehouse.tables()) {
    const count = await env.warehouse.read(
      `SELECT count(*) FROM memory.public."${table.name.replaceAll('"', '""')}"`,
    );
    tables.push({
      name: table.name,
      kind: table.kind,
      rows: count.rows[0][0],
      columns: table.columns.map((column) => ({ name: column.name, ...fieldType(column.type) })),
    });
  }
  return jsonOutcome(200, { tables });
}

async function query({ req, env }: HookRequest): Promise<Outcome> {
  const { sql } = await jsonBody(req);
  if (typeof sql !== "string" || sql.trim() === "")
    throw badRequest('body must be {"sql": "SELECT …"}');
  try {
    const result = await env.warehouse.read(sql);
    return jsonOutcome(200, {
      columns: result.columns.map((column) => ({ name: column.name, ...fieldType(column.type) })),
      rows: result.rows,
    });
  } catch (error) {
    if (error instanceof WarehouseQueryError) throw badRequest(error.message);
    throw error;
  }
}

const HOOKS: readonly Hook[] = [
  {
    method: "GET",
    pattern: /^\/emulator\/requests$/,
    run: ({ requests }) => jsonOutcome(200, requests.list()),
  },
  {
    method: "POST",
    pattern: /^\/emulator\/reset$/,
    run: ({ store, requests }) => {
      store.reset();
      requests.clear();
      return emptyOutcome();
    },
  },
  {
    method: "GET",
    pattern: /^\/emulator\/salesforce\/([^/]+)\/([^/]+)$/,
    run: ({ store, env }, [instance, object]) => {
      const host = instanceHost(store, instance);
      return jsonOutcome(200, { records: env.salesforce.records(host, objectSchema(object).id) });
    },
  },
  { method: "POST", pattern: /^\/emulator\/salesforce\/([^/]+)\/([^/]+)$/, run: createRecords },
  { method: "GET", pattern: /^\/emulator\/warehouse$/, run: describeWarehouse },
  { method: "POST", pattern: /^\/emulator\/warehouse$/, run: seedWarehouse },
  { method: "POST", pattern: /^\/emulator\/warehouse\/query$/, run: query },
];

export async function testHook(request: HookRequest): Promise<Outcome> {
  const allowed: string[] = [];
  for (const hook of HOOKS) {
    const match = hook.pattern.exec(request.path);
    if (match === null) continue;
    if (hook.method !== request.method) {
      allowed.push(hook.method);
      continue;
    }
    let params: string[];
    try {
      params = match.slice(1).map(decodeURIComponent);
    } catch {
      return errorOutcome(notFound(`no route for ${request.method} ${request.path}`));
    }
    try {
      return await hook.run(request, params);
    } catch (error) {
      if (error instanceof ApiError) return errorOutcome(error);
      throw error;
    }
  }
  if (allowed.length === 0)
    return errorOutcome(notFound(`no route for ${request.method} ${request.path}`));
  const error = new ApiError(405, `use ${allowed.join(" or ")} on ${request.path}`);
  return withHeaders(errorOutcome(error), { allow: allowed.join(", ") });
}
