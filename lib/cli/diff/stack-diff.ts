/**
 * What a deploy of one stack would do, and which of it repairs drift, without writing anything.
 * The deploy's own comparison (plan.ts) runs twice against live Polytomic: once with the code's
 * declarations (what a deploy would change) and once with the declarations the last deploy applied,
 * as the Terraform state records them (what changed in Polytomic since: drift). Deletions are what
 * the state's inventory owns and the code no longer declares, as the deploy's `delete-removed`
 * step decides them.
 */
import type { ObjectKind, OwnedEntry, OwnedObjects } from "../../core/contract";
import { ADOPTED, OBJECT_KINDS } from "../../core/contract";
import type { Declaration } from "../../core/declarations";
import { hasPlaceholders } from "../../core/declarations";
import type { StackFile, StackFileObject } from "../../core/stack-file";
import { ProvisionError } from "../errors";
import type { FieldChange } from "../deploy/compare";
import { removedSince, tombstoneOf } from "../deploy/deletions";
import type { Live } from "../deploy/live";
import type { Timestamped } from "../deploy/ownership";
import { isOwned, needsIdentity } from "../deploy/ownership";
import type { Plan, Planned } from "../deploy/plan";
import { planStack } from "../deploy/plan";
import type { DeclaredObject } from "../deploy/stack";
import { declaredStack } from "../deploy/stack";
import { validateStack } from "../deploy/validate";
import { fillFromRecord } from "./recorded-values";
import type { FieldDiff, ObjectDiff, StackDiff } from "./report";
import type { RecordedState } from "./terraform-state";

interface Named extends Timestamped {
  readonly id: string;
  readonly name: string;
}

function itemsOf(live: Live, kind: ObjectKind): readonly Named[] {
  return kind === "connection" ? live.connections : kind === "model" ? live.models : live.syncs;
}

/**
 * The inventory entries a deploy of the current code would pass: the state's claim for an object
 * it already records, the plan time (now) for a new one, the adoption flag as the code says.
 */
function currentEntries(file: StackFile, recorded: OwnedObjects, now: string): OwnedObjects {
  const owned = {} as Record<ObjectKind, OwnedEntry[]>;
  for (const kind of OBJECT_KINDS) {
    owned[kind] = file.objects
      .filter((object) => object.declaration.kind === kind)
      .map(({ declaration }) => {
        const adopts = declaration.adoptExisting ?? file.adoptExisting;
        const claim =
          recorded[kind].find(([name]) => name === declaration.name)?.[1] ??
          (adopts ? ADOPTED : now);
        return adopts ? [declaration.name, claim, "adopt"] : [declaration.name, claim];
      });
  }
  return owned;
}

const SENSITIVE = "(sensitive value)";

/** `value` with every text holding one of `sensitive` shown as Terraform shows it. */
function masked(value: unknown, sensitive: readonly string[]): unknown {
  if (value === undefined) return null;
  if (typeof value === "string" || typeof value === "number") {
    const text = String(value);
    return sensitive.some((secret) => secret !== "" && text.includes(secret)) ? SENSITIVE : value;
  }
  if (Array.isArray(value)) return value.map((item) => masked(item, sensitive));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, masked(member, sensitive)]),
    );
  }
  return value;
}

function fieldDiffs(
  changes: readonly FieldChange[],
  drifted: ReadonlySet<string>,
  sensitive: readonly string[],
): FieldDiff[] {
  return changes
    .filter((change) => !change.always)
    .map((change) => ({
      field: change.field,
      from: masked(change.from, sensitive),
      to: masked(change.to, sensitive),
      drift: drifted.has(change.field),
    }));
}

function changesOf(planned: Planned | undefined): readonly FieldChange[] {
  const action = planned?.action;
  return action && "changes" in action ? action.changes : [];
}

/** One declared object's entry, from the two comparisons. */
function objectDiff(
  planned: Planned,
  recordedPlan: Planned | undefined,
  refused: readonly FieldChange[] | undefined,
  sensitive: readonly string[],
): ObjectDiff {
  const { declaration, subject } = planned.object;
  const [construct] = subject.split(" ");
  const base = {
    kind: declaration.kind,
    name: declaration.name,
    construct,
    path: JSON.parse(subject.slice(construct.length + 1)) as string,
  };
  const drifted = new Set(changesOf(recordedPlan).map((change) => change.field));
  const action = planned.action;
  if (refused && "id" in action) {
    return {
      ...base,
      action: "refuse-takeover",
      id: action.id,
      drift: false,
      note: "exists in Polytomic and was not created by this stack: the deploy fails until adoptExisting is set or the name changes",
      changes: fieldDiffs(refused, new Set(), sensitive),
    };
  }
  switch (action.action) {
    case "create": {
      const deleted = recordedPlan !== undefined;
      return {
        ...base,
        action: "create",
        drift: deleted,
        ...(deleted ? { note: "deleted in Polytomic since the last deploy" } : {}),
        changes: [],
      };
    }
    case "restore":
      return {
        ...base,
        action: "restore",
        id: action.id,
        drift: true,
        note: `renamed to ${JSON.stringify(action.liveName)} in Polytomic`,
        changes: [
          { field: "name", from: action.liveName, to: declaration.name, drift: true },
          ...fieldDiffs(action.changes, drifted, sensitive),
        ],
      };
    case "recover":
      return {
        ...base,
        action: "recover",
        id: action.id,
        drift: false,
        note: "created by an interrupted deploy: taken back unchanged",
        changes: [],
      };
    case "unchanged":
      return { ...base, action: "unchanged", id: action.id, drift: false, changes: [] };
    case "update":
    case "adopt": {
      const changes = fieldDiffs(action.changes, drifted, sensitive);
      if (changes.length === 0)
        return { ...base, action: "unchanged", id: action.id, drift: false, changes };
      return {
        ...base,
        action: action.action,
        id: action.id,
        drift: changes.some((change) => change.drift),
        changes,
      };
    }
  }
}

function plannedObjects(plan: Plan): Planned[] {
  return [...plan.connections, ...plan.models, ...plan.syncs];
}

/** What the deploy's `delete-removed` step and the deploy's tombstone clean-up would delete. */
async function deletions(
  file: StackFile,
  recorded: RecordedState,
  live: Live,
  problems: string[],
): Promise<ObjectDiff[]> {
  const found: ObjectDiff[] = [];
  // What the inventory owns, and what generations whose deletion failed still list.
  const owned = {} as Record<ObjectKind, OwnedEntry[]>;
  for (const kind of OBJECT_KINDS) {
    const names = new Set(recorded.owned[kind].map(([name]) => name));
    owned[kind] = [
      ...recorded.owned[kind],
      ...recorded.pending[kind].filter(([name]) => !names.has(name) && names.add(name)),
    ];
  }
  const removed = removedSince(owned, file);
  for (const kind of ["sync", "model", "connection"] as const) {
    for (const entry of removed[kind]) {
      const [name] = entry;
      const matches = itemsOf(live, kind).filter((item) => item.name === name);
      if (matches.length > 1) {
        problems.push(
          `${matches.length} ${kind}s are named ${JSON.stringify(name)} in Polytomic (ids ${matches.map((item) => item.id).join(", ")}); the one this stack owns cannot be told apart, so the deploy would fail to delete it: delete or rename the others in Polytomic`,
        );
        continue;
      }
      const [item] = matches;
      if (!item) continue;
      const identity = needsIdentity(item, entry) ? await live.identity() : undefined;
      if (!isOwned(item, entry, identity)) continue;
      found.push({
        kind,
        name,
        action: "delete",
        id: item.id,
        drift: false,
        note: "no longer declared",
        changes: [],
      });
    }
    for (const item of itemsOf(live, kind)) {
      const tombstone = tombstoneOf(item.name);
      if (tombstone?.stack !== file.stack) continue;
      found.push({
        kind,
        name: tombstone.name,
        action: "delete",
        id: item.id,
        drift: false,
        note: "removed earlier and kept while another stack used it: deleted once unused",
        changes: [],
      });
    }
  }
  return found;
}

export interface StackDiffInput {
  readonly file: StackFile;
  readonly directory: string;
  readonly recorded: RecordedState;
  readonly live: Live;
  /** The plan time of a deploy now, as Terraform's `plantimestamp()` would give it. */
  readonly now: string;
  /** Whether the deploy would send every secret again (POLYTOMIC_SEND_SECRETS). */
  readonly sendSecrets: boolean;
}

/** Compares one stack; reads Polytomic only. */
export async function diffStack(input: StackDiffInput): Promise<StackDiff> {
  const { file, recorded, live } = input;
  const owned = currentEntries(file, recorded.owned, input.now);
  const unknown: ObjectDiff[] = [];
  const complete: StackFileObject[] = [];
  const usesValues = new Set<string>();
  for (const object of file.objects) {
    const record = recorded.declarations.get(object.address);
    const { kind, ...declared } = object.declaration;
    const filled = fillFromRecord(declared, record);
    if (filled === undefined) {
      unknown.push({
        kind,
        name: object.declaration.name,
        construct: object.construct,
        path: object.path,
        action: "unknown",
        drift: false,
        note: "depends on Terraform values known only at apply: cdktf diff shows them",
        changes: [],
      });
    } else {
      if (hasPlaceholders(declared)) usesValues.add(object.address);
      complete.push({ ...object, declaration: { kind, ...filled } as Declaration });
    }
  }
  const inputs = { owned, secrets: [], sendSecrets: input.sendSecrets };
  const current = declaredStack(
    { ...file, objects: complete },
    { ...inputs, resolve: (object) => object.declaration },
  );
  // The same objects as the last deploy applied them.
  const applied = complete.filter((object) => recorded.declarations.has(object.address));
  const previous = declaredStack(
    { ...file, objects: applied },
    {
      ...inputs,
      resolve: (object) =>
        ({
          kind: object.declaration.kind,
          ...recorded.declarations.get(object.address),
        }) as Declaration,
    },
  );
  const problems: string[] = [];
  try {
    validateStack(current);
  } catch (error) {
    if (!(error instanceof ProvisionError)) throw error;
    problems.push(error.message);
  }
  const plan = await planStack(current, live);
  const previousPlan = await planStack(previous, live);
  problems.push(...plan.problems);
  // After a deploy that did not finish, the state records declarations Polytomic never received:
  // they are changes of the code, not drift.
  const before = new Map<string, Planned>(
    recorded.deployFailed
      ? []
      : plannedObjects(previousPlan).map((planned) => [planned.object.address, planned]),
  );
  const objects = plannedObjects(plan).map((planned) => {
    const found = objectDiff(
      planned,
      before.get(planned.object.address),
      plan.refused.get(planned.object as DeclaredObject),
      recorded.sensitive,
    );
    return usesValues.has(planned.object.address) && found.note === undefined
      ? { ...found, note: "uses Terraform values, compared as the last deploy resolved them" }
      : found;
  });
  const notes = recorded.deployFailed
    ? [
        "the last deploy did not finish (its deploy step failed or did not run): what it did not write shows as changes of the code, not as drift",
      ]
    : [];
  return {
    stack: file.stack,
    directory: input.directory,
    reconcile: file.reconcile,
    deployed: recorded.deployed,
    objects: [...objects, ...unknown, ...(await deletions(file, recorded, live, problems))],
    problems: problems.map((problem) => masked(problem, recorded.sensitive) as string),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
