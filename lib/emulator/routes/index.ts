/** Every `/api` route the emulator serves. */
import type { ApiRoute } from "../router";
import { connectionRoutes } from "./connections";
import { discoveryRoutes } from "./discovery";
import { identityRoutes } from "./identity";
import { modelRoutes } from "./models";
import { syncRoutes } from "./syncs";

export const API_ROUTES: readonly ApiRoute[] = [
  ...identityRoutes,
  ...connectionRoutes,
  ...discoveryRoutes,
  ...modelRoutes,
  ...syncRoutes,
];
