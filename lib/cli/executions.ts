/**
 * Sync executions as the deploy's test gate and `polytomic-cdktf sync` use them: start one (waiting
 * out one already in progress), wait for it to end within a bound, and describe its outcome in a
 * few readable lines (counts, then the first refused records with their identity and field).
 */
import type { JsonObject, PolytomicClient, StartSyncExecutionRequest, SyncExecution } from "../api";
import { PolytomicApiError } from "../api";
import { ProvisionError } from "./errors";

/** Statuses after which an execution does nothing more. */
const ENDED = new Set(["completed", "failed", "canceled", "interrupted"]);
/** First poll soon (a test of a few records is quick), then every few seconds. */
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 3000;
/** How many refused records a summary lists. */
export const ERRORS_SHOWN = 5;

export interface Clock {
  sleep(ms: number): Promise<void>;
  now(): number;
}

export function hasEnded(execution: { readonly status?: string }): boolean {
  return ENDED.has(execution.status ?? "");
}

/** Whether an ended execution ran through with no record refused. */
export function succeeded(execution: SyncExecution): boolean {
  return execution.status === "completed" && (execution.counts?.error ?? 0) === 0;
}

/** Reads `read` until the execution has ended; undefined when `deadline` passes first. */
export async function waitForEnd(
  clock: Clock,
  read: () => Promise<SyncExecution>,
  deadline: number,
): Promise<SyncExecution | undefined> {
  let delay = FIRST_POLL_MS;
  for (;;) {
    const execution = await read();
    if (hasEnded(execution)) return execution;
    const left = deadline - clock.now();
    if (left <= 0) return undefined;
    await clock.sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
}

/**
 * Starts an execution. While another one is in progress (409) it waits for that one to end, until
 * `deadline`, and starts again; undefined if the other one is still running at the deadline.
 */
export async function startExecution(
  client: PolytomicClient,
  clock: Clock,
  syncId: string,
  body: StartSyncExecutionRequest,
  deadline: number,
): Promise<{ id: string; waitedFor?: SyncExecution } | undefined> {
  let waitedFor: SyncExecution | undefined;
  for (;;) {
    try {
      const started = await client.startSyncExecution(syncId, body);
      return waitedFor ? { id: started.id, waitedFor } : { id: started.id };
    } catch (error) {
      if (!(error instanceof PolytomicApiError) || error.status !== 409) throw error;
    }
    const current = (await client.getSyncStatus(syncId)).current_execution;
    if (current === undefined) continue;
    waitedFor = current;
    const ended = await waitForEnd(
      clock,
      () => client.getSyncExecution(syncId, current.id),
      deadline,
    );
    if (ended === undefined) return undefined;
  }
}

function text(value: unknown): string {
  return value === undefined || value === null ? "none" : JSON.stringify(value);
}

/** The counts of an execution in words: `10 records: 8 inserted, 2 refused`. */
export function describeCounts(execution: SyncExecution): string {
  const counts = execution.counts ?? {};
  // A test writes nothing: its counts say what a run would do.
  const test = execution.type === "test";
  const parts = [
    ["insert", test ? "to insert" : "inserted"],
    ["update", test ? "to update" : "updated"],
    ["delete", test ? "to delete" : "deleted"],
    ["error", "refused"],
    ["warnings", "warnings"],
  ]
    .filter(([key]) => typeof counts[key] === "number" && (counts[key] as number) > 0)
    .map(([key, label]) => `${String(counts[key])} ${label}`);
  const total = counts.total ?? 0;
  return `${total} record${total === 1 ? "" : "s"}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

/** One refused record: its identity, the target field and why. */
export function describeRecordError(entry: JsonObject): string {
  const field = typeof entry.field === "string" ? entry.field : undefined;
  const message = typeof entry.message === "string" ? entry.message : text(entry.code);
  return `record ${text(entry.identity)}${field ? `, field ${field}` : ""}: ${message}`;
}

/**
 * The lines describing an ended execution: its status and counts, why it failed as a whole, and
 * the first refused records (read from its `errors` log).
 */
export async function describeOutcome(
  client: PolytomicClient,
  syncId: string,
  execution: SyncExecution,
): Promise<string[]> {
  const lines = [
    `execution ${execution.id} ${execution.status ?? "?"}: ${describeCounts(execution)}`,
  ];
  for (const reason of execution.errors ?? []) lines.push(`failed: ${reason}`);
  if ((execution.counts?.error ?? 0) > 0) {
    const entries = await client.readExecutionLog(syncId, execution.id, "errors");
    const byRecord = new Map<string, JsonObject[]>();
    for (const entry of entries) {
      const key = JSON.stringify(entry.identity ?? null);
      byRecord.set(key, [...(byRecord.get(key) ?? []), entry]);
    }
    const fields = new Map<string, number>();
    for (const entry of entries) {
      if (typeof entry.field === "string")
        fields.set(entry.field, (fields.get(entry.field) ?? 0) + 1);
    }
    if (fields.size > 0) {
      lines.push(
        `refused by field: ${[...fields]
          .sort((a, b) => b[1] - a[1])
          .map(([field, count]) => `${field} ${count}`)
          .join(", ")}`,
      );
    }
    const shown = [...byRecord.values()].slice(0, ERRORS_SHOWN);
    for (const record of shown)
      for (const entry of record) lines.push(`  ${describeRecordError(entry)}`);
    if (byRecord.size > shown.length) {
      lines.push(`  … and ${byRecord.size - shown.length} more refused record(s)`);
    }
  }
  return lines;
}

/** A whole number of seconds from the environment, else the default. */
export function secondsFrom(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === "") return fallback;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new ProvisionError(
      `${variable} is ${JSON.stringify(raw)}; set it to a whole number of seconds above 0, e.g. ${fallback}`,
    );
  }
  return seconds;
}
