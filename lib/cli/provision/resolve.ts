/**
 * Turns the names in a spec into the objects they name: from what earlier steps of this apply
 * saved (known-ids.ts) when possible, else from the API's lists, each list fetched at most once.
 */
import type { Connection, ListSyncItem, Model } from "../../api";
import type { KnownObject } from "./known-ids";
import { findByName, requireByName } from "./lookup";
import type { Session } from "./session";

export function knownConnection(connection: Connection): KnownObject {
  return {
    id: connection.id,
    name: connection.name,
    ...(connection.type?.id ? { type: connection.type.id } : {}),
    ...(connection.status ? { status: connection.status } : {}),
    ...(connection.auth_url ? { authUrl: connection.auth_url } : {}),
    ...(connection.auth_code ? { authCode: connection.auth_code } : {}),
  };
}

export class Resolver {
  private connections?: Promise<Connection[]>;
  private models?: Promise<Model[]>;
  private syncList?: Promise<readonly KnownObject[]>;

  constructor(private readonly session: Session) {}

  listConnections(): Promise<Connection[]> {
    return (this.connections ??= this.session.client.listConnections());
  }

  listModels(): Promise<Model[]> {
    return (this.models ??= this.session.client.listModels());
  }

  /** Every sync's id and name: a listing another step of this apply made, or a fresh one. */
  listSyncs(): Promise<readonly KnownObject[]> {
    return (this.syncList ??= this.freshSyncList());
  }

  private async freshSyncList(): Promise<readonly KnownObject[]> {
    const known = this.session.known.recallSyncList();
    if (known) return known;
    const listed: ListSyncItem[] = await this.session.client.listSyncs();
    this.session.known.rememberSyncList(listed);
    return listed;
  }

  /** A sync by name: saved earlier in this apply, or found in the listing; undefined if absent. */
  async findSync(name: string): Promise<KnownObject | undefined> {
    return (
      this.session.known.recall("sync", name) ?? findByName("sync", await this.listSyncs(), name)
    );
  }

  /** A connection's id, type and status as last known. */
  async connection(name: string, neededBy: string): Promise<KnownObject> {
    const known = this.session.known.recall("connection", name);
    return (
      known ??
      knownConnection(requireByName("connection", await this.listConnections(), name, neededBy))
    );
  }

  async model(name: string, neededBy: string): Promise<KnownObject> {
    const known = this.session.known.recall("model", name);
    if (known) return known;
    const { id } = requireByName("model", await this.listModels(), name, neededBy);
    return { id, name };
  }
}
