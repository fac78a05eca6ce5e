/**
 * `reconcile`: applies again every upsert spec of the stack that has no receipt, i.e. whose
 * provisioner an interrupted apply never completed. In an apply that ran to the end every spec
 * has its receipt and nothing is sent.
 */
import { readFileSync } from "node:fs";
import type { ObjectKind, ObjectSpec } from "../../core/contract";
import { SPEC_ENV, STACK_CONFIG_FILE } from "../../core/contract";
import { ProvisionError } from "./errors";
import { hasReceipt, pruneReceipts } from "./receipts";
import { parseSpec } from "./spec-input";

export interface PendingSpec {
  readonly encoded: string;
  readonly spec: ObjectSpec;
}

interface LocalExec {
  command?: unknown;
  environment?: Record<string, unknown>;
}

/** Every spec an `upsert` provisioner of the synthesized stack carries, in file order. */
function upsertSpecs(configText: string): string[] {
  const config = JSON.parse(configText) as {
    resource?: Record<string, Record<string, { provisioner?: { "local-exec"?: LocalExec }[] }>>;
  };
  const specs: string[] = [];
  for (const resources of Object.values(config.resource ?? {})) {
    for (const resource of Object.values(resources)) {
      for (const entry of resource.provisioner ?? []) {
        const exec = entry["local-exec"];
        const encoded = exec?.environment?.[SPEC_ENV];
        if (exec?.command === "upsert" && typeof encoded === "string") specs.push(encoded);
      }
    }
  }
  return specs;
}

const KIND_ORDER: Record<ObjectKind, number> = { connection: 0, model: 1, sync: 2 };

/** Connections, then models, then syncs, each sync after the syncs it runs after. */
function inDependencyOrder(pending: PendingSpec[]): PendingSpec[] {
  const sorted = [...pending].sort((a, b) => KIND_ORDER[a.spec.kind] - KIND_ORDER[b.spec.kind]);
  const placed: PendingSpec[] = [];
  const visit = (item: PendingSpec, seen: Set<PendingSpec>): void => {
    if (placed.includes(item) || seen.has(item)) return;
    seen.add(item);
    if (item.spec.kind === "sync") {
      for (const name of item.spec.schedule.run_after?.syncs ?? []) {
        const before = sorted.find(
          (other) => other.spec.kind === "sync" && other.spec.name === name,
        );
        if (before) visit(before, seen);
      }
    }
    placed.push(item);
  };
  for (const item of sorted) visit(item, new Set());
  return placed;
}

/** The specs of the stack in the working directory that still need applying, in order. */
export function pendingSpecs(): PendingSpec[] {
  let configText: string;
  try {
    configText = readFileSync(STACK_CONFIG_FILE, "utf8");
  } catch {
    throw new ProvisionError(
      `cannot read ${STACK_CONFIG_FILE} in ${process.cwd()}: reconcile runs in the synthesized stack's directory`,
    );
  }
  const specs = upsertSpecs(configText);
  pruneReceipts(specs);
  const pending = specs
    .filter((encoded) => !hasReceipt(encoded))
    .map((encoded) => ({ encoded, spec: parseSpec("upsert", encoded) }));
  return inDependencyOrder(pending);
}
