/**
 * What Polytomic holds now: connections and models listed in full (one request each), syncs listed
 * (light items, a page per 50) and read one by one only where a comparison needs their mappings.
 */
import type { Connection, ListSyncItem, Model, PolytomicClient, Sync } from "../../api";
import type { ObjectKind } from "../../core/contract";
import type { NameIndex } from "./compare";

export interface Live {
  readonly connections: readonly Connection[];
  readonly models: readonly Model[];
  readonly syncs: readonly ListSyncItem[];
  /** A sync's full configuration, read at most once per run. */
  sync(id: string): Promise<Sync>;
  /** Names of objects by id, including those created during this run. */
  readonly names: NameIndex;
  /** Records an object written during this run. */
  remember(kind: ObjectKind, id: string, name: string): void;
  /** The id of the user the API key acts as (`GET /api/me`), read at most once; undefined if none. */
  identity(): Promise<string | undefined>;
}

export async function readLive(client: PolytomicClient): Promise<Live> {
  const [connections, models, syncs] = await Promise.all([
    client.listConnections(),
    client.listModels(),
    client.listSyncs(),
  ]);
  const details = new Map<string, Promise<Sync>>();
  let identity: Promise<string | undefined> | undefined;
  const byId: Record<ObjectKind, Map<string, string>> = {
    connection: new Map(connections.map(({ id, name }) => [id, name])),
    model: new Map(models.map(({ id, name }) => [id, name])),
    sync: new Map(syncs.map(({ id, name }) => [id, name])),
  };
  const lookup = (kind: ObjectKind) => (id: string | undefined) =>
    id === undefined ? undefined : byId[kind].get(id);
  return {
    connections,
    models,
    syncs,
    sync(id) {
      let detail = details.get(id);
      if (!detail) {
        detail = client.getSync(id);
        details.set(id, detail);
      }
      return detail;
    },
    names: { connection: lookup("connection"), model: lookup("model"), sync: lookup("sync") },
    remember(kind, id, name) {
      byId[kind].set(id, name);
    },
    identity() {
      identity ??= client.me().then((me) => (typeof me.id === "string" ? me.id : undefined));
      return identity;
    },
  };
}

/** Runs `work` over `items`, at most `limit` at a time; resolves once all settled. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<PromiseSettledResult<void>[]> {
  const results: PromiseSettledResult<void>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        await work(items[index]);
        results[index] = { status: "fulfilled", value: undefined };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
