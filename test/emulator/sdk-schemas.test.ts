/**
 * Every response the emulator gives, errors included, validated against JSON Schemas generated
 * from Polytomic's own SDK types (polytomic-typescript v25.9.2, see fixtures/polytomic-sdk): a
 * scenario calls every `/api` route, successes and refusals, and each answer must match the
 * envelope the SDK declares for its endpoint (`ApiError` for every error).
 */
import Ajv from "ajv";
import type { ValidateFunction } from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { API_ROUTES } from "../../lib/emulator/routes";
import type { CallOptions, Reply } from "./helpers";
import { SEED_QUERY, seedSync, TestEmulator } from "./helpers";

/**
 * Where the SDK's types are narrower than Polytomic's responses, with the reason; nothing else
 * is widened.
 */
function widenedSchemas(): Record<string, unknown> {
  const schemas = JSON.parse(
    readFileSync(join(__dirname, "fixtures", "polytomic-sdk", "types.schema.json"), "utf8"),
  ) as { definitions: Record<string, { properties?: object; additionalProperties?: unknown }> };
  const definitions = schemas.definitions;
  // invopop/jsonschema's Schema (which the API serialises) carries unknown keywords in `Extras`,
  // inlined: Polytomic's connection-type schemas use `sensitive`, `api_field`, `hidden`, `widget`.
  definitions.JsonschemaSchema.additionalProperties = true;
  // The SDK's docstring for GET /api/models describes `pagination.next_page_token`; its
  // envelope type omits the member.
  definitions.ModelListResponseEnvelope.properties = {
    ...definitions.ModelListResponseEnvelope.properties,
    pagination: { $ref: "#/definitions/PaginationDetails" },
  };
  return { ...schemas, $id: "sdk" };
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(widenedSchemas());

function definition(name: string): ValidateFunction {
  const validate = ajv.getSchema(`sdk#/definitions/${name}`);
  if (validate === undefined) throw new Error(`no SDK type ${name}`);
  return validate;
}

/** Method and path of an endpoint → the SDK type of its 200 body (`null`: an empty body). */
const SUCCESS_TYPES: readonly (readonly [string, RegExp, string | null])[] = [
  ["GET", /^\/api\/me$/, "GetIdentityResponseEnvelope"],
  ["GET", /^\/api\/connection_types$/, "ConnectionTypeResponseEnvelope"],
  ["GET", /^\/api\/connection_types\/[^/]+$/, "JsonschemaSchema"],
  ["POST", /^\/api\/connections\/test$/, null],
  ["GET", /^\/api\/connections$/, "ConnectionListResponseEnvelope"],
  ["POST", /^\/api\/connections$/, "CreateConnectionResponseEnvelope"],
  ["GET", /^\/api\/connections\/[^/]+$/, "ConnectionResponseEnvelope"],
  ["PUT", /^\/api\/connections\/[^/]+$/, "CreateConnectionResponseEnvelope"],
  ["DELETE", /^\/api\/connections\/[^/]+$/, null],
  ["GET", /^\/api\/connections\/[^/]+\/modelsync\/targetobjects$/, "TargetObjectsResponseEnvelope"],
  ["GET", /^\/api\/connections\/[^/]+\/modelsync\/target\/fields$/, "TargetResponseEnvelope"],
  ["GET", /^\/api\/models$/, "ModelListResponseEnvelope"],
  ["POST", /^\/api\/models$/, "ModelResponseEnvelope"],
  ["GET", /^\/api\/models\/[^/]+$/, "ModelResponseEnvelope"],
  ["PUT", /^\/api\/models\/[^/]+$/, "ModelResponseEnvelope"],
  ["DELETE", /^\/api\/models\/[^/]+$/, null],
  ["GET", /^\/api\/jobs\/[^/]+\/[^/]+$/, "JobResponseEnvelope"],
  ["GET", /^\/api\/syncs\/schedules$/, "ScheduleOptionResponseEnvelope"],
  ["GET", /^\/api\/syncs$/, "ListSyncResponseEnvelope"],
  ["POST", /^\/api\/syncs$/, "SyncResponseEnvelope"],
  ["GET", /^\/api\/syncs\/[^/]+$/, "SyncResponseEnvelope"],
  ["PUT", /^\/api\/syncs\/[^/]+$/, "SyncResponseEnvelope"],
  ["DELETE", /^\/api\/syncs\/[^/]+$/, null],
  ["POST", /^\/api\/syncs\/[^/]+\/activate$/, "ActivateSyncEnvelope"],
  ["POST", /^\/api\/syncs\/[^/]+\/cancel$/, "CancelSyncResponseEnvelope"],
  ["GET", /^\/api\/syncs\/[^/]+\/status$/, "SyncStatusEnvelope"],
  ["POST", /^\/api\/syncs\/[^/]+\/executions$/, "StartSyncResponseEnvelope"],
  ["GET", /^\/api\/syncs\/[^/]+\/executions$/, "ListExecutionResponseEnvelope"],
  ["GET", /^\/api\/syncs\/[^/]+\/executions\/[^/]+$/, "GetExecutionResponseEnvelope"],
  [
    "POST",
    /^\/api\/syncs\/[^/]+\/executions\/[^/]+\/cancel$/,
    "CancelSyncExecutionResponseEnvelope",
  ],
  ["GET", /^\/api\/syncs\/[^/]+\/executions\/[^/]+\/[^/]+$/, "ExecutionLogsResponseEnvelope"],
];

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly reply: Reply;
}

let emu: TestEmulator;
const recorded: Recorded[] = [];

async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const reply = await emu.call(method, path, options);
  recorded.push({ method, path: path.split("?")[0], reply });
  return reply;
}

async function ok(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const reply = await call(method, path, options);
  if (reply.status !== 200)
    throw new Error(`${method} ${path} answered ${reply.status}: ${reply.text}`);
  return reply;
}

async function settled(syncId: string, executionId: string) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const reply = await ok("GET", `/api/syncs/${syncId}/executions/${executionId}`);
    if (["completed", "failed", "canceled"].includes(reply.json.data.status))
      return reply.json.data;
    await sleep(25);
  }
  throw new Error("execution never ended");
}

beforeAll(async () => {
  emu = await TestEmulator.start({ executionDelayMs: 100, runSchedules: true });
});

afterAll(() => emu.close());

test("a scenario through every route, successes and refusals", async () => {
  await ok("GET", "/api/me");
  await ok("GET", "/api/connection_types");
  await ok("GET", "/api/connection_types/salesforce");
  await ok("GET", "/api/connection_types/snowflake");
  await call("GET", "/api/connection_types/postgresql");
  await call("GET", "/api/me", { key: null });
  await call("GET", "/api/nothing-here");
  await call("PATCH", "/api/connections");
  await call("POST", "/api/connections", { raw: "{", contentType: "application/json" });
  await call("POST", "/api/connections", { raw: "x=1", contentType: "text/plain" });

  const snowflakeBody = {
    name: "Warehouse",
    type: "snowflake",
    configuration: { account: "a", username: "u", dbname: "db", password: "secret" },
  };
  const { type, configuration } = snowflakeBody;
  await ok("POST", "/api/connections/test", { body: { type, configuration } });
  await call("POST", "/api/connections/test", {
    body: { type, configuration: { ...configuration, password: "no" } },
  });
  const snowflake = (await ok("POST", "/api/connections", { body: snowflakeBody })).json.data.id;
  await call("POST", "/api/connections", {
    body: { ...snowflakeBody, configuration: { ...snowflakeBody.configuration, password: "no" } },
  });
  await ok("PUT", `/api/connections/${snowflake}`, {
    body: { name: "Warehouse", configuration: snowflakeBody.configuration },
  });
  const browser = (
    await ok("POST", "/api/connections", {
      body: { name: "SF browser", type: "salesforce", configuration: { domain: "foocorp" } },
    })
  ).json.data.id;
  await call("GET", `/api/connections/${browser}/modelsync/targetobjects`);
  const salesforce = await emu.salesforce();
  await ok("GET", "/api/connections");
  await ok("GET", `/api/connections/${salesforce}`);
  await call("GET", "/api/connections/00000000-0000-4000-8000-000000000000");
  await ok("GET", `/api/connections/${salesforce}/modelsync/targetobjects`);
  await ok("GET", `/api/connections/${snowflake}/modelsync/targetobjects`);
  await ok("GET", `/api/connections/${salesforce}/modelsync/target/fields?target=Contact`);
  await ok("GET", `/api/connections/${snowflake}/modelsync/target/fields?target=users`);
  await call("GET", `/api/connections/${salesforce}/modelsync/target/fields?target=Opportunity`);

  const model = (
    await ok("POST", "/api/models", {
      body: {
        name: "Active Users",
        connection_id: snowflake,
        configuration: { query: SEED_QUERY },
      },
    })
  ).json.data;
  await call("POST", "/api/models", {
    body: {
      name: "Bad",
      connection_id: snowflake,
      configuration: { query: "SELECT nope FROM users" },
    },
  });
  const asyncJob = (
    await ok("POST", "/api/models?async=true", {
      body: { name: "Later", connection_id: snowflake, configuration: { table: "users" } },
    })
  ).json.job;
  await sleep(200);
  const job = await ok("GET", `/api/jobs/createmodel/${asyncJob.job_id}`);
  expect(job.json.data.status).toBe("done");
  await call("GET", `/api/jobs/unknown/${asyncJob.job_id}`);
  await ok("PUT", `/api/models/${job.json.data.result.id}`, {
    body: { name: "Later", connection_id: snowflake, configuration: { table: "users" } },
  });
  await ok("GET", "/api/models?limit=1");
  await ok("GET", `/api/models/${model.id}`);
  await ok("DELETE", `/api/models/${job.json.data.result.id}`);

  await ok("GET", "/api/syncs/schedules");
  const sync = (
    await ok("POST", "/api/syncs", {
      body: {
        ...seedSync(model.id, salesforce),
        mode: "updateOrCreate",
        schedule: { frequency: "daily", hour: "5", minute: "0" },
        active: true,
        filters: [{ field: { model_id: model.id, field: "plan" }, function: "IsNotNull" }],
        override_fields: [{ target: "LeadSource", override_value: "Polytomic" }],
      },
    })
  ).json.data;
  await call("POST", "/api/syncs", { body: { ...seedSync(model.id, salesforce), mode: "append" } });
  await ok("PUT", `/api/syncs/${sync.id}`, {
    body: {
      ...seedSync(model.id, salesforce),
      mode: "updateOrCreate",
      active: true,
      schedule: { frequency: "daily", hour: "5", minute: "0" },
    },
  });
  await ok("GET", "/api/syncs?limit=1");
  await ok("GET", `/api/syncs/${sync.id}`);
  await ok("POST", `/api/syncs/${sync.id}/activate`, { body: { active: true } });
  await call("POST", `/api/syncs/${sync.id}/activate`, { body: {} });
  await ok("GET", `/api/syncs/${sync.id}/status`);

  const started = (await ok("POST", `/api/syncs/${sync.id}/executions`, { body: {} })).json.data;
  await call("POST", `/api/syncs/${sync.id}/executions`, { body: { test: true } });
  await ok("GET", `/api/syncs/${sync.id}/status`);
  const finished = await settled(sync.id, started.id);
  expect(finished.counts.error).toBeGreaterThan(0);
  await ok("GET", `/api/syncs/${sync.id}/status`);
  await ok("GET", `/api/syncs/${sync.id}/executions`);
  await ok("GET", `/api/syncs/${sync.id}/executions?only_completed=true&ascending=true`);
  for (const type of ["records", "errors", "warnings", "inserts", "updates", "deletes"]) {
    await ok("GET", `/api/syncs/${sync.id}/executions/${started.id}/${type}`);
  }
  await call("GET", `/api/syncs/${sync.id}/executions/${started.id}/secrets`);
  const redirect = await call(
    "GET",
    `/api/syncs/${sync.id}/executions/${started.id}/errors/errors.json`,
  );
  expect(redirect.status).toBe(302);
  await call("GET", `/api/syncs/${sync.id}/executions/${started.id}/errors/other.json`);
  await call("POST", `/api/syncs/${sync.id}/executions/${started.id}/cancel`);
  const test = (await ok("POST", `/api/syncs/${sync.id}/executions`, { body: { test: true } })).json
    .data;
  await ok("POST", `/api/syncs/${sync.id}/executions/${test.id}/cancel`);
  await settled(sync.id, test.id);
  const again = (await ok("POST", `/api/syncs/${sync.id}/executions`, { body: { resync: true } }))
    .json.data;
  await ok("POST", `/api/syncs/${sync.id}/cancel`);
  await settled(sync.id, again.id);
  await ok("POST", `/api/syncs/${sync.id}/cancel`);
  await call("GET", `/api/syncs/${sync.id}/executions/00000000-0000-4000-8000-000000000000`);
  await call("POST", `/api/syncs/${sync.id}/executions`, { body: { resync: "yes" } });

  await ok("DELETE", `/api/syncs/${sync.id}`);
  await call("GET", `/api/syncs/${sync.id}/status`);
  await call("DELETE", `/api/connections/${snowflake}`);
  await ok("DELETE", `/api/connections/${snowflake}?force=true`);
});

test("every recorded response matches its SDK type; refusals are ApiError", () => {
  const apiError = definition("ApiError");
  const problems: string[] = [];
  for (const { method, path, reply } of recorded) {
    let validate: ValidateFunction | null;
    // A redirect to a log file: its target is not an API response.
    if (reply.status === 302) continue;
    if (reply.status >= 400) {
      validate = apiError;
      expect(reply.json).toEqual(
        expect.objectContaining({ status: reply.status, message: expect.any(String) }),
      );
    } else {
      const entry = SUCCESS_TYPES.find(([m, pattern]) => m === method && pattern.test(path));
      if (entry === undefined) {
        problems.push(`${method} ${path}: no SDK type mapped for this endpoint`);
        continue;
      }
      if (entry[2] === null) {
        if (reply.text !== "") problems.push(`${method} ${path}: expected an empty body`);
        continue;
      }
      validate = definition(entry[2]);
    }
    if (!validate(reply.json)) {
      problems.push(`${method} ${path} ${reply.status}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  expect(problems).toEqual([]);
});

test("the scenario reached every /api route with a success and covered every error status", () => {
  const missed = API_ROUTES.filter(
    (route) =>
      !recorded.some(({ method, path, reply }) => {
        if (method !== route.method || (reply.status !== 200 && reply.status !== 302)) return false;
        const pattern = new RegExp(`^${route.pattern.replace(/:[a-z_]+/g, "[^/]+")}$`);
        return pattern.test(path);
      }),
  ).map((route) => `${route.method} ${route.pattern}`);
  expect(missed).toEqual([]);
  const statuses = new Set(recorded.map(({ reply }) => reply.status));
  for (const status of [400, 401, 403, 404, 405, 409, 415, 422]) expect(statuses).toContain(status);
});

test("the schemas refuse the shapes the audit found wrong (§12 M1, M8)", () => {
  const fields = definition("TargetResponseEnvelope");
  expect(fields({ data: { fields: [{ id: "Email", identity_functions: ["Equality"] }] } })).toBe(
    false,
  );
  expect(fields({ data: { modes: [{ id: "create", supports_per_field_mode: true }] } })).toBe(
    false,
  );
  expect(definition("GetExecutionResponseEnvelope")({ data: { status: "done" } })).toBe(false);
  expect(definition("ModelResponseEnvelope")({ data: { fields: [{ type: 1 }] } })).toBe(false);
});
