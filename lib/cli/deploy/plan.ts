/**
 * What a deploy would do to each declared object, from a comparison of live Polytomic with the
 * declarations: create it, update it (with the changed fields), restore one renamed outside the
 * code, adopt one that existed before the stack declared it (with `adoptExisting`), or nothing.
 * Problems that must stop the deploy before any write are collected: a name held by two objects,
 * an object the stack did not create and may not take over, a connection of the wrong type, a
 * referenced object that does not exist. The deploy step and `polytomic-cdktf diff` share it.
 */
import type { Connection, ListSyncItem, Model } from "../../api";
import type { ObjectKind } from "../../core/contract";
import { ADOPTED, SEND_SECRETS_ENV } from "../../core/contract";
import type {
  ConnectionDeclaration,
  Declaration,
  ModelDeclaration,
  Reference,
  SyncDeclaration,
} from "../../core/declarations";
import { nearest } from "../../core/errors";
import type { FieldChange } from "./compare";
import {
  connectionChanges,
  declaredConnection,
  liveConnection,
  modelChanges,
  syncChanges,
} from "./compare";
import type { Live } from "./live";
import { inParallel } from "./live";
import { createdByDeployUser, isOwned, needsIdentity } from "./ownership";
import type { DeclaredObject, Stack } from "./stack";

export type Action =
  | { readonly action: "create" }
  | { readonly action: "update"; readonly id: string; readonly changes: readonly FieldChange[] }
  | { readonly action: "adopt"; readonly id: string; readonly changes: readonly FieldChange[] }
  | {
      readonly action: "restore";
      readonly id: string;
      /** The name it was given outside the code. */
      readonly liveName: string;
      readonly changes: readonly FieldChange[];
    }
  | {
      /**
       * An object that exists exactly as declared although the stack has no record of creating
       * it: what an interrupted deploy leaves when Terraform had not yet persisted that it
       * declared the object. Only an object the deploy's own API user created is taken back;
       * taking it changes nothing in it; it is saved unchanged, so that its `updated_at` shows
       * the stack has it.
       */
      readonly action: "recover";
      readonly id: string;
    }
  | { readonly action: "unchanged"; readonly id: string };

export interface Planned<D extends Declaration = Declaration> {
  readonly object: DeclaredObject<D>;
  readonly action: Action;
}

export interface Plan {
  readonly connections: readonly Planned<ConnectionDeclaration>[];
  readonly models: readonly Planned<ModelDeclaration>[];
  readonly syncs: readonly Planned<SyncDeclaration>[];
  /** Why the deploy must not write anything; empty when it may. */
  readonly problems: readonly string[];
  /** Objects that exist, were not created by the stack and may not be taken over: how they differ. */
  readonly refused: ReadonlyMap<DeclaredObject, readonly FieldChange[]>;
  readonly live: Live;
}

interface Named {
  readonly id: string;
  readonly name: string;
  readonly created_at?: string;
  readonly updated_at?: string;
  readonly updated_by?: { readonly id?: string };
}

/** How many syncs are read at once to compare their mappings. */
const READ_CONCURRENCY = 8;

function describe(kind: ObjectKind, name: string): string {
  return `${kind} ${JSON.stringify(name)}`;
}

function adoptionHint(object: DeclaredObject, kind: ObjectKind): string {
  const keep =
    kind === "connection"
      ? `or use it without managing it: ${object.subject.split(" ")[0]}.fromConnectionName(scope, id, ${JSON.stringify(object.declaration.name)}) in place of the construct`
      : "or give the stack's object another name";
  return `To let this stack manage it, set adoptExisting: true on ${object.subject} (or PolytomicSettings.configure(stack, { adoptExisting: true })); ${keep}.`;
}

class Planner {
  readonly problems: string[] = [];
  /** Objects refused because they exist and the stack did not create them. */
  readonly refused = new Map<DeclaredObject, readonly FieldChange[]>();
  /** Names declared or referenced anywhere in the app, which no restore may take. */
  private readonly reserved: Record<ObjectKind, Set<string>>;

  constructor(
    private readonly stack: Stack,
    private readonly live: Live,
    /** The deploy's API user, when an ownership decision needs it. */
    private readonly identity: string | undefined,
  ) {
    const reserved = (kind: ObjectKind, declared: readonly DeclaredObject[]) =>
      new Set([
        ...declared.map((object) => object.declaration.name),
        ...stack.file.app[kind],
        ...stack.file.references.filter((r) => r.kind === kind).map((r) => r.name),
      ]);
    this.reserved = {
      connection: reserved("connection", stack.connections),
      model: reserved("model", stack.models),
      sync: reserved("sync", stack.syncs),
    };
  }

  /** The one live object of a name; two are a problem (names identify objects). */
  private find<T extends Named>(
    kind: ObjectKind,
    items: readonly T[],
    name: string,
  ): T | undefined {
    const matches = items.filter((item) => item.name === name);
    if (matches.length > 1) {
      this.problems.push(
        `${matches.length} ${kind}s are named ${JSON.stringify(name)} in Polytomic (ids ${matches.map((item) => item.id).join(", ")}); names identify objects, so nothing was changed: delete or rename all but one in Polytomic, then deploy again`,
      );
    }
    return matches[0];
  }

  /**
   * The action for an object that exists: an update or nothing when the stack owns it, adoption
   * when it may take it over, a problem otherwise.
   */
  private existing(
    kind: ObjectKind,
    object: DeclaredObject,
    live: Named,
    changes: readonly FieldChange[],
    /** Whether the object is exactly as declared (secrets aside, which cannot be compared). */
    identical: boolean,
  ): Action | undefined {
    const claim = object.owned?.[1];
    if (!isOwned(live, object.owned, this.identity)) {
      if (identical && createdByDeployUser(live, this.identity)) {
        return { action: "recover", id: live.id };
      }
      this.refused.set(object, changes);
      this.problems.push(
        `${object.subject}: ${describe(kind, object.declaration.name)} exists in Polytomic (id ${live.id}, created ${live.created_at ?? "at an unknown time"}${claim ? `, before this stack first declared it at ${claim}` : ""}) and was not created by this stack, and it differs from the declaration (${changes.map((change) => change.field).join(", ")}); a deploy never takes over such an object silently, so nothing was changed. ${adoptionHint(object, kind)}`,
      );
      return undefined;
    }
    const createdByStack =
      claim !== ADOPTED &&
      isOwned(
        live,
        claim === undefined ? undefined : [object.declaration.name, claim],
        this.identity,
      );
    if (!createdByStack && changes.length > 0) return { action: "adopt", id: live.id, changes };
    return changes.length > 0
      ? { action: "update", id: live.id, changes }
      : { action: "unchanged", id: live.id };
  }

  /**
   * When objects are refused and Terraform records every object of the stack as declared at one
   * moment, the stack's state may have been lost: say how to take them back.
   */
  lostStateHint(stack: Stack): void {
    const declared = [...stack.connections, ...stack.models, ...stack.syncs];
    const claims = new Set(declared.map((object) => object.owned?.[1]));
    if (this.refused.size === 0 || claims.size !== 1) return;
    const addresses = [...this.refused.keys()].map((object) => `'${object.address}'`).join(" ");
    this.problems.push(
      `Terraform records every object of the stack as first declared at one moment. If this stack deployed the refused objects before and its Terraform state was lost (a SIGKILL of terraform apply can leave the local backend's terraform.tfstate empty, with the previous state in terraform.tfstate.backup), restore the state file; or take them back: in the stack's directory run terraform state rm ${addresses}, then deploy once with PolytomicSettings.configure(stack, { adoptExisting: true }) (they stay the stack's once the setting is removed)`,
    );
  }

  /**
   * A live object of another name that this stack created for `object` and someone renamed in
   * Polytomic: created since the stack declared the object, named nowhere in the app, with the
   * same content. Only a single such candidate is taken.
   */
  private renamed<T extends Named>(
    kind: ObjectKind,
    object: DeclaredObject,
    items: readonly T[],
    matches: (item: T) => boolean,
  ): T | undefined {
    const candidates = items.filter(
      (item) => !this.reserved[kind].has(item.name) && isOwned(item, object.owned) && matches(item),
    );
    if (candidates.length !== 1) return undefined;
    // What refers to it is compared as if it already had its name back, as it will.
    this.live.remember(kind, candidates[0].id, object.declaration.name);
    return candidates[0];
  }

  connection(object: DeclaredObject<ConnectionDeclaration>): Planned<ConnectionDeclaration> {
    const { declaration } = object;
    const live = this.find("connection", this.live.connections, declaration.name);
    if (!live) {
      const declared = JSON.stringify(declaredConnection(declaration));
      const found = this.renamed("connection", object, this.live.connections, (item) => {
        const view = liveConnection(item);
        const comparable = Object.fromEntries(
          Object.keys(JSON.parse(declared) as object).map((key) => [key, view[key]]),
        );
        return item.type?.id === declaration.type && JSON.stringify(comparable) === declared;
      });
      return {
        object,
        action: found
          ? {
              action: "restore",
              id: found.id,
              liveName: found.name,
              changes: connectionChanges(declaration, found),
            }
          : { action: "create" },
      };
    }
    const type = live.type?.id;
    if (type !== undefined && type !== declaration.type) {
      this.problems.push(
        `${object.subject}: connection ${JSON.stringify(declaration.name)} exists in Polytomic (id ${live.id}) with type ${type}, not ${declaration.type}; a connection's type cannot change: rename one of them`,
      );
    }
    const fields = connectionChanges(declaration, live);
    const changes = [...fields, ...this.secretRefresh(object, live)];
    const action = this.existing("connection", object, live, changes, fields.length === 0);
    return { object, action: action ?? { action: "unchanged", id: live.id } };
  }

  /**
   * Secrets cannot be compared. They are sent again when Polytomic reports the connection
   * unhealthy (a rotated password), when the deploy is asked to ({@link SEND_SECRETS_ENV}), and
   * every deploy for secrets from Terraform, whose changes nothing else would reveal.
   */
  private secretRefresh(
    object: DeclaredObject<ConnectionDeclaration>,
    live: Connection,
  ): FieldChange[] {
    const { declaration } = object;
    const interactive =
      declaration.type === "salesforce" &&
      (declaration.connectMode === "browser" || declaration.connectMode === "code");
    if (!interactive && live.status !== undefined && live.status !== "healthy") {
      return [{ field: "status", from: live.status, to: "healthy (secrets sent again)" }];
    }
    // Saving it again is how Polytomic hands out the URL to authorise it: every run prints it anew.
    if (interactive && live.status !== undefined && live.status !== "healthy") {
      return [
        { field: "authorisation", from: "pending", to: "URL to authorise it handed out again" },
      ];
    }
    const secrets = Object.entries(declaration).filter(
      ([, value]) =>
        typeof value === "object" && value !== null && ("terraform" in value || "env" in value),
    );
    return secrets
      .filter(([, value]) => this.stack.sendSecrets || "terraform" in (value as object))
      .map(([field, value]) => {
        const fromTerraform = "terraform" in (value as object);
        return {
          field,
          from: "set (not comparable)",
          to: `sent again (${fromTerraform ? "value from Terraform" : SEND_SECRETS_ENV})`,
          ...(fromTerraform ? { always: true as const } : {}),
        };
      });
  }

  model(object: DeclaredObject<ModelDeclaration>): Planned<ModelDeclaration> {
    const { declaration } = object;
    const names = this.live.names;
    const live = this.find("model", this.live.models, declaration.name);
    if (!live) {
      const found = this.renamed(
        "model",
        object,
        this.live.models,
        (item: Model) =>
          names.connection(item.connection_id) === declaration.connection &&
          (item.configuration as { query?: unknown } | undefined)?.query === declaration.query,
      );
      return {
        object,
        action: found
          ? {
              action: "restore",
              id: found.id,
              liveName: found.name,
              changes: modelChanges(declaration, found, names),
            }
          : { action: "create" },
      };
    }
    const changes = modelChanges(declaration, live, names);
    const action = this.existing("model", object, live, changes, changes.length === 0);
    return { object, action: action ?? { action: "unchanged", id: live.id } };
  }

  async sync(object: DeclaredObject<SyncDeclaration>): Promise<Planned<SyncDeclaration>> {
    const { declaration } = object;
    const names = this.live.names;
    const item = this.find("sync", this.live.syncs, declaration.name);
    if (!item) {
      const found = this.renamed(
        "sync",
        object,
        this.live.syncs,
        (candidate: ListSyncItem) =>
          names.connection(candidate.target_connection_id) === declaration.target.connection &&
          candidate.target_object === declaration.target.object &&
          candidate.mode === declaration.mode &&
          names.model(candidate.model_ids?.[0]) === declaration.model,
      );
      if (!found) return { object, action: { action: "create" } };
      const detail = await this.live.sync(found.id);
      return {
        object,
        action: {
          action: "restore",
          id: found.id,
          liveName: found.name,
          changes: syncChanges(declaration, detail, names),
        },
      };
    }
    const detail = await this.live.sync(item.id);
    const changes = syncChanges(declaration, detail, names);
    const action = this.existing("sync", object, item, changes, changes.length === 0);
    return { object, action: action ?? { action: "unchanged", id: item.id } };
  }

  /** A referenced object (imported, or owned by another stack) must exist, with its type. */
  reference(reference: Reference): void {
    const items: readonly Named[] =
      reference.kind === "connection"
        ? this.live.connections
        : reference.kind === "model"
          ? this.live.models
          : this.live.syncs;
    const found = this.find(reference.kind, items, reference.name);
    const subject = `${reference.construct} ${JSON.stringify(reference.path)}`;
    if (!found) {
      // An object another stack of the app owns is created by that stack's deploy, which runs first.
      const suggestion = nearest(
        reference.name,
        items.map((item) => item.name),
      );
      this.problems.push(
        `${subject}: ${describe(reference.kind, reference.name)} does not exist in Polytomic${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""}: create it, fix the name, or deploy the stack that declares it first`,
      );
      return;
    }
    const type = (found as Connection).type?.id;
    if (reference.kind === "connection" && reference.type && type && type !== reference.type) {
      this.problems.push(
        `${subject}: connection ${JSON.stringify(reference.name)} (id ${found.id}) is a ${type} connection, not ${reference.type}: use ${type === "snowflake" ? "SnowflakeConnection" : "SalesforceConnection"}.fromConnectionName, or name another connection`,
      );
    }
  }
}

/** Whether some declared object that exists is the stack's only if its last writer was the deploy's user. */
function identityNeeded(stack: Stack, live: Live): boolean {
  const byName = (items: readonly Named[]) => new Map(items.map((item) => [item.name, item]));
  const lists: [readonly DeclaredObject[], Map<string, Named>][] = [
    [stack.connections, byName(live.connections)],
    [stack.models, byName(live.models)],
    [stack.syncs, byName(live.syncs)],
  ];
  return lists.some(([objects, items]) =>
    objects.some((object) => {
      const found = items.get(object.declaration.name);
      return found !== undefined && needsIdentity(found, object.owned);
    }),
  );
}

/** Compares live Polytomic with the stack's declarations. Reads only. */
export async function planStack(stack: Stack, live: Live): Promise<Plan> {
  const identity = identityNeeded(stack, live) ? await live.identity() : undefined;
  const planner = new Planner(stack, live, identity);
  for (const reference of stack.file.references) planner.reference(reference);
  const connections = stack.connections.map((object) => planner.connection(object));
  const models = stack.models.map((object) => planner.model(object));
  const syncs: Planned<SyncDeclaration>[] = new Array(stack.syncs.length);
  const results = await inParallel(
    stack.syncs.map((object, index) => ({ object, index })),
    READ_CONCURRENCY,
    async ({ object, index }) => {
      syncs[index] = await planner.sync(object);
    },
  );
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  planner.lostStateHint(stack);
  return {
    connections,
    models,
    syncs,
    problems: planner.problems,
    refused: planner.refused,
    live,
  };
}
