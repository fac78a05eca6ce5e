/**
 * Background jobs (polytomic-api.md §4.3, §7): model writes sent with `?async=true` answer at once
 * with a `job`, do their work afterwards, and are polled at `GET /api/jobs/{type}/{id}` until
 * `done` (with the model as `result`) or `failed` (with the error the synchronous request would
 * have answered).
 */
import { randomUUID } from "node:crypto";
import { ApiError } from "./errors";
import type { JobRecord, OrgState } from "./records";

/** Every job type the API knows; the emulator starts only model jobs. */
export const JOB_TYPES = [
  "createmodel",
  "updatemodel",
  "previewmodel",
  "samplemodel",
  "exportlogs",
] as const;

export class JobRunner {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly persist: () => void) {}

  /** Records a job and runs `work` after the current request is answered. */
  start(org: OrgState, type: JobRecord["type"], work: () => Promise<unknown>): JobRecord {
    const job: JobRecord = { job_id: randomUUID(), type, status: "created" };
    org.jobs.set(job.job_id, job);
    const done = (async () => {
      await Promise.resolve();
      job.status = "running";
      try {
        job.result = await work();
        job.status = "done";
      } catch (error) {
        job.status = "failed";
        job.error = error instanceof ApiError ? error.message : "internal error";
      }
      this.persist();
    })();
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return job;
  }

  /** Waits for jobs still working (when the emulator stops). */
  async close(): Promise<void> {
    await Promise.all(this.pending);
  }
}
