/**
 * A sync's target (polytomic-api.md §5.1, §5.2): a healthy (authorised) connection of the
 * organization and one of its objects supporting the sync's mode, or, where the connection can
 * create objects (a warehouse), a new object named by `target.new_name`. Target fields must exist
 * on the object unless the mapping asks Polytomic to create them.
 */
import type { Warehouse } from "../warehouse/warehouse";
import { badRequest, unprocessable } from "../errors";
import type { ConnectionRecord, OrgState, TargetRecord } from "../records";
import type { TargetField, TargetMode, TargetObject } from "../target-objects";
import {
  findTargetObject,
  supportsTargetCreation,
  targetObjects,
  WAREHOUSE_MODES,
} from "../target-objects";
import type { SyncBody, TargetBody } from "./sync-body";
import { snowflakeTargetConfiguration } from "./sync-body";

/** The target a sync writes to, once resolved. `object` is absent when the sync creates it. */
export interface ResolvedTarget {
  readonly connection: ConnectionRecord;
  readonly object?: TargetObject;
  readonly mode: TargetMode;
}

export function resolveTarget(org: OrgState, warehouse: Warehouse, body: SyncBody): ResolvedTarget {
  const target = body.target;
  const connection = org.connections.get(target.connection_id);
  if (connection === undefined) {
    throw unprocessable(`target.connection_id: connection ${target.connection_id} not found`, {
      field: "target.connection_id",
    });
  }
  if (connection.status !== "healthy") {
    throw unprocessable(
      `target connection ${connection.name} is not healthy: ${connection.status_error ?? connection.status}`,
      { field: "target.connection_id" },
    );
  }
  const creating = target.new_name !== undefined || target.create !== undefined;
  if (creating) return newTarget(warehouse, connection, target, body.mode);
  if (target.object === undefined) {
    throw badRequest("target.object is required unless target.new_name creates the object", {
      field: "target.object",
    });
  }
  const object = findTargetObject(connection.type, warehouse, target.object);
  if (object === undefined) {
    const known = targetObjects(connection.type, warehouse).map((candidate) => candidate.id);
    throw unprocessable(
      `target.object: ${target.object} is not an object of connection ${connection.name} (objects: ${known.join(", ")})`,
      { field: "target.object" },
    );
  }
  return { connection, object, mode: supportedMode(object.modes, body.mode, object.id) };
}

function supportedMode(modes: readonly TargetMode[], mode: string, object: string): TargetMode {
  const found = modes.find((candidate) => candidate.id === mode);
  if (found === undefined) {
    throw unprocessable(
      `mode ${mode} is not supported by ${object} (modes: ${modes.map((candidate) => candidate.id).join(", ")})`,
      { field: "mode" },
    );
  }
  return found;
}

function newTarget(
  warehouse: Warehouse,
  connection: ConnectionRecord,
  target: TargetBody,
  mode: string,
): ResolvedTarget {
  if (!supportsTargetCreation(connection.type)) {
    throw unprocessable(`connection ${connection.name} can't create targets`, {
      field: "target.new_name",
    });
  }
  if (target.object !== undefined) {
    throw badRequest("set target.object or target.new_name, not both", { field: "target.object" });
  }
  if (target.new_name === undefined) {
    throw badRequest("target.new_name is required to create a target object", {
      field: "target.new_name",
    });
  }
  if (warehouse.table(target.new_name) !== undefined) {
    throw unprocessable(`target.new_name: ${target.new_name} already exists; use target.object`, {
      field: "target.new_name",
    });
  }
  return { connection, mode: supportedMode(WAREHOUSE_MODES, mode, target.new_name) };
}

function targetConfiguration(
  target: ResolvedTarget,
  configuration: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined {
  if (configuration === undefined || target.connection.type !== "snowflake") return configuration;
  return snowflakeTargetConfiguration.parse(configuration, "target.configuration");
}

/** The target field `id` of the object, unless the mapping creates it (or the whole object). */
export function targetField(
  target: ResolvedTarget,
  id: string,
  creates: boolean,
  where: string,
): TargetField | undefined {
  if (creates || target.object === undefined) return undefined;
  const field = target.object.fields.find((candidate) => candidate.id === id);
  if (field === undefined) {
    throw unprocessable(
      `${where}: ${target.object.id} has no field ${id} (set "new": true to have it created)`,
      { field: where },
    );
  }
  return field;
}

export function buildTarget(body: SyncBody, target: ResolvedTarget): TargetRecord {
  const configuration = targetConfiguration(target, body.target.configuration);
  const { connection_id, object, new_name, create, search_values, filter_logic } = body.target;
  return {
    connection_id,
    ...(object !== undefined && { object }),
    ...(new_name !== undefined && { new_name }),
    ...(create !== undefined && { create }),
    ...(configuration !== undefined && { configuration }),
    ...(search_values !== undefined && { search_values }),
    ...(filter_logic !== undefined && { filter_logic }),
  };
}
