/**
 * Deleting an object the stack no longer declares (or a whole stack on destroy). A missing object is
 * already deleted. A connection still used by objects outside the stack is not force-deleted:
 * that would silently delete other people's models and syncs.
 */
import type { PolytomicClient } from "../../api";
import { isNotFound, PolytomicApiError } from "../../api";
import type { DeleteSpec, ObjectKind } from "../../core/contract";
import { ProvisionError } from "./errors";
import type { Named } from "./lookup";
import { describe, findByName } from "./lookup";
import type { Session } from "./session";

const OPERATIONS: Record<
  ObjectKind,
  {
    list(client: PolytomicClient): Promise<Named[]>;
    remove(client: PolytomicClient, id: string): Promise<void>;
  }
> = {
  connection: {
    list: (client) => client.listConnections(),
    remove: (client, id) => client.deleteConnection(id),
  },
  model: { list: (client) => client.listModels(), remove: (client, id) => client.deleteModel(id) },
  sync: { list: (client) => client.listSyncs(), remove: (client, id) => client.deleteSync(id) },
};

function inUseMessage(spec: DeleteSpec, id: string, error: PolytomicApiError): string {
  const users = error.usedBy.map(
    (user) => `${user.type ?? "object"} ${JSON.stringify(user.name ?? "?")} (id ${user.id ?? "?"})`,
  );
  return `${describe(spec.kind, spec.name)} (id ${id}) is still used by ${users.join(", ") || "other objects"}: delete or repoint them first, then deploy again`;
}

export async function deleteObject(session: Session, spec: DeleteSpec): Promise<void> {
  const { client, output } = session;
  const operations = OPERATIONS[spec.kind];
  const existing = findByName(spec.kind, await operations.list(client), spec.name);
  if (!existing) {
    output.info(`${describe(spec.kind, spec.name)} does not exist: nothing to delete`);
    return;
  }
  try {
    await operations.remove(client, existing.id);
  } catch (error) {
    if (isNotFound(error)) {
      output.info(`${describe(spec.kind, spec.name)} (id ${existing.id}) was already deleted`);
      return;
    }
    if (error instanceof PolytomicApiError && error.status === 422 && error.usedBy.length > 0) {
      throw new ProvisionError(inUseMessage(spec, existing.id, error));
    }
    throw error;
  }
  output.info(`deleted ${describe(spec.kind, spec.name)} (id ${existing.id})`);
}
