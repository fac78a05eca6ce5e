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
}

interface Entry extends KnownObject {
  readonly savedAt: number;
}

function directory(): string {
  return join(process.cwd(), CACHE_DIR);
}

function entryPath(kind: ObjectKind, name: string): string {
  return join(
    directory(),
    `${kind}-${createHash("sha256").update(name, "utf8").digest("hex")}.json`,
  );
}

/** Records an object this step saved. Best effort: a step that cannot write just lists later. */
export function remember(kind: ObjectKind, object: KnownObject, now: number): void {
  const path = entryPath(kind, object.name);
  const entry: Entry = { ...object, savedAt: now };
  try {
    mkdirSync(directory(), { recursive: true });
    writeFileSync(`${path}.${process.pid}`, JSON.stringify(entry));
    renameSync(`${path}.${process.pid}`, path);
  } catch {
    // Nothing is lost: the next step resolves the name through the API.
  }
}

export function recall(kind: ObjectKind, name: string, now: number): KnownObject | undefined {
  try {
    const entry = JSON.parse(readFileSync(entryPath(kind, name), "utf8")) as Entry;
    return entry.name === name && now - entry.savedAt <= MAX_AGE_MS ? entry : undefined;
  } catch {
    return undefined;
  }
}

export function forgetAll(): void {
  rmSync(directory(), { recursive: true, force: true });
}
