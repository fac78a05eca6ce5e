/**
 * The emulator's warehouse and sync executions, each against a floor measured in the same run:
 * - an execution moving a table of rows (100 000, or 20 000 with --quick) into Salesforce
 *   Contact, in rows per second from the execution's own start and end times, against DuckDB's
 *   scan of the same rows into JavaScript (the read every execution starts with); target: the
 *   floor's rate is at most 3× the execution's;
 * - creating a model over HTTP (the query introspected in the warehouse, fields typed and named)
 *   against running the same query directly in DuckDB (informative).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { request } from "undici";
import { startEmulator } from "../lib/emulator/server";
import { loadDuckDB } from "../lib/emulator/warehouse/duckdb";
import type { Figure } from "./measure";
import { figure, pairedValues, round } from "./measure";

const API_KEY = "bench-executions-key-0123";
const PASSWORD = "bench-password";

/** The rows both sides read: unique emails, names within Salesforce's lengths. */
function table(rows: number): string {
  return `CREATE TABLE contacts AS
    SELECT i AS id,
           'person' || i || '@example.com' AS email,
           'First' || (i % 977) AS first_name,
           'Last' || (i % 983) AS last_name,
           CASE i % 4 WHEN 0 THEN 'free' WHEN 1 THEN 'starter' WHEN 2 THEN 'pro' ELSE 'enterprise' END AS plan
    FROM range(${rows}) t(i)`;
}

const QUERY = "SELECT email, first_name, last_name, plan FROM contacts";
const MODEL_QUERY =
  "SELECT MAX(last_activity_date) AS last_activity_date, plan, first_name, last_name, email FROM users GROUP BY plan, first_name, last_name, email";

async function call(url: string, method: string, path: string, body?: unknown) {
  const response = await request(`${url}${path}`, {
    method: method as "GET",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200)
    throw new Error(`${method} ${path}: ${response.statusCode} ${text}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench reads a few fields
  return JSON.parse(text) as any;
}

async function floorConnection(rows: number): Promise<DuckDBConnection> {
  const { DuckDBInstance } = loadDuckDB();
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  await connection.run(table(rows));
  await connection.run(
    "CREATE TABLE users AS SELECT i AS id, 'u' || i || '@example.com' AS email, 'F' || i AS first_name, 'L' || i AS last_name, 'pro' AS plan, DATE '2025-01-01' AS last_activity_date FROM range(300) t(i)",
  );
  return connection;
}

/** Milliseconds DuckDB takes to run `sql` and hand every row to JavaScript. */
async function scan(connection: DuckDBConnection, sql: string): Promise<number> {
  const started = performance.now();
  const reader = await connection.runAndReadAll(sql);
  reader.getRowsJson();
  return performance.now() - started;
}

interface Setup {
  readonly url: string;
  readonly snowflake: string;
  readonly close: () => Promise<void>;
}

/** A fresh emulator holding the rows, with a Snowflake connection to read them. */
async function setUp(rows: number): Promise<Setup> {
  const emulator = await startEmulator({
    apiKeys: [API_KEY],
    snowflakePassword: PASSWORD,
    sources: [
      { kind: "sql", seed: { name: "bench seed", statements: [{ text: table(rows), line: 1 }] } },
    ],
  });
  const snowflake = (
    await call(emulator.url, "POST", "/api/connections", {
      name: "Warehouse",
      type: "snowflake",
      configuration: { account: "a", username: "u", dbname: "d", password: PASSWORD },
    })
  ).data.id;
  return { url: emulator.url, snowflake, close: () => emulator.close() };
}

/** Milliseconds one execution of a create sync of the model into Contact takes, by its own clock. */
async function execution({ url, snowflake }: Setup, rows: number): Promise<number> {
  const model = (
    await call(url, "POST", "/api/models", {
      name: "Contacts",
      connection_id: snowflake,
      configuration: { query: QUERY },
    })
  ).data.id;
  const salesforce = (
    await call(url, "POST", "/api/connections", {
      name: "CRM",
      type: "salesforce",
      configuration: {
        domain: "bench.my.salesforce.com",
        connect_mode: "api",
        client_id: "i",
        client_secret: "s",
        oauth_refresh_token: "r",
      },
    })
  ).data.id;
  const source = (field: string) => ({ model_id: model, field });
  const sync = (
    await call(url, "POST", "/api/syncs", {
      name: "Contacts",
      mode: "create",
      identity: { source: source("email"), target: "Email", function: "Equality" },
      fields: [
        { source: source("first_name"), target: "FirstName" },
        { source: source("last_name"), target: "LastName" },
        { source: source("plan"), target: "Description" },
      ],
      schedule: { frequency: "manual" },
      target: { connection_id: salesforce, object: "Contact" },
    })
  ).data.id;
  const { id } = (await call(url, "POST", `/api/syncs/${sync}/executions`, {})).data;
  let result;
  do {
    await new Promise((resolve) => setTimeout(resolve, 20));
    result = (await call(url, "GET", `/api/syncs/${sync}/executions/${id}`)).data;
  } while (result.status !== "completed" && result.status !== "failed");
  if (result.status !== "completed" || result.counts.insert !== rows) {
    throw new Error(`the bench execution did not insert every row: ${JSON.stringify(result)}`);
  }
  return Date.parse(result.completed_at) - Date.parse(result.started_at);
}

export async function executionBenchmarks(quick: boolean): Promise<Figure[]> {
  const rows = quick ? 20_000 : 100_000;
  const floorDb = await floorConnection(rows);
  try {
    // Each execution on a fresh emulator: one execution of that many rows, not the n-th.
    const rate = await pairedValues(
      quick ? 1 : 3,
      async () => {
        const setup = await setUp(rows);
        try {
          return rows / ((await execution(setup, rows)) / 1000);
        } finally {
          await setup.close();
        }
      },
      async () => rows / ((await scan(floorDb, QUERY)) / 1000),
    );
    const setup = await setUp(300);
    let creation;
    try {
      creation = await pairedValues(
        quick ? 5 : 21,
        async () => {
          const started = performance.now();
          await call(setup.url, "POST", "/api/models", {
            name: "Seed model",
            connection_id: setup.snowflake,
            configuration: { query: MODEL_QUERY },
          });
          return performance.now() - started;
        },
        () => scan(floorDb, MODEL_QUERY),
      );
    } finally {
      await setup.close();
    }
    return [
      {
        name: `execution: ${rows} rows into Salesforce Contact (create, matched on email)`,
        value: round(rate.value, 0),
        unit: "rows/s",
        floor: round(rate.floor, 0),
        ratio: round(rate.floor / rate.value, 2),
        target: "ratio <= 3",
        met: rate.floor / rate.value <= 3,
        note: "floor: DuckDB's own scan of the same rows into JS (runAndReadAll + getRowsJson); ratio = floor rows/s / execution rows/s",
      },
      figure(
        "model creation: POST /api/models (seed query) vs running the query in DuckDB",
        "ms",
        creation.value,
        creation.floor,
        undefined,
        "informative: creation parses and introspects the query over HTTP",
      ),
    ];
  } finally {
    floorDb.disconnectSync();
  }
}
