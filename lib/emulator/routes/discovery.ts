/**
 * Target discovery (polytomic-api.md §5.1): the objects a connection offers to syncs and the fields
 * of one object. Answered only for healthy connections: Polytomic must reach the service to list
 * them (a Salesforce connection awaiting OAuth cannot).
 */
import { badRequest, notFound } from "../errors";
import { dataOutcome } from "../outcome";
import type { ConnectionRecord } from "../records";
import type { ApiRoute, RequestContext } from "../router";
import { findTargetObject, supportsTargetCreation, targetObjects } from "../target-objects";
import { findOrNotFound } from "./crud";
import { queryBoolean } from "./query";

function reachableConnection(context: RequestContext): ConnectionRecord {
  const connection = findOrNotFound(context.org.connections, context.params.id, "connection");
  if (connection.status !== "healthy") {
    throw badRequest(
      `connection ${connection.name} is not healthy: ${connection.status_error ?? connection.status}`,
    );
  }
  return connection;
}

export const discoveryRoutes: ApiRoute[] = [
  {
    method: "GET",
    pattern: "/api/connections/:id/modelsync/targetobjects",
    handler: (context) => {
      const connection = reachableConnection(context);
      const objects = targetObjects(connection.type, context.env.catalog);
      return dataOutcome(
        objects.map(({ id, name, modes }) => ({ id, name, modes })),
        { target_creation: { supported: supportsTargetCreation(connection.type), properties: [] } },
      );
    },
  },
  {
    method: "GET",
    pattern: "/api/connections/:id/modelsync/target/fields",
    handler: (context) => {
      const connection = reachableConnection(context);
      queryBoolean(context.query, "refresh");
      const target = context.query.get("target");
      if (target === null || target === "") {
        throw badRequest("query parameter target is required (a target object id)");
      }
      const object = findTargetObject(connection.type, context.env.catalog, target);
      if (object === undefined) {
        throw notFound(`target object ${target} not found on connection ${connection.name}`);
      }
      return dataOutcome({
        id: object.id,
        name: object.name,
        fields: object.fields,
        modes: object.modes,
        properties: {},
        refreshed_at: context.env.now(),
      });
    },
  },
];
