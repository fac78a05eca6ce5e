/**
 * The local Polytomic API emulator: an HTTP server implementing the part of the Polytomic REST API
 * (version 2025-09-18, see polytomic-api.md) that cdktf-polytomic uses (identity, connection
 * types, connections, models, syncs and target discovery) as faithfully as the reference allows,
 * refusing whatever the real API would refuse. The `/api` pipeline is described in
 * api-pipeline.ts; errors are always `{"status", "message", "metadata"?}` JSON.
 *
 * Behind it: the embedded warehouse (warehouse/), the emulated Salesforce organizations
 * (salesforce/) and the sync executions that move rows from one to the other (executions/).
 *
 * Routes outside `/api`, which need no API key:
 * - `GET|POST /oauth/salesforce/{id}`: the page behind a Salesforce connection's `auth_url`.
 * - `GET /logs/…`: an execution's log file, at the signed URL the API hands out.
 * - `/emulator/…` (test only): the request log, reset, Salesforce records and the warehouse
 *   (routes/test-hooks.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Result } from "./api-pipeline";
import { ApiPipeline } from "./api-pipeline";
import { ApiError, notFound } from "./errors";
import { LOG_PATH, LogSigner } from "./executions/log-urls";
import { Scheduler } from "./executions/scheduler";
import { ExecutionService } from "./executions/service";
import { JobRunner } from "./jobs";
import type { Outcome } from "./outcome";
import { errorOutcome, jsonOutcome, withHeaders } from "./outcome";
import { ClientGoneError, header, parseForm, readBody, splitTarget } from "./request";
import { queryRecord, RequestLog } from "./request-log";
import type { EmulatorEnv } from "./router";
import { handleOAuth, notFoundPage, OAUTH_PATH } from "./routes/oauth";
import { testHook } from "./routes/test-hooks";
import { Store } from "./store";
import { catalogTables } from "./warehouse/catalog-file";
import { SAMPLE_USERS } from "./warehouse/sample-users";
import type { WarehouseSource } from "./warehouse/warehouse";
import { Warehouse } from "./warehouse/warehouse";

/** The embedded warehouse's password when none is given (docs/EMULATOR.md). */
export const DEFAULT_SNOWFLAKE_PASSWORD = "emulator";

export interface EmulatorOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0: pick a free port. */
  port?: number;
  /** Accepted Bearer keys; each key is its own organization, with its own data. */
  apiKeys: string[];
  /** Persist state here (rewritten atomically after every write) and load it at start. */
  dataFile?: string;
  /** Salesforce browser/code OAuth: the person consents right after each hand-off. */
  autoAuthorize?: boolean;
  /** 0..1: that fraction of /api writes is answered 500 or 503 without effect. */
  failRate?: number;
  /** 0..1: that fraction of /api writes is committed, then its connection closed unanswered. */
  dropRate?: number;
  /** Requests per second per API key; beyond it 429 with Retry-After. */
  rateLimit?: number;
  /** Milliseconds added before every /api response. */
  latencyMs?: number;
  /** Warehouse tables loaded after the built-in `users` table: a catalog's `tables` object. */
  catalog?: Readonly<Record<string, unknown>>;
  /** Catalog files and SQL seeds loaded after that, in order (the CLI's --catalog and --seed). */
  sources?: readonly WarehouseSource[];
  /** The embedded warehouse's password; default {@link DEFAULT_SNOWFLAKE_PASSWORD}. */
  snowflakePassword?: string;
  /** Run syncs on their schedules; otherwise only executions started through the API run. */
  runSchedules?: boolean;
  /** Milliseconds an execution stays `created` before it runs (to observe one in progress). */
  executionDelayMs?: number;
  /** Random source of fault injection (see faults.ts for the order of draws). */
  random?: () => number;
  /** Receives one line per request; never given API keys or secrets. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  readonly url: string;
  close(): Promise<void>;
}

const FORM_LIMIT = 64 * 1024;

/** How long a refused request's remaining body is read and discarded before the socket closes. */
const LINGER_MS = 2000;

/**
 * Writes the answer. With `refusedBody`, the client may still be sending a body the server will not
 * read: closing the socket under it would make the kernel reset the connection and the client lose
 * this answer, so what still arrives is discarded for a moment (a lingering close, as HTTP servers
 * do), and the socket is closed only if the client keeps sending after that.
 */
function writeOutcome(res: ServerResponse, outcome: Outcome, refusedBody: boolean): void {
  if (res.headersSent || res.destroyed) return;
  const body = outcome.body ?? "";
  res.writeHead(outcome.status, {
    ...outcome.headers,
    "content-length": String(Buffer.byteLength(body)),
  });
  if (refusedBody && !res.req.complete) {
    res.req.resume();
    const timer = setTimeout(() => res.socket?.destroy(), LINGER_MS);
    res.req.once("end", () => clearTimeout(timer));
    res.req.once("close", () => clearTimeout(timer));
  }
  res.end(body);
}

function checkRate(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be between 0 and 1, received ${value}`);
  }
}

function checkOptions(options: EmulatorOptions): void {
  if (options.apiKeys.length === 0 || options.apiKeys.some((key) => key.trim() === "")) {
    throw new RangeError("apiKeys must hold at least one non-empty API key");
  }
  checkRate("failRate", options.failRate);
  checkRate("dropRate", options.dropRate);
  if (options.rateLimit !== undefined && !(options.rateLimit > 0)) {
    throw new RangeError(`rateLimit must be a positive number, received ${options.rateLimit}`);
  }
  if (options.latencyMs !== undefined && !(options.latencyMs >= 0)) {
    throw new RangeError(`latencyMs must be 0 or more, received ${options.latencyMs}`);
  }
  if (options.executionDelayMs !== undefined && !(options.executionDelayMs >= 0)) {
    throw new RangeError(
      `executionDelayMs must be 0 or more, received ${options.executionDelayMs}`,
    );
  }
  if (options.snowflakePassword === "") throw new RangeError("snowflakePassword must not be empty");
}

/** The built-in `users` table, then the options' tables and files. */
function warehouseSources(options: EmulatorOptions): WarehouseSource[] {
  const users = {
    name: SAMPLE_USERS.name,
    columns: Object.entries(SAMPLE_USERS.columns).map(([name, type]) => ({ name, type })),
    rows: SAMPLE_USERS.rows,
    origin: "the built-in users table",
    where: (index: number) => `the built-in users table, row ${index + 1}`,
  };
  return [
    { kind: "tables", tables: [users] },
    ...(options.catalog === undefined
      ? []
      : [{ kind: "tables" as const, tables: catalogTables(options.catalog, "catalog") }]),
    ...(options.sources ?? []),
  ];
}

/** Dispatches requests to the API pipeline, the OAuth pages and the test hooks; logs them. */
class Emulator {
  private readonly requests = new RequestLog();
  private readonly pipeline: ApiPipeline;

  constructor(
    private readonly options: EmulatorOptions,
    private readonly store: Store,
    private readonly env: EmulatorEnv,
  ) {
    this.pipeline = new ApiPipeline(
      {
        latencyMs: options.latencyMs ?? 0,
        ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
        faults: {
          failRate: options.failRate ?? 0,
          dropRate: options.dropRate ?? 0,
          random: options.random ?? Math.random,
        },
        ...(options.log !== undefined && { log: options.log }),
      },
      store,
      env,
    );
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? "GET";
    const { path, query } = splitTarget(req.url ?? "/");
    if (path.startsWith("/emulator/")) {
      let outcome;
      try {
        outcome = await testHook({
          req,
          method,
          path,
          store: this.store,
          requests: this.requests,
          env: this.env,
        });
      } catch (error) {
        if (error instanceof ClientGoneError) return;
        this.options.log?.(`internal error on ${method} ${path}: ${(error as Error).stack}`);
        outcome = errorOutcome(new ApiError(500, "internal server error"));
      }
      writeOutcome(res, outcome, true);
      return;
    }
    let result: Result;
    try {
      result = await this.route(req, method, path, query);
    } catch (error) {
      if (error instanceof ClientGoneError) return;
      this.options.log?.(`internal error on ${method} ${path}: ${(error as Error).stack}`);
      result = { outcome: errorOutcome(new ApiError(500, "internal server error")) };
    }
    const key = header(req, "idempotency-key");
    const { status } = result.outcome;
    this.requests.add({
      method,
      path,
      query: queryRecord(query),
      status,
      ...(key !== undefined && { idempotency_key: key }),
      ...(result.drop === true && { dropped: true }),
    });
    const note = result.drop === true ? " (response dropped)" : "";
    this.options.log?.(`${method} ${path} ${status} ${Date.now() - started}ms${note}`);
    if (result.drop === true) req.socket.destroy();
    else writeOutcome(res, result.outcome, result.close === true);
  }

  private route(
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<Result> {
    if (path === "/api" || path.startsWith("/api/")) {
      return this.pipeline.handle(req, method, path, query);
    }
    const oauth = OAUTH_PATH.exec(path);
    if (oauth !== null) return this.oauth(req, method, oauth[1]);
    const log = LOG_PATH.exec(path);
    if (log !== null && method === "GET")
      return Promise.resolve({ outcome: this.logFile(log, query) });
    return Promise.resolve({ outcome: errorOutcome(notFound(`no route for ${method} ${path}`)) });
  }

  /** An execution's log file, when the URL's signature holds and it has not expired. */
  private logFile(match: RegExpExecArray, query: URLSearchParams): Outcome {
    let parts: string[];
    try {
      parts = match.slice(1).map(decodeURIComponent);
    } catch {
      return errorOutcome(notFound("no such log file"));
    }
    const [orgId, executionId, type, filename] = parts;
    const file = { orgId, executionId, type, filename };
    if (!this.env.logs.verify(file, query, Date.now())) {
      return errorOutcome(
        new ApiError(403, "the log URL is invalid or has expired; ask the API for a new one"),
      );
    }
    const execution = this.store.findOrg(orgId)?.executions.get(executionId);
    const entries = execution?.logs[type as keyof typeof execution.logs];
    if (entries === undefined) return errorOutcome(notFound("no such log file"));
    return jsonOutcome(200, entries);
  }

  private async oauth(req: IncomingMessage, method: string, rawId: string): Promise<Result> {
    let connectionId: string;
    try {
      connectionId = decodeURIComponent(rawId);
    } catch {
      return { outcome: notFoundPage() };
    }
    if (method !== "GET" && method !== "POST") {
      const error = new ApiError(405, `use GET or POST on ${req.url ?? ""}`);
      return { outcome: withHeaders(errorOutcome(error), { allow: "GET, POST" }) };
    }
    try {
      const form = method === "POST" ? parseForm(req, await readBody(req, FORM_LIMIT)) : undefined;
      return { outcome: handleOAuth({ method, connectionId, form }, this.store, this.env) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { outcome: errorOutcome(error), close: error.status === 413 };
    }
  }
}

function baseUrl(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Answers malformed HTTP (which never reaches a handler) with the usual JSON error body. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) return;
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const body = JSON.stringify({ status, message: "malformed HTTP request" });
  socket.end(
    `HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  checkOptions(options);
  const warehouse = await Warehouse.open(warehouseSources(options));
  let store: Store;
  try {
    store = Store.open(options.apiKeys, options.dataFile);
  } catch (error) {
    warehouse.close();
    throw error;
  }
  let url = "";
  const now = () => new Date().toISOString();
  const persist = () => store.save();
  const executions = new ExecutionService({
    warehouse,
    salesforce: store.salesforce,
    now,
    delayMs: options.executionDelayMs ?? 0,
    persist,
    ...(options.log !== undefined && { log: options.log }),
  });
  const scheduler = options.runSchedules
    ? new Scheduler(executions, () => store.organizations())
    : undefined;
  const jobs = new JobRunner(persist);
  const env: EmulatorEnv = {
    warehouse,
    salesforce: store.salesforce,
    executions,
    jobs,
    logs: new LogSigner(),
    ...(scheduler !== undefined && { scheduler }),
    autoAuthorize: options.autoAuthorize ?? false,
    snowflakePassword: options.snowflakePassword ?? DEFAULT_SNOWFLAKE_PASSWORD,
    baseUrl: () => url,
    now,
  };
  const emulator = new Emulator(options, store, env);
  const server = createServer((req, res) => {
    // A client hanging up mid-request must not surface as an unhandled stream error.
    req.on("error", () => undefined);
    res.on("error", () => undefined);
    void emulator.handle(req, res).catch((error: unknown) => {
      options.log?.(`internal error: ${(error as Error).stack}`);
      writeOutcome(res, errorOutcome(new ApiError(500, "internal server error")), true);
    });
  });
  server.on("clientError", answerClientError);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    warehouse.close();
    throw error;
  }
  url = baseUrl(server.address() as AddressInfo);
  scheduler?.start();
  return {
    url,
    close: async () => {
      scheduler?.stop();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await executions.close();
      await jobs.close();
      store.save();
      warehouse.close();
    },
  };
}
