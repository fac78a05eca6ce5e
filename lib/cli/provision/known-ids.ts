/**
 * Ids of objects saved earlier in the same apply, shared between provisioner processes through
 * the stack directory, so that a model does not list connections and a sync does not list
 * connections and models only to turn names back into ids its dependencies just saved. Entries
 * are short-lived: they are written by an upsert, dropped after a failed step (so a re-run lists
 * afresh), removed by the reconcile step that ends every apply that changed something, and ignored
 * once older than {@link MAX_AGE_MS}.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR } from "../../core/contract";
import type { ObjectKind } from "../../core/contract";

const MAX_AGE_MS = 10 * 60 * 1000;

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

/** What one session remembers and recalls, scoped to the API it talks to. */
export class KnownIds {
  constructor(
    private readonly apiUrl: string,
    private readonly now: () => number,
  ) {}

  private path(kind: ObjectKind, name: string): string {
    const key = createHash("sha256")
      .update(`${this.apiUrl}\0${kind}\0${name}`, "utf8")
      .digest("hex");
    return join(directory(), `${key}.json`);
  }

  /** Records an object this step saved. Best effort: a step that cannot write just lists later. */
  remember(kind: ObjectKind, object: KnownObject): void {
    const path = this.path(kind, object.name);
    const entry: Entry = { ...object, savedAt: this.now() };
    try {
      mkdirSync(directory(), { recursive: true });
      writeFileSync(`${path}.${process.pid}`, JSON.stringify(entry));
      renameSync(`${path}.${process.pid}`, path);
    } catch {
      // Nothing is lost: the next step resolves the name through the API.
    }
  }

  recall(kind: ObjectKind, name: string): KnownObject | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.path(kind, name), "utf8")) as Entry;
      return entry.name === name && this.now() - entry.savedAt <= MAX_AGE_MS ? entry : undefined;
    } catch {
      return undefined;
    }
  }
}

export function forgetAll(): void {
  rmSync(directory(), { recursive: true, force: true });
}
