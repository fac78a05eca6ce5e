/** `GET /api/jobs/{type}/{id}` (polytomic-api.md §7): the state of a background job. */
import { badRequest, notFound } from "../errors";
import { JOB_TYPES } from "../jobs";
import { dataOutcome } from "../outcome";
import type { ApiRoute } from "../router";

export const jobRoutes: ApiRoute[] = [
  {
    method: "GET",
    pattern: "/api/jobs/:type/:id",
    handler: ({ org, params }) => {
      if (!(JOB_TYPES as readonly string[]).includes(params.type)) {
        throw badRequest(`unknown job type ${params.type}; job types: ${JOB_TYPES.join(", ")}`);
      }
      const job = org.jobs.get(params.id);
      if (job === undefined || job.type !== params.type) {
        throw notFound(`${params.type} job ${params.id} not found`);
      }
      return dataOutcome({
        job_id: job.job_id,
        type: job.type,
        status: job.status,
        ...(job.result !== undefined && { result: job.result }),
        ...(job.error !== undefined && { error: job.error }),
      });
    },
  },
];
