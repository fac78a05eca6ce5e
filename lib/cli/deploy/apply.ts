/**
 * Carries out a plan: connections, then models, then syncs (each sync after the syncs it runs
 * after), at most {@link WRITE_CONCURRENCY} writes at a time, writing only what differs. Every
 * write finds its object by name, so an interrupted run is simply run again. A failure stops the
 * kinds that depend on it; what was written stays written and is found on the next run.
 */
import type { Connection, Model, Sync } from "../../api";
import type { ObjectKind } from "../../core/contract";
import type {
  ConnectionDeclaration,
  Declaration,
  ModelDeclaration,
  Resolved,
  SyncDeclaration,
} from "../../core/declarations";
import { describeSecret } from "../../core/validate/connection";
import { ProvisionError } from "../errors";
import type { Session } from "../session";
import type { FieldChange } from "./compare";
import { inParallel } from "./live";
import type { Target } from "./oauth";
import { printAuthorisation, targetOf, waitForAuthorisation } from "./oauth";
import type { Action, Plan, Planned } from "./plan";
import {
  connectionRequest,
  isInteractive,
  modelRequest,
  SECRET_KEYS,
  syncRequest,
} from "./requests";
import type { Stack } from "./stack";
import { explainUnknownTargetFields } from "./target-fields";
import type { TestSubject } from "./test-run";
import { latest, testBudget, testSync } from "./test-run";

/** Writes in flight at once: enough to hide latency, few enough not to be rate limited. */
const WRITE_CONCURRENCY = 8;

export interface ApplySummary {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

function label(kind: ObjectKind, name: string): string {
  return `${kind} ${JSON.stringify(name)}`;
}

function fields(changes: readonly FieldChange[]): string {
  return changes.map((change) => change.field).join(", ");
}

/** The line printed for a write. */
function describeWrite(kind: ObjectKind, name: string, action: Action, id: string): string {
  switch (action.action) {
    case "create":
      return `+ ${label(kind, name)} created (id ${id})`;
    case "update":
      return `~ ${label(kind, name)} updated (id ${id}): ${fields(action.changes)}`;
    case "adopt":
      return `~ ${label(kind, name)} adopted (id ${id}; it existed before this stack declared it)${action.changes.length ? `: ${fields(action.changes)}` : ""}`;
    case "restore":
      return `~ ${label(kind, name)} restored (id ${id}; renamed ${JSON.stringify(action.liveName)} in Polytomic)${action.changes.length ? `: ${fields(action.changes)}` : ""}`;
    case "recover":
      return `= ${label(kind, name)} taken back (id ${id}): it exists exactly as declared, as an interrupted deploy of this stack leaves it`;
    case "unchanged":
      return `= ${label(kind, name)} unchanged (id ${id})`;
  }
}

/** Whether a write changes how the object works (not merely secrets sent again, nor taken back as is). */
function reconfigures(action: Action): boolean {
  if (action.action === "create") return true;
  if (action.action === "unchanged" || action.action === "recover") return false;
  return action.changes.some(
    (change) => change.field !== "status" && !(change.field in SECRET_KEYS),
  );
}

const PAST_TENSE: Readonly<Record<Action["action"], string>> = {
  create: "created",
  update: "updated",
  adopt: "adopted",
  restore: "restored",
  recover: "taken back",
  unchanged: "unchanged",
};

/** The server may alter a name (trim it, say); the next deploy would then miss the object. */
function confirmName(kind: ObjectKind, name: string, saved: { id: string; name: string }): void {
  if (saved.name !== name) {
    throw new ProvisionError(
      `Polytomic saved ${label(kind, name)} under the name ${JSON.stringify(saved.name)} (id ${saved.id}); the stack identifies objects by exact name, so rename it in the code to match`,
    );
  }
}

class Deployment {
  private readonly ids: Record<ObjectKind, Map<string, string>> = {
    connection: new Map(),
    model: new Map(),
    sync: new Map(),
  };
  /** What this deploy wrote that changes how a sync runs: kind → name → what happened. */
  private readonly written: Record<ObjectKind, Map<string, string>> = {
    connection: new Map(),
    model: new Map(),
    sync: new Map(),
  };
  private readonly targets = new Map<string, Target>();
  private readonly authorisations = new Map<string, Promise<void>>();
  private created = 0;
  private updated = 0;
  private unchanged = 0;

  constructor(
    private readonly session: Session,
    private readonly stack: Stack,
    private readonly plan: Plan,
    /** Each model's output columns, as validation derived them. */
    private readonly columns: ReadonlyMap<string, readonly string[]>,
  ) {
    const { live } = plan;
    const index = (kind: ObjectKind, items: readonly { id: string; name: string }[]) => {
      for (const item of items)
        if (!this.ids[kind].has(item.name)) this.ids[kind].set(item.name, item.id);
    };
    index("connection", live.connections);
    index("model", live.models);
    index("sync", live.syncs);
    for (const connection of live.connections)
      if (!this.targets.has(connection.name))
        this.targets.set(connection.name, targetOf(connection));
  }

  private id(kind: ObjectKind, name: string, neededBy: string): string {
    const id = this.ids[kind].get(name);
    if (id === undefined) {
      throw new ProvisionError(
        `${neededBy} needs the ${kind} ${JSON.stringify(name)}, which does not exist in Polytomic: declare it in the stack or create it before deploying`,
      );
    }
    return id;
  }

  private count(action: Action): void {
    if (action.action === "create") this.created += 1;
    else if (action.action === "unchanged" || action.action === "recover") this.unchanged += 1;
    else this.updated += 1;
  }

  private saved(kind: ObjectKind, planned: Planned, saved: { id: string; name: string }): void {
    const { name } = planned.object.declaration;
    confirmName(kind, name, saved);
    this.ids[kind].set(name, saved.id);
    this.plan.live.remember(kind, saved.id, name);
    this.session.output.info(describeWrite(kind, name, planned.action, saved.id));
    this.count(planned.action);
    if (reconfigures(planned.action))
      this.written[kind].set(name, PAST_TENSE[planned.action.action]);
  }

  /** The values of a connection's secrets; reading them also masks them in all output. */
  private secrets(declaration: ConnectionDeclaration): Record<string, string> {
    const values: Record<string, string> = {};
    for (const prop of Object.keys(SECRET_KEYS)) {
      const source = (declaration as unknown as Record<string, unknown>)[prop] as
        { env: string } | { terraform: number; expression: string } | undefined;
      if (!source) continue;
      const purpose = `the ${prop} of connection ${JSON.stringify(declaration.name)}`;
      if ("env" in source) {
        values[prop] = this.session.secret(source.env, purpose);
        continue;
      }
      const value = this.stack.secrets[source.terraform];
      if (typeof value !== "string" || value === "") {
        throw new ProvisionError(
          `${purpose} comes from ${describeSecret(source)}, which Terraform resolved to ${value === "" ? "an empty string" : "no string"}: check that value`,
        );
      }
      this.session.protect(value, `${purpose} (${describeSecret(source)})`);
      values[prop] = value;
    }
    return values;
  }

  /** Reads every secret first: a missing one fails the deploy before anything is written. */
  readSecrets(): Map<string, Record<string, string>> {
    return new Map(
      this.stack.connections.map(({ declaration }) => [
        declaration.name,
        this.secrets(declaration as ConnectionDeclaration),
      ]),
    );
  }

  async connections(secrets: Map<string, Record<string, string>>): Promise<void> {
    await this.level(this.plan.connections, async (planned) => {
      const { declaration } = planned.object;
      const action = planned.action;
      if (action.action === "unchanged") return this.keep("connection", planned, action.id);
      // Taking an identical connection back sends no secret: Polytomic keeps the stored ones.
      const values = action.action === "recover" ? {} : (secrets.get(declaration.name) ?? {});
      const { client } = this.session;
      const saved: Connection =
        action.action === "create"
          ? await client.createConnection(connectionRequest(declaration, values, true))
          : await client.updateConnection(action.id, {
              ...connectionRequest(declaration, values, false),
              ...(action.action === "recover" ? { validate: false } : {}),
            });
      this.saved("connection", planned, saved);
      const target = targetOf(saved);
      this.targets.set(declaration.name, target);
      if (isInteractive(declaration)) printAuthorisation(this.session, target);
    });
  }

  /** Syncs were validated against the columns synth derived: Polytomic must report them all. */
  private checkColumns(declaration: ModelDeclaration, saved: Model): void {
    const expected = this.columns.get(declaration.name) ?? [];
    const reported = new Set((saved.fields ?? []).map((field) => field.name));
    const missing = expected.filter((column) => !reported.has(column));
    if (missing.length > 0) {
      throw new ProvisionError(
        `Polytomic reports model ${JSON.stringify(declaration.name)} (id ${saved.id}) without the column(s) ${missing.map((c) => JSON.stringify(c)).join(", ")} that the stack expects; its fields are ${[...reported].map((c) => JSON.stringify(c)).join(", ") || "none"}: fix the query or the declared columns`,
      );
    }
  }

  async models(): Promise<void> {
    await this.level(this.plan.models, async (planned) => {
      const { declaration, subject } = planned.object;
      const action = planned.action;
      if (action.action === "unchanged") return this.keep("model", planned, action.id);
      const body = modelRequest(
        declaration,
        this.id("connection", declaration.connection, subject),
      );
      const { client } = this.session;
      const saved: Model =
        action.action === "create"
          ? await client.createModel(body)
          : await client.updateModel(action.id, body);
      this.checkColumns(declaration, saved);
      this.saved("model", planned, saved);
    });
  }

  async syncs(): Promise<void> {
    // A sync whose schedule runs after others of the stack is written once those are.
    let pending = [...this.plan.syncs];
    const declared = new Set(pending.map((planned) => planned.object.declaration.name));
    const done = new Set<string>();
    while (pending.length > 0) {
      const ready = pending.filter((planned) =>
        (planned.object.declaration.schedule.runAfter ?? []).every(
          (name) => !declared.has(name) || done.has(name),
        ),
      );
      const batch = ready.length > 0 ? ready : pending.slice(0, 1);
      pending = pending.filter((planned) => !batch.includes(planned));
      await this.level(batch, (planned) => this.sync(planned));
      for (const planned of batch) done.add(planned.object.declaration.name);
    }
  }

  private async sync(planned: Planned<SyncDeclaration>): Promise<void> {
    const { declaration, subject } = planned.object;
    const action = planned.action;
    if (action.action === "unchanged") return this.keep("sync", planned, action.id);
    const syncs = new Map(
      (declaration.schedule.runAfter ?? []).map((name) => [name, this.id("sync", name, subject)]),
    );
    const body = syncRequest(declaration, {
      model: this.id("model", declaration.model, subject),
      target: this.id("connection", declaration.target.connection, subject),
      syncs,
    });
    await this.authorised(declaration.target.connection, subject);
    const { client } = this.session;
    let saved: Sync;
    try {
      saved =
        action.action === "create"
          ? await client.createSync(body)
          : await client.updateSync(action.id, body);
    } catch (error) {
      const explained = await explainUnknownTargetFields(
        this.session,
        error,
        subject,
        declaration,
        body.target.connection_id,
      );
      throw explained === undefined ? error : new ProvisionError(explained);
    }
    this.saved("sync", planned, saved);
  }

  /** Waits (once per connection) until a Salesforce target is authorised. */
  private authorised(name: string, neededBy: string): Promise<void> {
    let waiting = this.authorisations.get(name);
    if (!waiting) {
      const target = this.targets.get(name);
      waiting = target ? waitForAuthorisation(this.session, target, neededBy) : Promise.resolve();
      this.authorisations.set(name, waiting);
    }
    return waiting;
  }

  /** Tests the syncs declared with `testRun` (in parallel); throws every failure together. */
  async tests(): Promise<void> {
    const due = this.plan.syncs.filter((planned) => planned.object.declaration.testRun === true);
    if (due.length === 0) return;
    const budget = testBudget(this.session);
    await this.level(due, (planned) =>
      testSync(this.session, this.session, this.testSubject(planned.object.declaration), budget),
    );
  }

  /** What this deploy wrote that changes how the sync runs, in words; undefined if nothing. */
  private rewritten(
    declaration: Resolved<SyncDeclaration>,
    modelConnection?: string,
  ): string | undefined {
    const sync = this.written.sync.get(declaration.name);
    if (sync) return `it was ${sync}`;
    const model = this.written.model.get(declaration.model);
    if (model) return `its model was ${model}`;
    for (const name of [declaration.target.connection, modelConnection]) {
      const connection = name === undefined ? undefined : this.written.connection.get(name);
      if (connection) return `its connection ${JSON.stringify(name)} was ${connection}`;
    }
    return undefined;
  }

  private testSubject(declaration: Resolved<SyncDeclaration>): TestSubject {
    const { name } = declaration;
    const id = this.id("sync", name, `sync ${JSON.stringify(name)}`);
    const live = this.plan.live.syncs.find((item) => item.id === id);
    const model = this.plan.live.models.find((item) => item.name === declaration.model);
    const written = this.rewritten(
      declaration,
      model && this.plan.live.names.connection(model.connection_id),
    );
    const changedAt = latest([live?.updated_at, model?.updated_at]);
    return {
      name,
      id,
      ...(written ? { written } : {}),
      ...(changedAt ? { changedAt } : {}),
      active: this.written.sync.has(name)
        ? declaration.active
        : (live?.active ?? declaration.active),
    };
  }

  private keep(kind: ObjectKind, planned: Planned, id: string): void {
    this.ids[kind].set(planned.object.declaration.name, id);
    this.count(planned.action);
  }

  /** Runs one level; throws every failure of it together once the level has settled. */
  private async level<D extends Declaration>(
    items: readonly Planned<D>[],
    work: (planned: Planned<D>) => Promise<void>,
  ): Promise<void> {
    const results = await inParallel(items, WRITE_CONCURRENCY, work);
    const failures = results
      .map((result, index) => ({ result, planned: items[index] }))
      .filter(({ result }) => result.status === "rejected");
    if (failures.length === 0) return;
    const messages = failures.map(({ result, planned }) => {
      const reason = (result as PromiseRejectedResult).reason;
      const message = reason instanceof Error ? reason.message : String(reason);
      return `${label(planned.object.declaration.kind, planned.object.declaration.name)}: ${message}`;
    });
    throw new ProvisionError(messages.join("\n"));
  }

  summary(): ApplySummary {
    return { created: this.created, updated: this.updated, unchanged: this.unchanged };
  }
}

/** Applies the plan; returns what it did. */
export async function applyPlan(
  session: Session,
  stack: Stack,
  plan: Plan,
  columns: ReadonlyMap<string, readonly string[]>,
): Promise<ApplySummary> {
  const deployment = new Deployment(session, stack, plan, columns);
  const secrets = deployment.readSecrets();
  if (plan.problems.length > 0) {
    throw new ProvisionError(
      `${plan.problems.length === 1 ? "a problem stops" : `${plan.problems.length} problems stop`} the deploy before any change:\n${plan.problems.join("\n")}`,
    );
  }
  await deployment.connections(secrets);
  await deployment.models();
  await deployment.syncs();
  await deployment.tests();
  return deployment.summary();
}
