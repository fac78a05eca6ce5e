/**
 * The emulator's state: one organization per API key, each with its connections, models, syncs,
 * executions and stored idempotent outcomes, plus the records of the emulated Salesforce
 * organizations. Optionally persisted to a JSON file, rewritten atomically (temporary file +
 * rename) after every write so a crash never leaves a half-written file, and reloaded at start.
 * The bulky parts (Salesforce records, executions with their logs) are re-serialised only when
 * they changed. API keys are never stored: organizations are keyed by the SHA-256 of their key.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type {
  Actor,
  ConnectionRecord,
  ExecutionRecord,
  IdempotencyRecord,
  ModelRecord,
  OrgState,
  SyncRecord,
} from "./records";
import { TERMINAL_STATUSES } from "./records";
import type { PersistedSalesforce } from "./salesforce/store";
import { SalesforceStore } from "./salesforce/store";

/** 2 added executions, snapshots and Salesforce records; files of format 1 still load. */
const FORMAT = 2;

/**
 * Written at the top of every data file: connections keep the credentials they were given as
 * Polytomic would, so anyone who can read the file reads them.
 */
export const DATA_FILE_NOTICE =
  "Emulator state for tests. Connection credentials (passwords, keys, tokens) are stored here in plain text, readable by anyone who can read this file: give the emulator test credentials only. API keys are stored only as SHA-256 digests.";

interface PersistedRuns {
  readonly executions: ExecutionRecord[];
  readonly snapshots: Record<string, [string, Readonly<Record<string, unknown>>][]>;
}

interface PersistedOrg extends Partial<PersistedRuns> {
  readonly key_sha256: string;
  readonly id: string;
  readonly name: string;
  /** Absent in files written before the emulator modelled users. */
  readonly user?: Actor;
  readonly connections: ConnectionRecord[];
  readonly models: ModelRecord[];
  readonly syncs: SyncRecord[];
  readonly idempotency: Array<IdempotencyRecord & { readonly key: string }>;
}

interface PersistedState {
  readonly format: number;
  readonly organizations: PersistedOrg[];
  readonly salesforce?: PersistedSalesforce;
}

function keyHash(apiKey: string): string {
  return createHash("sha256").update(apiKey).digest("hex");
}

function byId<T extends { readonly id: string }>(records: readonly T[]): Map<string, T> {
  return new Map(records.map((record) => [record.id, record]));
}

function userOf(orgName: string): Actor {
  return { id: randomUUID(), name: `${orgName} API user`, type: "user" };
}

function emptyOrg(id: string, name: string): OrgState {
  return {
    id,
    name,
    user: userOf(name),
    connections: new Map(),
    models: new Map(),
    syncs: new Map(),
    idempotency: new Map(),
    executions: new Map(),
    snapshots: new Map(),
    jobs: new Map(),
    runRevision: 0,
  };
}

/** An execution the previous process did not see end ended with it. */
function settled(execution: ExecutionRecord): ExecutionRecord {
  if (TERMINAL_STATUSES.includes(execution.status)) return execution;
  return {
    ...execution,
    status: "interrupted",
    errors: [...execution.errors, "the emulator stopped while the execution was in progress"],
    completed_at: execution.completed_at ?? execution.started_at ?? execution.created_at,
  };
}

function restoreOrg(persisted: PersistedOrg): OrgState {
  return {
    ...emptyOrg(persisted.id, persisted.name),
    ...(persisted.user ? { user: persisted.user } : {}),
    connections: byId(persisted.connections),
    models: byId(persisted.models),
    syncs: byId(persisted.syncs),
    idempotency: new Map(persisted.idempotency.map(({ key, ...record }) => [key, record])),
    executions: byId((persisted.executions ?? []).map(settled)),
    snapshots: new Map(
      Object.entries(persisted.snapshots ?? {}).map(([syncId, entries]) => [
        syncId,
        new Map(entries),
      ]),
    ),
  };
}

function runsOf(org: OrgState): PersistedRuns {
  return {
    executions: [...org.executions.values()],
    snapshots: Object.fromEntries([...org.snapshots].map(([syncId, map]) => [syncId, [...map]])),
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
  const format = (state as PersistedState | null)?.format;
  const valid =
    typeof state === "object" &&
    state !== null &&
    (format === 1 || format === FORMAT) &&
    Array.isArray((state as PersistedState).organizations);
  if (!valid) {
    throw new Error(`emulator data file ${dataFile} is not an emulator state (format ${FORMAT})`);
  }
  return state as PersistedState;
}

/** A cached JSON text, redone when its source's revision moves. */
interface Cached {
  revision: number;
  json: string;
}

export class Store {
  private readonly orgs = new Map<string, OrgState>();
  readonly salesforce = new SalesforceStore();
  private readonly runsJson = new Map<string, Cached>();
  private salesforceJson: Cached | undefined;

  private constructor(private readonly dataFile: string | undefined) {}

  /** Loads `dataFile` when it exists and makes sure every API key has its organization. */
  static open(apiKeys: readonly string[], dataFile?: string): Store {
    const store = new Store(dataFile);
    const state = dataFile === undefined ? undefined : readState(dataFile);
    for (const persisted of state?.organizations ?? []) {
      store.orgs.set(persisted.key_sha256, restoreOrg(persisted));
    }
    store.salesforce.restore(state?.salesforce);
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

  organizations(): IterableIterator<OrgState> {
    return this.orgs.values();
  }

  findOrg(id: string): OrgState | undefined {
    return [...this.orgs.values()].find((org) => org.id === id);
  }

  /** Finds a connection in any organization (the OAuth pages are opened without an API key). */
  findConnection(id: string): { org: OrgState; connection: ConnectionRecord } | undefined {
    for (const org of this.orgs.values()) {
      const connection = org.connections.get(id);
      if (connection) return { org, connection };
    }
    return undefined;
  }

  /** Deletes every object, execution, record and stored outcome; organizations keep their ids. */
  reset(): void {
    for (const org of this.orgs.values()) {
      org.connections.clear();
      org.models.clear();
      org.syncs.clear();
      org.idempotency.clear();
      org.executions.clear();
      org.snapshots.clear();
      org.jobs.clear();
      org.runRevision += 1;
    }
    this.salesforce.clear();
    this.save();
  }

  save(): void {
    if (this.dataFile === undefined) return;
    const organizations = [...this.orgs].map(([hash, org]) => {
      const small = JSON.stringify({
        key_sha256: hash,
        id: org.id,
        name: org.name,
        user: org.user,
        connections: [...org.connections.values()],
        models: [...org.models.values()],
        syncs: [...org.syncs.values()],
        idempotency: [...org.idempotency].map(([key, record]) => ({ key, ...record })),
      });
      let runs = this.runsJson.get(org.id);
      if (runs?.revision !== org.runRevision) {
        const json = JSON.stringify(runsOf(org));
        runs = { revision: org.runRevision, json };
        this.runsJson.set(org.id, runs);
      }
      // Both are JSON objects: splice the runs' members into the organization's.
      return `${small.slice(0, -1)},${runs.json.slice(1)}`;
    });
    if (this.salesforceJson?.revision !== this.salesforce.revision) {
      this.salesforceJson = {
        revision: this.salesforce.revision,
        json: JSON.stringify(this.salesforce.serialize()),
      };
    }
    const text = `{"format":${FORMAT},"notice":${JSON.stringify(DATA_FILE_NOTICE)},"organizations":[${organizations.join(",")}],"salesforce":${this.salesforceJson.json}}\n`;
    mkdirSync(dirname(this.dataFile), { recursive: true });
    const temporary = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, this.dataFile);
  }
}
