/**
 * Deleting what the stack owns and no longer declares (`delete-removed`, run when a generation
 * leaves the stack) or everything it owns (`delete-all`, run when the stack is destroyed): syncs,
 * then models, then connections, each found by name and deleted only if the stack created (or
 * adopted) it. A deletion that fails keeps its Terraform resource in state, so the next apply runs
 * it again.
 *
 * An object still used by objects that other stacks of the app declare (a connection renamed in
 * one stack while another stack's models use it) is not deleted yet: its users are repointed when
 * their own stack deploys, after this one. It is renamed to a *tombstone* name instead, which marks
 * it for deletion durably in Polytomic itself, and the deploy step of this stack deletes it once
 * nothing uses it. Used by anything else, it is left in place and the deletion fails, naming the
 * users, since deleting it would break objects no stack manages.
 */
import type { Connection, Model, PolytomicClient } from "../../api";
import { isNotFound, PolytomicApiError } from "../../api";
import type { ObjectKind, OwnedEntry, OwnedObjects } from "../../core/contract";
import type { StackFile } from "../../core/stack-file";
import { ProvisionError } from "../errors";
import type { Session } from "../session";
import type { Live } from "./live";
import { readLive } from "./live";
import { isOwned, needsIdentity } from "./ownership";

/** The deletion order: what uses an object goes before it. */
const ORDER: readonly ObjectKind[] = ["sync", "model", "connection"];

interface Named {
  readonly id: string;
  readonly name: string;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly updated_by?: { readonly id?: string };
}

const TOMBSTONE = /^(.*) \[cdktf-polytomic: deleted once unused, stack (.+)\]$/s;

/** The name an object keeps while it waits to be deleted. */
export function tombstoneName(name: string, stack: string): string {
  return `${name} [cdktf-polytomic: deleted once unused, stack ${stack}]`;
}

/** The stack a tombstone name belongs to, if it is one. */
export function tombstoneOf(name: string): { name: string; stack: string } | undefined {
  const match = TOMBSTONE.exec(name);
  return match ? { name: match[1], stack: match[2] } : undefined;
}

function itemsOf(live: Live, kind: ObjectKind): readonly Named[] {
  return kind === "connection" ? live.connections : kind === "model" ? live.models : live.syncs;
}

function remove(client: PolytomicClient, kind: ObjectKind, id: string): Promise<void> {
  if (kind === "connection") return client.deleteConnection(id);
  if (kind === "model") return client.deleteModel(id);
  return client.deleteSync(id);
}

/** Renames a live object, keeping everything else (a sensitive key sent masked keeps its value). */
async function rename(client: PolytomicClient, kind: ObjectKind, id: string, name: string) {
  if (kind === "connection") {
    const live: Connection = await client.getConnection(id);
    await client.updateConnection(id, {
      name,
      ...(live.type?.id ? { type: live.type.id } : {}),
      configuration: live.configuration ?? {},
      validate: false,
    });
  } else if (kind === "model") {
    const live: Model = await client.getModel(id);
    await client.updateModel(id, {
      name,
      connection_id: live.connection_id ?? "",
      configuration: live.configuration ?? {},
      ...(live.identifier ? { identifier: live.identifier } : {}),
      ...(live.tracking_columns?.length ? { tracking_columns: live.tracking_columns } : {}),
    });
  }
}

export interface DeletionContext {
  readonly session: Session;
  /** The stack's name, for tombstones. */
  readonly stack: string;
  /** Names other stacks of the app declare, whose users are repointed when those deploy. */
  readonly app: Readonly<Record<ObjectKind, readonly string[]>>;
}

/** Deletes `targets` (entries by kind); throws every failure together once all were tried. */
export async function deleteOwned(
  context: DeletionContext,
  targets: Readonly<Record<ObjectKind, readonly OwnedEntry[]>>,
): Promise<void> {
  const { session } = context;
  const total = ORDER.reduce((sum, kind) => sum + targets[kind].length, 0);
  if (total === 0) {
    session.output.info("nothing to delete");
    return;
  }
  const live = await readLive(session.client);
  const failures: string[] = [];
  for (const kind of ORDER) {
    for (const entry of targets[kind]) {
      try {
        await deleteOne(context, live, kind, entry);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  if (failures.length > 0) throw new ProvisionError(failures.join("\n"));
}

async function deleteOne(
  context: DeletionContext,
  live: Live,
  kind: ObjectKind,
  entry: OwnedEntry,
): Promise<void> {
  const { session } = context;
  const [name] = entry;
  const label = `${kind} ${JSON.stringify(name)}`;
  const matches = itemsOf(live, kind).filter((item) => item.name === name);
  if (matches.length === 0) {
    session.output.info(`- ${label} does not exist: nothing to delete`);
    return;
  }
  if (matches.length > 1) {
    throw new ProvisionError(
      `${matches.length} ${kind}s are named ${JSON.stringify(name)} (ids ${matches.map((item) => item.id).join(", ")}), so the one this stack owns cannot be told apart: delete or rename the others in Polytomic, then deploy again`,
    );
  }
  const [found] = matches;
  const identity = needsIdentity(found, entry) ? await live.identity() : undefined;
  if (!isOwned(found, entry, identity)) {
    session.output.info(
      `- ${label} (id ${found.id}) was not created by this stack (it existed before the stack declared it): left in place`,
    );
    return;
  }
  try {
    await remove(session.client, kind, found.id);
  } catch (error) {
    if (isNotFound(error)) {
      session.output.info(`- ${label} (id ${found.id}) was already deleted`);
      return;
    }
    if (!(error instanceof PolytomicApiError) || error.usedBy.length === 0) throw error;
    const users = error.usedBy.map(
      (user) =>
        `${user.type ?? "object"} ${JSON.stringify(user.name ?? "?")} (id ${user.id ?? "?"})`,
    );
    const byApp = error.usedBy.every(
      (user) =>
        (user.type === "model" || user.type === "sync") &&
        context.app[user.type].includes(user.name ?? ""),
    );
    if (!byApp) {
      throw new ProvisionError(
        `${label} (id ${found.id}) is still used by ${users.join(", ")}, which no stack of this app declares: delete or repoint them, then deploy again`,
      );
    }
    await rename(session.client, kind, found.id, tombstoneName(name, context.stack));
    session.output.info(
      `- ${label} (id ${found.id}) is still used by ${users.join(", ")}, declared by another stack of the app: renamed to mark it, and deleted by a later deploy once that stack has repointed them`,
    );
    return;
  }
  session.output.info(`- ${label} deleted (id ${found.id})`);
}

/** Deletes this stack's tombstones that nothing uses any more; leaves the others. */
export async function deleteTombstones(session: Session, live: Live, stack: string): Promise<void> {
  for (const kind of ORDER) {
    for (const item of itemsOf(live, kind)) {
      const tombstone = tombstoneOf(item.name);
      if (tombstone?.stack !== stack) continue;
      try {
        await remove(session.client, kind, item.id);
        session.output.info(
          `- ${kind} ${JSON.stringify(tombstone.name)} deleted (id ${item.id}), now that nothing uses it`,
        );
      } catch (error) {
        if (isNotFound(error)) continue;
        if (!(error instanceof PolytomicApiError && error.usedBy.length > 0)) throw error;
        session.output.info(
          `${kind} ${JSON.stringify(tombstone.name)} (id ${item.id}) is still used by other objects; deleted by a later deploy`,
        );
      }
    }
  }
}

/** What a generation recorded and the current stack file no longer declares. */
export function removedSince(
  owned: OwnedObjects,
  file: StackFile,
): Record<ObjectKind, OwnedEntry[]> {
  const declared = (kind: ObjectKind) =>
    new Set(
      file.objects
        .filter((object) => object.declaration.kind === kind)
        .map((object) => object.declaration.name),
    );
  const removed = {} as Record<ObjectKind, OwnedEntry[]>;
  for (const kind of ORDER) {
    const current = declared(kind);
    removed[kind] = owned[kind].filter(([name]) => !current.has(name));
  }
  return removed;
}
