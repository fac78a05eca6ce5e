/** Every `/api` route the emulator serves; fixed paths come before the `:id` patterns they resemble. */
import type { ApiRoute } from "../router";
import { connectionRoutes, connectionTestRoutes } from "./connections";
import { discoveryRoutes } from "./discovery";
import { executionRoutes } from "./executions";
import { identityRoutes } from "./identity";
import { jobRoutes } from "./jobs";
import { modelRoutes } from "./models";
import { syncOptionRoutes } from "./sync-options";
import { syncRoutes } from "./syncs";

export const API_ROUTES: readonly ApiRoute[] = [
  ...identityRoutes,
  ...connectionTestRoutes,
  ...connectionRoutes,
  ...discoveryRoutes,
  ...modelRoutes,
  ...syncOptionRoutes,
  ...syncRoutes,
  ...executionRoutes,
  ...jobRoutes,
];
