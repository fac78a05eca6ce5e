/**
 * Runs syncs on their schedules (`--run-schedules`; otherwise only started executions run, so
 * tests stay deterministic). Every second it starts the active syncs that are due: clock
 * schedules at their next time (next-run.ts), `continuous` ones when {@link CONTINUOUS_INTERVAL_MS}
 * has passed since their last execution ended (at once when they never ran), `runafter` ones
 * when an execution of a sync they follow ends (only a successful one with
 * `run_after_success_only`). A sync that is still running is not started again.
 */
import type { ExecutionRecord, OrgState, SyncRecord } from "../records";
import { nextRunTime } from "./next-run";
import type { ExecutionService } from "./service";

export const CONTINUOUS_INTERVAL_MS = 60_000;
const TICK_MS = 1000;

interface Planned {
  /** The sync's `updated_at` the plan was made for: a changed schedule is planned afresh. */
  readonly version: string;
  readonly at: number | undefined;
}

export class Scheduler {
  private readonly plans = new Map<string, Planned>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: ExecutionService,
    private readonly orgs: () => Iterable<OrgState>,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    this.service.onFinished = (org, execution) => this.followUp(org, execution);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    this.tick();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** When the sync next runs by its clock schedule, for `GET /api/syncs/{id}/status`. */
  nextRun(sync: SyncRecord): string | undefined {
    if (!sync.active) return undefined;
    const at = this.plan(sync).at;
    return at === undefined ? undefined : new Date(at).toISOString();
  }

  private plan(sync: SyncRecord): Planned {
    const existing = this.plans.get(sync.id);
    if (existing?.version === sync.updated_at) return existing;
    const planned = {
      version: sync.updated_at,
      at: nextRunTime(sync.schedule, new Date(this.clock()))?.getTime(),
    };
    this.plans.set(sync.id, planned);
    return planned;
  }

  private tick(): void {
    const now = this.clock();
    for (const org of this.orgs()) {
      for (const sync of org.syncs.values()) {
        if (!sync.active || this.service.current(org, sync.id) !== undefined) continue;
        if (sync.schedule.frequency === "continuous") {
          if (this.continuousDue(org, sync, now))
            this.service.start(org, sync, { type: "scheduled", resync: false });
          continue;
        }
        const { at } = this.plan(sync);
        if (at !== undefined && at <= now) {
          this.plans.set(sync.id, {
            version: sync.updated_at,
            at: nextRunTime(sync.schedule, new Date(now))?.getTime(),
          });
          this.service.start(org, sync, { type: "scheduled", resync: false });
        }
      }
    }
  }

  private continuousDue(org: OrgState, sync: SyncRecord, now: number): boolean {
    let last: number | undefined;
    for (const execution of org.executions.values()) {
      if (
        execution.sync_id !== sync.id ||
        execution.type === "test" ||
        execution.completed_at === undefined
      )
        continue;
      last = Math.max(last ?? 0, Date.parse(execution.completed_at));
    }
    return last === undefined || now - last >= CONTINUOUS_INTERVAL_MS;
  }

  private followUp(org: OrgState, finished: ExecutionRecord): void {
    if (finished.type === "test") return;
    const succeeded = finished.status === "completed" && finished.counts.error === 0;
    for (const sync of org.syncs.values()) {
      const after = sync.schedule.run_after;
      if (!sync.active || sync.schedule.frequency !== "runafter" || after === undefined) continue;
      if (!after.sync_ids.includes(finished.sync_id)) continue;
      if (sync.schedule.run_after_success_only === true && !succeeded) continue;
      if (this.service.current(org, sync.id) === undefined) {
        this.service.start(org, sync, { type: "scheduled", resync: false });
      }
    }
  }
}
