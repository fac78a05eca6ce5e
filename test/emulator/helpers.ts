/**
 * Helpers for emulator tests: start an emulator on a free port, call it over real HTTP with undici,
 * and build the usual fixtures (a healthy Snowflake connection, an authorised Salesforce one, the
 * seed "Active Users" model).
 */
import { request } from "undici";
import type { EmulatorOptions, RunningEmulator } from "../../lib/emulator/server";
import { startEmulator } from "../../lib/emulator/server";

export const KEY = "test-key-org-a";
export const OTHER_KEY = "test-key-org-b";
/** The embedded warehouse's password in these tests: Snowflake validation logs in with it. */
export const SNOWFLAKE_PASSWORD = "secret";

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The parsed body; undefined when it is empty or not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests index freely into replies
  readonly json: any;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Raw body, sent as is (with `contentType`). */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  /** API key; `null` sends no Authorization header. */
  readonly key?: string | null;
  readonly headers?: Record<string, string>;
}

export class TestEmulator {
  private constructor(readonly running: RunningEmulator) {}

  static async start(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
    return new TestEmulator(
      await startEmulator({
        apiKeys: [KEY, OTHER_KEY],
        snowflakePassword: SNOWFLAKE_PASSWORD,
        ...options,
      }),
    );
  }

  get url(): string {
    return this.running.url;
  }

  close(): Promise<void> {
    return this.running.close();
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.key === undefined ? KEY : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | Buffer | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      if (options.contentType !== undefined) headers["content-type"] = options.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = options.contentType ?? "application/json";
    }
    const response = await request(`${this.url}${path}`, {
      method: method as "GET",
      headers,
      body,
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  }

  async ok(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const reply = await this.call(method, path, options);
    if (reply.status !== 200) {
      throw new Error(`${method} ${path} answered ${reply.status}: ${reply.text}`);
    }
    return reply;
  }

  async snowflake(name = "Snowflake", key?: string): Promise<string> {
    const reply = await this.ok("POST", "/api/connections", {
      key,
      body: {
        name,
        type: "snowflake",
        configuration: {
          account: "uc193736182",
          username: "user",
          dbname: "database",
          password: SNOWFLAKE_PASSWORD,
        },
      },
    });
    return reply.json.data.id as string;
  }

  async salesforce(name = "Salesforce", key?: string): Promise<string> {
    const reply = await this.ok("POST", "/api/connections", {
      key,
      body: {
        name,
        type: "salesforce",
        configuration: {
          domain: "acme.my.salesforce.com",
          connect_mode: "api",
          client_id: "id",
          client_secret: "secret",
          oauth_refresh_token: "refresh",
        },
      },
    });
    return reply.json.data.id as string;
  }

  async model(connectionId: string, query = SEED_QUERY, name = "Active Users"): Promise<Model> {
    const reply = await this.ok("POST", "/api/models", {
      body: { name, connection_id: connectionId, configuration: { query } },
    });
    return reply.json.data as Model;
  }

  /** The seed setup: Snowflake, Salesforce (api mode) and the Active Users model. */
  async seed(): Promise<{ snowflake: string; salesforce: string; model: Model }> {
    const snowflake = await this.snowflake();
    const salesforce = await this.salesforce();
    return { snowflake, salesforce, model: await this.model(snowflake) };
  }
}

export interface Model {
  readonly id: string;
  readonly fields: readonly { readonly id: string; readonly name: string }[];
}

export const SEED_QUERY =
  "SELECT MAX(last_activity_date) AS last_activity_date, plan, first_name, last_name, email FROM users GROUP BY plan, first_name, last_name, email";

/** The seed sync of DESIGN.md: Active Users into Salesforce Contact, matched on email. */
export function seedSync(modelId: string, salesforceId: string): Record<string, unknown> {
  return {
    name: "Snowflake to Salesforce Sync",
    mode: "create",
    identity: {
      source: { model_id: modelId, field: "email" },
      target: "Email",
      function: "Equality",
    },
    fields: [
      { source: { model_id: modelId, field: "first_name" }, target: "FirstName" },
      { source: { model_id: modelId, field: "last_name" }, target: "LastName" },
    ],
    schedule: { frequency: "continuous" },
    target: { connection_id: salesforceId, object: "Contact" },
  };
}
