/**
 * Starting, running and stopping sync executions. A start records the execution (`created`) and
 * returns at once; the work runs in the background (`running`, then `completed`, `failed` or
 * `canceled`), at most one execution per sync at a time. Cancelling is asynchronous too
 * (`canceling`, then `canceled`). Executions still running when the emulator stops end as
 * `interrupted`.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { ExecutionRecord, OrgState, SyncRecord } from "../records";
import { EXECUTION_LOG_TYPES, TERMINAL_STATUSES } from "../records";
import type { SalesforceStore } from "../salesforce/store";
import type { Warehouse } from "../warehouse/warehouse";
import { ExecutionFailure, runExecution } from "./run";

export interface ExecutionServiceSettings {
  readonly warehouse: Warehouse;
  readonly salesforce: SalesforceStore;
  readonly now: () => string;
  /** How long an execution waits, `created`, before it runs. */
  readonly delayMs: number;
  /** Saves the state (after an execution ends). */
  readonly persist: () => void;
  readonly log?: (line: string) => void;
}

export interface StartOptions {
  readonly type: ExecutionRecord["type"];
  readonly resync: boolean;
  readonly identities?: readonly string[];
}

interface Task {
  cancel: boolean;
  interrupt: boolean;
  done?: Promise<void>;
}

export function isTerminal(execution: ExecutionRecord): boolean {
  return TERMINAL_STATUSES.includes(execution.status);
}

function emptyLogs(): ExecutionRecord["logs"] {
  return Object.fromEntries(
    EXECUTION_LOG_TYPES.map((type) => [type, []]),
  ) as unknown as ExecutionRecord["logs"];
}

export class ExecutionService {
  private readonly tasks = new Map<string, Task>();
  /** Called when an execution ends; the scheduler uses it for runafter schedules. */
  onFinished?: (org: OrgState, execution: ExecutionRecord) => void;

  constructor(private readonly settings: ExecutionServiceSettings) {}

  /** The execution of `syncId` that has not ended yet, if any. */
  current(org: OrgState, syncId: string): ExecutionRecord | undefined {
    for (const execution of org.executions.values()) {
      if (execution.sync_id === syncId && !isTerminal(execution)) return execution;
    }
    return undefined;
  }

  start(org: OrgState, sync: SyncRecord, options: StartOptions): ExecutionRecord {
    const execution: ExecutionRecord = {
      id: randomUUID(),
      sync_id: sync.id,
      type: options.type,
      status: "created",
      created_at: this.settings.now(),
      errors: [],
      counts: { total: 0, insert: 0, update: 0, upserts: 0, delete: 0, error: 0, warnings: 0 },
      resync: options.resync,
      ...(options.identities !== undefined && { identities: [...options.identities] }),
      logs: emptyLogs(),
    };
    org.executions.set(execution.id, execution);
    org.runRevision += 1;
    const task: Task = { cancel: false, interrupt: false };
    this.tasks.set(execution.id, task);
    task.done = this.run(org, sync, execution, task);
    return execution;
  }

  /** Asks the execution to stop; it ends `canceled` once it does. */
  cancel(org: OrgState, execution: ExecutionRecord): void {
    if (isTerminal(execution)) return;
    const task = this.tasks.get(execution.id);
    if (task !== undefined) task.cancel = true;
    if (execution.status === "running") execution.status = "canceling";
    org.runRevision += 1;
  }

  /** A sync is being deleted: its execution is cancelled, its executions and snapshot dropped. */
  forget(org: OrgState, syncId: string): void {
    for (const execution of [...org.executions.values()]) {
      if (execution.sync_id !== syncId) continue;
      this.cancel(org, execution);
      org.executions.delete(execution.id);
    }
    org.snapshots.delete(syncId);
    org.runRevision += 1;
  }

  /** Interrupts every execution still going and waits for them to stop. */
  async close(): Promise<void> {
    for (const task of this.tasks.values()) task.interrupt = true;
    await Promise.all([...this.tasks.values()].map((task) => task.done));
  }

  private finish(
    org: OrgState,
    execution: ExecutionRecord,
    status: ExecutionRecord["status"],
  ): void {
    execution.status = status;
    execution.completed_at = this.settings.now();
    org.runRevision += 1;
    this.settings.persist();
  }

  private async run(
    org: OrgState,
    sync: SyncRecord,
    execution: ExecutionRecord,
    task: Task,
  ): Promise<void> {
    // Let the start request be answered first, as the real service queues the work.
    await sleep(this.settings.delayMs);
    const stopped = (): boolean => task.cancel || task.interrupt;
    try {
      if (stopped()) {
        this.finish(org, execution, task.interrupt ? "interrupted" : "canceled");
        return;
      }
      execution.status = "running";
      execution.started_at = this.settings.now();
      org.runRevision += 1;
      const finished = await runExecution({
        org,
        sync,
        execution,
        warehouse: this.settings.warehouse,
        salesforce: this.settings.salesforce,
        now: this.settings.now,
        cancelled: stopped,
      });
      this.finish(
        org,
        execution,
        finished ? "completed" : task.interrupt ? "interrupted" : "canceled",
      );
    } catch (error) {
      if (!(error instanceof ExecutionFailure)) {
        this.settings.log?.(
          `internal error in execution ${execution.id}: ${(error as Error).stack}`,
        );
      }
      execution.errors = [error instanceof ExecutionFailure ? error.message : "internal error"];
      this.finish(org, execution, "failed");
    } finally {
      this.tasks.delete(execution.id);
    }
    this.onFinished?.(org, execution);
  }
}
