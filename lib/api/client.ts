/**
 * Typed client for the Polytomic endpoints the provisioning CLI uses: connections, models, syncs,
 * their executions and target discovery.
 *
 * Without an injected dispatcher it uses undici's EnvHttpProxyAgent, which reads HTTP_PROXY,
 * HTTPS_PROXY and NO_PROXY (lower case wins over upper case) when the client is constructed. Hosts
 * matched by NO_PROXY, e.g. `localhost,127.0.0.1` for the local emulator, are reached directly;
 * loopback is NOT exempt by default, so a proxy set for the internet needs NO_PROXY for the emulator.
 */
import type { Dispatcher } from "undici";
import { EnvHttpProxyAgent } from "undici";
import { version } from "../../package.json";
import { baseUrlProblem, normaliseBaseUrl } from "../core/base-url";
import { DEFAULT_API_VERSION } from "../core/contract";
import type { Redact } from "./errors";
import { oneLine, PolytomicResponseError, redactor } from "./errors";
import type { RawResponse } from "./responses";
import { bareObject, dataList, dataObject, isJsonObject, logEntries, malformed } from "./responses";
import type { RetryInfo } from "./retry";
import type { CallOptions, HttpMethod } from "./transport";
import { Transport } from "./transport";
import type {
  CallerIdentity,
  Connection,
  CreateConnectionRequest,
  CreateModelRequest,
  CreateSyncRequest,
  ExecutionLogType,
  ExecutionLogUrls,
  ExecutionPage,
  JsonObject,
  ListExecutionsOptions,
  ListSyncItem,
  ListSyncsFilters,
  Model,
  Pagination,
  StartedExecution,
  StartSyncExecutionRequest,
  Sync,
  SyncExecution,
  SyncPage,
  SyncStatus,
  TargetFields,
  UpdateConnectionRequest,
  UpdateModelRequest,
  UpdateSyncRequest,
} from "./types";

export interface PolytomicClientOptions {
  /** e.g. `https://app.polytomic.com`; a trailing slash is tolerated. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; surrounding whitespace is trimmed. */
  readonly apiKey: string;
  /** Sent as `X-Polytomic-Version`; default `2025-09-18`. */
  readonly apiVersion?: string;
  /** Deadline for each attempt, headers and body together; default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt; default 5. */
  readonly maxRetries?: number;
  /** Retries after 429 answers, counted apart from `maxRetries`; default 30. */
  readonly maxRateLimitedRetries?: number;
  /** First backoff delay, doubled per retry; default 500 ms. */
  readonly backoffBaseMs?: number;
  /** Longest delay between attempts, including one asked for by `Retry-After`; default 30 000 ms. */
  readonly backoffCapMs?: number;
  /** e.g. a MockAgent in tests; the client does not close an injected dispatcher. */
  readonly dispatcher?: Dispatcher;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); drives backoff jitter. */
  readonly random?: () => number;
  /** Epoch milliseconds; used to turn `Retry-After` dates and `X-RateLimit-Reset` into delays. */
  readonly now?: () => number;
  /** Called before each retry, e.g. to print one line. */
  readonly onRetry?: (info: RetryInfo) => void;
  /**
   * Masks the caller's secrets (e.g. every value it sends) in what the server says, applied to the
   * raw text before the client shortens, folds or strips it into an error; the client masks its API
   * key after it in any case. To mask secrets overlapping the key longest first, mask the key too.
   */
  readonly redact?: (text: string) => string;
  /** Where the API key came from (e.g. `environment variable POLYTOMIC_API_KEY`), named by a 401. */
  readonly apiKeySource?: string;
}

/** `GET /api/syncs` page size: the server's maximum. */
const SYNC_PAGE_LIMIT = 50;
const OBJECT_FIELDS = ["id", "name"] as const;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkNumber(name: string, value: number, integer: boolean, min: number): number {
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(
      `PolytomicClient: ${name} must be ${integer ? "an integer" : "a number"} >= ${min}`,
    );
  }
  return value;
}

function checkBaseUrl(value: string, redact: Redact): string {
  const problem = baseUrlProblem(value);
  if (problem)
    throw new TypeError(
      `PolytomicClient: baseUrl ${JSON.stringify(oneLine(redact(value)))} ${problem}`,
    );
  return normaliseBaseUrl(value);
}

/** An id interpolated into a path; an empty one would silently address the collection instead. */
function segment(id: string): string {
  if (typeof id !== "string" || id === "") throw new TypeError("PolytomicClient: empty id");
  return encodeURIComponent(id);
}

export class PolytomicClient {
  private readonly transport: Transport;
  private readonly redact: Redact;
  /** The dispatcher this client created and must close. */
  private readonly ownDispatcher?: Dispatcher;

  constructor(options: PolytomicClientOptions) {
    const apiKey = options.apiKey.trim();
    if (apiKey === "") throw new TypeError("PolytomicClient: apiKey is empty");
    if (/[\s\p{Cc}]/u.test(apiKey)) {
      throw new TypeError("PolytomicClient: apiKey contains whitespace or control characters");
    }
    this.redact = redactor(apiKey, options.redact);
    const settings = {
      baseUrl: checkBaseUrl(options.baseUrl, this.redact),
      timeoutMs: checkNumber("timeoutMs", options.timeoutMs ?? 30_000, false, 1),
      maxRetries: checkNumber("maxRetries", options.maxRetries ?? 5, true, 0),
      maxRateLimitedRetries: checkNumber(
        "maxRateLimitedRetries",
        options.maxRateLimitedRetries ?? 30,
        true,
        0,
      ),
      backoff: {
        baseMs: checkNumber("backoffBaseMs", options.backoffBaseMs ?? 500, false, 0),
        capMs: checkNumber("backoffCapMs", options.backoffCapMs ?? 30_000, false, 0),
      },
    };
    const dispatcher = options.dispatcher ?? new EnvHttpProxyAgent();
    if (dispatcher !== options.dispatcher) this.ownDispatcher = dispatcher;
    this.transport = new Transport({
      ...settings,
      apiKey,
      apiVersion: options.apiVersion ?? DEFAULT_API_VERSION,
      userAgent: `cdktf-polytomic/${version} node/${process.versions.node}`,
      dispatcher,
      sleep: options.sleep ?? delay,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      onRetry: options.onRetry,
      redact: this.redact,
      apiKeySource: options.apiKeySource,
    });
  }

  /** Closes the connection pool if the client created it; idle sockets never keep Node alive anyway. */
  async close(): Promise<void> {
    await this.ownDispatcher?.close();
  }

  /** Who the API key belongs to. */
  async me(): Promise<CallerIdentity> {
    return this.object("GET", "/api/me", {}, ["organization_id"]);
  }

  async listConnections(): Promise<Connection[]> {
    return this.list("/api/connections");
  }

  async getConnection(id: string): Promise<Connection> {
    return this.object("GET", `/api/connections/${segment(id)}`);
  }

  async createConnection(body: CreateConnectionRequest): Promise<Connection> {
    return this.object("POST", "/api/connections", { body });
  }

  async updateConnection(id: string, body: UpdateConnectionRequest): Promise<Connection> {
    return this.object("PUT", `/api/connections/${segment(id)}`, { body });
  }

  /**
   * Without `force`, a connection still used by models or syncs fails with a 422 whose
   * `usedBy` names them; with it, those dependents are deleted too.
   */
  async deleteConnection(id: string, options: { readonly force?: boolean } = {}): Promise<void> {
    const query = options.force ? { force: true } : {};
    return this.remove(`/api/connections/${segment(id)}`, { query });
  }

  /** The JSON Schema of a connection type's `configuration`; this endpoint has no envelope. */
  async getConnectionTypeSchema(type: string): Promise<JsonObject> {
    const raw = await this.transport.call("GET", `/api/connection_types/${segment(type)}`);
    return bareObject(raw, this.redact);
  }

  /** Every model, following `pagination.next_page_token` (the list is paginated, 50 a page). */
  async listModels(): Promise<Model[]> {
    return this.allPages("/api/models", {}, (raw) =>
      dataList<Model>(raw, this.redact, OBJECT_FIELDS),
    );
  }

  async getModel(id: string): Promise<Model> {
    return this.object("GET", `/api/models/${segment(id)}`);
  }

  async createModel(body: CreateModelRequest): Promise<Model> {
    return this.object("POST", "/api/models", { body });
  }

  async updateModel(id: string, body: UpdateModelRequest): Promise<Model> {
    return this.object("PUT", `/api/models/${segment(id)}`, { body });
  }

  async deleteModel(id: string): Promise<void> {
    return this.remove(`/api/models/${segment(id)}`);
  }

  /** One page of syncs; pass the previous page's `pagination.next_page_token` for the next. */
  async listSyncsPage(filters: ListSyncsFilters = {}, pageToken?: string): Promise<SyncPage> {
    const query = {
      active: filters.active,
      mode: filters.mode,
      target_connection_id: filters.target_connection_id,
      limit: SYNC_PAGE_LIMIT,
    };
    return this.page("/api/syncs", query, pageToken, (raw) =>
      dataList<ListSyncItem>(raw, this.redact, OBJECT_FIELDS),
    );
  }

  /** Every sync matching `filters`, following `next_page_token` to the last page. */
  async listSyncs(filters: ListSyncsFilters = {}): Promise<ListSyncItem[]> {
    const all: ListSyncItem[] = [];
    await this.eachPage("/api/syncs", (token) => this.listSyncsPage(filters, token), all);
    return all;
  }

  /** Starts an execution of the sync; 409 (a PolytomicApiError) while another one is in progress. */
  async startSyncExecution(
    syncId: string,
    body: StartSyncExecutionRequest = {},
  ): Promise<StartedExecution> {
    return this.object("POST", `/api/syncs/${segment(syncId)}/executions`, { body }, ["id"]);
  }

  /** The sync's execution in progress, its last ended one and its next scheduled run, when any. */
  async getSyncStatus(syncId: string): Promise<SyncStatus> {
    return this.object("GET", `/api/syncs/${segment(syncId)}/status`, {}, []);
  }

  async getSyncExecution(syncId: string, executionId: string): Promise<SyncExecution> {
    const path = `/api/syncs/${segment(syncId)}/executions/${segment(executionId)}`;
    return this.object("GET", path, {}, ["id"]);
  }

  /** Asks the execution to stop; it ends `canceled` once it has. */
  async cancelSyncExecution(syncId: string, executionId: string): Promise<void> {
    await this.transport.call(
      "POST",
      `/api/syncs/${segment(syncId)}/executions/${segment(executionId)}/cancel`,
    );
  }

  /** Turns the sync's schedule on or off; an execution in progress goes on. */
  async activateSync(id: string, active: boolean): Promise<void> {
    await this.transport.call("POST", `/api/syncs/${segment(id)}/activate`, {
      body: { active },
    });
  }

  /** One page of the sync's executions, newest first unless `ascending`. */
  async listSyncExecutionsPage(
    syncId: string,
    options: ListExecutionsOptions = {},
    pageToken?: string,
  ): Promise<ExecutionPage> {
    const query = { only_completed: options.onlyCompleted, ascending: options.ascending };
    return this.page(`/api/syncs/${segment(syncId)}/executions`, query, pageToken, (raw) =>
      dataList<SyncExecution>(raw, this.redact, ["id"]),
    );
  }

  /** Every execution of the sync, following `next_page_token` to the last page. */
  async listSyncExecutions(
    syncId: string,
    options: ListExecutionsOptions = {},
  ): Promise<SyncExecution[]> {
    const all: SyncExecution[] = [];
    const path = `/api/syncs/${segment(syncId)}/executions`;
    await this.eachPage(path, (token) => this.listSyncExecutionsPage(syncId, options, token), all);
    return all;
  }

  /** Signed, short-lived URLs of an execution's log files of one type. */
  async getExecutionLogUrls(
    syncId: string,
    executionId: string,
    type: ExecutionLogType,
  ): Promise<ExecutionLogUrls> {
    const path = `/api/syncs/${segment(syncId)}/executions/${segment(executionId)}/${segment(type)}`;
    const urls = await this.object<ExecutionLogUrls>("GET", path, {}, []);
    if (!Array.isArray(urls.urls) || !urls.urls.every((url) => typeof url === "string")) {
      throw new PolytomicResponseError("GET", path, 200, '"data.urls" is not an array of strings');
    }
    return urls;
  }

  /**
   * The entries of an execution's log files of one type (e.g. `errors`: the records the target
   * refused and why), fetched from their signed URLs without the API key. A file may hold a JSON
   * array or JSON Lines.
   */
  async readExecutionLog(
    syncId: string,
    executionId: string,
    type: ExecutionLogType,
  ): Promise<JsonObject[]> {
    const { urls } = await this.getExecutionLogUrls(syncId, executionId, type);
    const entries: JsonObject[] = [];
    for (const url of urls) {
      const raw = await this.transport.download(url);
      entries.push(...logEntries(raw, this.redact));
    }
    return entries;
  }

  /** The fields and modes of one target object of a connection, e.g. Salesforce `Contact`. */
  async getTargetFields(
    connectionId: string,
    target: string,
    options: { readonly refresh?: boolean } = {},
  ): Promise<TargetFields> {
    return this.object(
      "GET",
      `/api/connections/${segment(connectionId)}/modelsync/target/fields`,
      { query: { target, refresh: options.refresh } },
      ["id"],
    );
  }

  async getSync(id: string): Promise<Sync> {
    return this.object("GET", `/api/syncs/${segment(id)}`);
  }

  async createSync(body: CreateSyncRequest): Promise<Sync> {
    return this.object("POST", "/api/syncs", { body });
  }

  async updateSync(id: string, body: UpdateSyncRequest): Promise<Sync> {
    return this.object("PUT", `/api/syncs/${segment(id)}`, { body });
  }

  async deleteSync(id: string): Promise<void> {
    return this.remove(`/api/syncs/${segment(id)}`);
  }

  private async object<T extends JsonObject>(
    method: HttpMethod,
    path: string,
    call: CallOptions = {},
    required: readonly string[] = OBJECT_FIELDS,
  ): Promise<T> {
    return dataObject<T>(await this.transport.call(method, path, call), this.redact, required);
  }

  private async list<T extends JsonObject>(path: string): Promise<T[]> {
    return dataList<T>(await this.transport.call("GET", path), this.redact, OBJECT_FIELDS).items;
  }

  /** One page of a cursor-paginated list and its checked `pagination`. */
  private async page<T extends JsonObject>(
    path: string,
    query: Readonly<Record<string, string | number | boolean | undefined>>,
    pageToken: string | undefined,
    read: (raw: RawResponse) => { readonly items: T[]; readonly body: JsonObject },
  ): Promise<{ items: T[]; pagination: Pagination }> {
    const raw = await this.transport.call("GET", path, {
      query: { ...query, page_token: pageToken },
    });
    const { items, body } = read(raw);
    const { pagination = {} } = body;
    if (!isJsonObject(pagination)) throw malformed(raw, '"pagination" is not an object');
    const token = pagination.next_page_token;
    if (token !== undefined && token !== null && typeof token !== "string") {
      throw malformed(raw, '"pagination.next_page_token" is not a string');
    }
    return { items, pagination: pagination as Pagination };
  }

  /** Collects every page into `all`, following `next_page_token` to the last page. */
  private async eachPage<T>(
    path: string,
    load: (token: string | undefined) => Promise<{ items: T[]; pagination: Pagination }>,
    all: T[],
  ): Promise<void> {
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await load(token);
      all.push(...page.items);
      token = page.pagination.next_page_token || undefined;
      if (token !== undefined) {
        // A server that hands back a token twice would otherwise make this loop forever.
        if (seen.has(token)) {
          const reason = "pagination returned a page token it had already returned";
          throw new PolytomicResponseError("GET", path, 200, reason);
        }
        seen.add(token);
      }
    } while (token !== undefined);
  }

  private async allPages<T extends JsonObject>(
    path: string,
    query: Readonly<Record<string, string | number | boolean | undefined>>,
    read: (raw: RawResponse) => { readonly items: T[]; readonly body: JsonObject },
  ): Promise<T[]> {
    const all: T[] = [];
    await this.eachPage(path, (token) => this.page(path, query, token, read), all);
    return all;
  }

  /** DELETE answers 200 or 204 with an empty body; whatever body there is, is ignored. */
  private async remove(path: string, call?: CallOptions): Promise<void> {
    await this.transport.call("DELETE", path, call);
  }
}
