/**
 * Who is calling (`GET /api/me`) and which connection types exist (`GET /api/connection_types`,
 * `GET /api/connection_types/{type}`, the latter answering the bare JSON Schema with no envelope).
 */
import { CONNECTION_TYPES, connectionType } from "../connection-types";
import { notFound } from "../errors";
import { dataOutcome, jsonOutcome } from "../outcome";
import type { ApiRoute } from "../router";

export const identityRoutes: ApiRoute[] = [
  {
    method: "GET",
    pattern: "/api/me",
    // API keys are user keys (polytomic-api.md §12, M11).
    handler: ({ org, actor }) =>
      dataOutcome({
        id: actor.id,
        organization_id: org.id,
        organization_name: org.name,
        role: "admin",
        is_user: true,
        is_organization: false,
        is_partner: false,
        is_system: false,
      }),
  },
  {
    method: "GET",
    pattern: "/api/connection_types",
    handler: () =>
      dataOutcome(
        [...CONNECTION_TYPES.values()].map((type) => ({
          id: type.id,
          name: type.name,
          logo_url: type.logo_url,
          use_oauth: type.use_oauth,
          capabilities: type.capabilities,
          configurationForm: { jsonschema: type.schema, uischema: {} },
        })),
      ),
  },
  {
    method: "GET",
    pattern: "/api/connection_types/:type",
    handler: ({ params }) => {
      const type = connectionType(params.type);
      if (type === undefined) throw notFound(`connection type ${params.type} not found`);
      return jsonOutcome(200, type.schema);
    },
  },
];
