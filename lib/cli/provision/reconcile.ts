/**
 * `reconcile`: applies again the objects Terraform says an interrupted apply recorded but never
 * applied ({@link REPAIR_ENV}, computed from the apply and receipt resources' creation times; see
 * lib/constructs/engine.ts). Their specs are read from the synthesized stack in the working
 * directory. In an apply that ran to the end the list is empty and nothing is sent.
 */
import { readFileSync } from "node:fs";
import type { ObjectKind, ObjectSpec } from "../../core/contract";
import { REPAIR_ENV, SPEC_ENV, STACK_CONFIG_FILE } from "../../core/contract";
import { ProvisionError } from "./errors";
import { parseSpec } from "./spec-input";

interface LocalExec {
  command?: unknown;
  environment?: Record<string, unknown>;
}

type StackConfig = {
  resource?: Record<string, Record<string, { provisioner?: { "local-exec"?: LocalExec }[] }>>;
};

/** The resource addresses to repair, as Terraform computed them. */
function repairList(env: NodeJS.ProcessEnv): string[] {
  const raw = env[REPAIR_ENV];
  if (raw === undefined) {
    throw new ProvisionError(
      `${REPAIR_ENV} is not set: reconcile is run by the stacks cdktf-polytomic synthesizes, not by hand`,
    );
  }
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
    throw new ProvisionError(
      `${REPAIR_ENV} is not a JSON list of resource addresses; re-synthesize the stack`,
    );
  }
  return list;
}

/** The upsert spec the provisioner of the resource at `address` carries. */
function specAt(config: StackConfig, address: string): string {
  const [type, name] = address.split(".");
  const exec = config.resource?.[type]?.[name]?.provisioner?.find(
    (entry) => entry["local-exec"]?.command === "upsert",
  )?.["local-exec"];
  const encoded = exec?.environment?.[SPEC_ENV];
  if (typeof encoded !== "string") {
    throw new ProvisionError(
      `${STACK_CONFIG_FILE} has no upsert spec for ${address}; re-synthesize the stack`,
    );
  }
  return encoded;
}

const KIND_ORDER: Record<ObjectKind, number> = { connection: 0, model: 1, sync: 2 };

/** Connections, then models, then syncs, each sync after the syncs it runs after. */
function inDependencyOrder(specs: ObjectSpec[]): ObjectSpec[] {
  const sorted = [...specs].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const placed: ObjectSpec[] = [];
  const visit = (spec: ObjectSpec, seen: Set<ObjectSpec>): void => {
    if (placed.includes(spec) || seen.has(spec)) return;
    seen.add(spec);
    if (spec.kind === "sync") {
      for (const name of spec.schedule.run_after?.syncs ?? []) {
        const before = sorted.find((other) => other.kind === "sync" && other.name === name);
        if (before) visit(before, seen);
      }
    }
    placed.push(spec);
  };
  for (const spec of sorted) visit(spec, new Set());
  return placed;
}

/** The specs to apply again, in dependency order. */
export function specsToRepair(env: NodeJS.ProcessEnv): ObjectSpec[] {
  const addresses = repairList(env);
  if (addresses.length === 0) return [];
  let config: StackConfig;
  try {
    config = JSON.parse(readFileSync(STACK_CONFIG_FILE, "utf8")) as StackConfig;
  } catch {
    throw new ProvisionError(
      `cannot read ${STACK_CONFIG_FILE} in ${process.cwd()}: reconcile runs in the synthesized stack's directory`,
    );
  }
  return inDependencyOrder(
    addresses.map((address) => parseSpec("upsert", specAt(config, address))),
  );
}
