/**
 * Target discovery (polytomic-api.md §5.1): the objects a connection offers to syncs and the fields
 * of one object, in the shapes of Polytomic's SDK (TS25 `TargetObject`, `TargetResponse`: modes as
 * `{mode, label, description, …}`, identity functions as `{id, label}`, §12 M1). Answered only for
 * healthy connections: Polytomic must reach the service to list them (a Salesforce connection
 * awaiting OAuth cannot), so an unusable one is 403; the fields endpoint declares no 400, so a
 * missing or unknown `target` is a 404.
 */
import { forbidden, notFound } from "../errors";
import { dataOutcome } from "../outcome";
import type { ConnectionRecord } from "../records";
import type { ApiRoute, RequestContext } from "../router";
import {
  describeField,
  describeMode,
  findTargetObject,
  supportsTargetCreation,
  targetObjects,
  targetProperties,
} from "../target-objects";
import { findOrNotFound } from "./crud";
import { queryBoolean } from "./query";

function reachableConnection(context: RequestContext): ConnectionRecord {
  const connection = findOrNotFound(context.org.connections, context.params.id, "connection");
  if (connection.status !== "healthy") {
    throw forbidden(
      `connection ${connection.name} cannot be reached: ${connection.status_error ?? connection.status}`,
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
      const objects = targetObjects(connection.type, context.env.warehouse);
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
        throw notFound("no target object given: pass its id as the query parameter target");
      }
      const object = findTargetObject(connection.type, context.env.warehouse, target);
      if (object === undefined) {
        throw notFound(`target object ${target} not found on connection ${connection.name}`);
      }
      return dataOutcome({
        id: object.id,
        name: object.name,
        fields: object.fields.map(describeField),
        modes: object.modes.map(describeMode),
        properties: targetProperties(connection.type),
        refreshed_at: context.env.now(),
      });
    },
  },
];
