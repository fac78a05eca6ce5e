/**
 * The emulator's state: one organization per API key, each with its connections, models, syncs and
 * stored idempotent outcomes. Optionally persisted to a JSON file, rewritten atomically (temporary
 * file + rename) after every write so a crash never leaves a half-written file, and reloaded at
 * start. API keys are never stored: organizations are keyed by the SHA-256 of their key.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type {
  ConnectionRecord,
  IdempotencyRecord,
  ModelRecord,
  OrgState,
  SyncRecord,
} from "./records";

const FORMAT = 1;

interface PersistedOrg {
  readonly key_sha256: string;
  readonly id: string;
  readonly name: string;
  readonly connections: ConnectionRecord[];
  readonly models: ModelRecord[];
  readonly syncs: SyncRecord[];
  readonly idempotency: Array<IdempotencyRecord & { readonly key: string }>;
}

interface PersistedState {
  readonly format: number;
  readonly organizations: PersistedOrg[];
}

function keyHash(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex");
}

function byId<T extends { readonly id: string }>(records: readonly T[]): Map<string, T> {
  return new Map(records.map((record) => [record.id, record]));
}

function emptyOrg(id: string, name: string): OrgState {
  return {
    id,
    name,
    connections: new Map(),
    models: new Map(),
    syncs: new Map(),
    idempotency: new Map(),
  };
}

function restoreOrg(persisted: PersistedOrg): OrgState {
  return {
    id: persisted.id,
    name: persisted.name,
    connections: byId(persisted.connections),
    models: byId(persisted.models),
    syncs: byId(persisted.syncs),
    idempotency: new Map(persisted.idempotency.map(({ key, ...record }) => [key, record])),
  };
}

function persistOrg(hash: string, org: OrgState): PersistedOrg {
  return {
    key_sha256: hash,
    id: org.id,
    name: org.name,
    connections: [...org.connections.values()],
    models: [...org.models.values()],
    syncs: [...org.syncs.values()],
    idempotency: [...org.idempotency].map(([key, record]) => ({ key, ...record })),
  };
}

function readState(dataFile: string): PersistedState | undefined {
  let text: string;
  try {
    text = readFileSync(dataFile, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read emulator data file ${dataFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new Error(`emulator data file ${dataFile} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const valid =
    typeof state === "object" &&
    state !== null &&
    (state as PersistedState).format === FORMAT &&
    Array.isArray((state as PersistedState).organizations);
  if (!valid) {
    throw new Error(`emulator data file ${dataFile} is not an emulator state (format ${FORMAT})`);
  }
  return state as PersistedState;
}

export class Store {
  private readonly orgs = new Map<string, OrgState>();

  private constructor(private readonly dataFile: string | undefined) {}

  /** Loads `dataFile` when it exists and makes sure every API key has its organization. */
  static open(apiKeys: readonly string[], dataFile?: string): Store {
    const store = new Store(dataFile);
    const state = dataFile === undefined ? undefined : readState(dataFile);
    for (const persisted of state?.organizations ?? []) {
      store.orgs.set(persisted.key_sha256, restoreOrg(persisted));
    }
    for (const apiKey of apiKeys) {
      const hash = keyHash(apiKey);
      if (!store.orgs.has(hash)) {
        store.orgs.set(
          hash,
          emptyOrg(randomUUID(), `Emulator organization ${store.orgs.size + 1}`),
        );
      }
    }
    store.save();
    return store;
  }

  orgForKey(apiKey: string): OrgState | undefined {
    return this.orgs.get(keyHash(apiKey));
  }

  /** Finds a connection in any organization (the OAuth pages are opened without an API key). */
  findConnection(id: string): { org: OrgState; connection: ConnectionRecord } | undefined {
    for (const org of this.orgs.values()) {
      const connection = org.connections.get(id);
      if (connection) return { org, connection };
    }
    return undefined;
  }

  /** Deletes every object and stored outcome; organizations keep their ids. */
  reset(): void {
    for (const org of this.orgs.values()) {
      org.connections.clear();
      org.models.clear();
      org.syncs.clear();
      org.idempotency.clear();
    }
    this.save();
  }

  save(): void {
    if (this.dataFile === undefined) return;
    const state: PersistedState = {
      format: FORMAT,
      organizations: [...this.orgs].map(([hash, org]) => persistOrg(hash, org)),
    };
    mkdirSync(dirname(this.dataFile), { recursive: true });
    const temporary = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    renameSync(temporary, this.dataFile);
  }
}
