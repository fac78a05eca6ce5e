/**
 * Ids of objects saved earlier in the same apply, shared between provisioner processes through
 * the stack directory, so that a model does not list connections and a sync does not list
 * connections and models only to turn names back into ids its dependencies just saved. Entries
 * are scoped to one Terraform run (RUN_ENV: a later run cannot know what an interrupted one
 * created) and short-lived: dropped after a failed step, removed by the reconcile step that ends
 * every apply that changed something, and ignored once older than {@link MAX_AGE_MS}.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "../../core/contract";
import type { ObjectKind } from "../../core/contract";

const MAX_AGE_MS = 10 * 60 * 1000;
/**
 * How long one listing of all syncs serves the other sync steps of an apply. Each sync step would
 * otherwise list every sync (a page per 50), which grows with the square of a stack's size. A sync
 * created meanwhile by this stack is found by name among the remembered ids; one created outside
 * it in that window could be missed, and would then show up as a duplicate name on the next deploy.
 */
const SYNC_LIST_MAX_AGE_MS = 60 * 1000;

export interface KnownObject {
  readonly id: string;
  readonly name: string;
  /** Connection type id, for connections. */
  readonly type?: string;
  /** Connection status when it was saved, for connections. */
  readonly status?: string;
  /** Where a person authorises an OAuth connection, as its save handed it out. */
  readonly authUrl?: string;
  /** The code to enter there, in `code` mode. */
  readonly authCode?: string;
}

interface Entry extends KnownObject {
  readonly savedAt: number;
}

function directory(): string {
  return join(process.cwd(), CACHE_DIR);
}

/** What one session remembers and recalls, scoped to a Terraform run and the API it talks to. */
export class KnownIds {
  constructor(
    private readonly scope: string,
    private readonly now: () => number,
  ) {}

  private path(kind: ObjectKind, name: string): string {
    const key = createHash("sha256")
      .update(`${this.scope}\0${kind}\0${name}`, "utf8")
      .digest("hex");
    return join(directory(), `${key}.json`);
  }

  /** Records an object this step saved. Best effort: a step that cannot write just lists later. */
  remember(kind: ObjectKind, object: KnownObject): void {
    const entry: Entry = { ...object, savedAt: this.now() };
    this.write(this.path(kind, object.name), entry);
  }

  recall(kind: ObjectKind, name: string): KnownObject | undefined {
    const entry = this.read<Entry>(this.path(kind, name), MAX_AGE_MS);
    return entry?.name === name ? entry : undefined;
  }

  /** Records a listing of every sync, for the sync steps that follow within a minute. */
  rememberSyncList(syncs: readonly KnownObject[]): void {
    this.write(this.path("sync", "\0list"), {
      syncs: syncs.map(({ id, name }) => ({ id, name })),
      savedAt: this.now(),
    });
  }

  recallSyncList(): KnownObject[] | undefined {
    return this.read<{ syncs: KnownObject[] }>(this.path("sync", "\0list"), SYNC_LIST_MAX_AGE_MS)
      ?.syncs;
  }

  private write(path: string, value: object): void {
    try {
      mkdirSync(directory(), { recursive: true });
      writeFileSync(`${path}.${process.pid}`, JSON.stringify(value));
      renameSync(`${path}.${process.pid}`, path);
    } catch {
      // Nothing is lost: the next step resolves names through the API.
    }
  }

  private read<T>(path: string, maxAgeMs: number): (T & { savedAt: number }) | undefined {
    try {
      const value = JSON.parse(readFileSync(path, "utf8")) as T & { savedAt: number };
      return this.now() - value.savedAt <= maxAgeMs ? value : undefined;
    } catch {
      return undefined;
    }
  }
}

export function forgetAll(): void {
  rmSync(directory(), { recursive: true, force: true });
}
